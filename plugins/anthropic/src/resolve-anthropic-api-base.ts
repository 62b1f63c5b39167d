/**
 * The API root with its version path, whichever convention the operator used: our default and
 * `[endpoints] base_url` values like `https://api.anthropic.com/v1` (the OpenAI habit), or
 * `https://api.anthropic.com` as the Anthropic SDK and Claude Code read `ANTHROPIC_BASE_URL` (they
 * append `/v1/messages` themselves). A base that already ends in a version segment is kept as is.
 */
export function resolveAnthropicApiBase(baseUrl: string): string {
  const trimmed = baseUrl.trim().replace(/\/+$/, '');
  return VERSION_SEGMENT.test(new URL(trimmed).pathname) ? trimmed : `${trimmed}/v1`;
}

const VERSION_SEGMENT = /\/v\d+[a-z0-9]*$/i;
