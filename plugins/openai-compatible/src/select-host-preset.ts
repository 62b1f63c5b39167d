import type { HostPreset } from './host-preset.js';

/**
 * The preset an `openai-compatible` endpoint follows: the one its `preset` option names; else, when
 * the option is empty, the cloud host its base URL points at (so that `LLM_PROXY_ENDPOINT_X_URL=
 * https://api.mistral.ai/v1` gets Mistral's rules without further configuration); `none` for no
 * preset at all. Local servers are never guessed: `localhost:8000` could be anything.
 */
export function selectHostPreset(name: string, baseUrl: string, presets: readonly HostPreset[]): HostPreset | undefined {
  if (name === 'none') {
    return undefined;
  }
  if (name !== '') {
    const named = presets.find((preset) => preset.id === name);
    if (named === undefined) {
      throw new Error(`unknown preset "${name}" (known: ${presets.map((preset) => preset.id).join(', ')})`);
    }
    return named;
  }
  const host = hostOf(baseUrl);
  return host === undefined ? undefined : presets.find((preset) => preset.detectByHost && hostOf(preset.baseUrl) === host);
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).host.toLowerCase();
  } catch {
    return undefined;
  }
}
