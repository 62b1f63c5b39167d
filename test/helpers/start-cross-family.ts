import { startFakeAnthropicUpstream } from './fake-anthropic-upstream.js';
import { startFakeGeminiUpstream } from './fake-gemini-upstream.js';
import { startFakeOllamaUpstream } from './fake-ollama-upstream.js';
import { startFakeRecordedOpenAIUpstream } from './fake-recorded-openai-upstream.js';
import type { FakeProviderUpstream } from './recorded-answers.js';
import { startServices, type RunningServices } from './start-services.js';
import { writeConfigFile } from './write-config-file.js';

/** The provider families nachos serves through its built-in plugins. */
export type ProviderFamily = 'openai' | 'anthropic' | 'google' | 'ollama';

/** One family as the matrix uses it: a model its fake answers from recordings, and one it fails. */
export interface FamilyCase {
  family: ProviderFamily;
  model: string;
  /** Answered by the family's fake with the provider's own server-error body. */
  failingModel: string;
}

/** Known before anything starts, so that tests can be generated per family. */
export const FAMILIES: readonly FamilyCase[] = [
  { family: 'openai', model: 'gpt-4o', failingModel: 'openai-down' },
  { family: 'anthropic', model: 'claude-sonnet-4-5', failingModel: 'claude-down' },
  { family: 'google', model: 'gemini-2.5-flash', failingModel: 'gemini-down' },
  { family: 'ollama', model: 'llama3.2', failingModel: 'llama-down' },
];

export interface CrossFamily {
  services: RunningServices;
  upstream: Record<ProviderFamily, FakeProviderUpstream>;
  /** Provider keys, which must reach each provider in its own header and never a log line. */
  keys: Readonly<Record<Exclude<ProviderFamily, 'ollama'>, string>>;
  stop: () => Promise<void>;
}

const KEYS = {
  openai: 'sk-matrix-openai-canary-3c91d0',
  anthropic: 'sk-ant-matrix-canary-77ab41',
  google: 'AIza-matrix-google-canary-5e02f8',
} as const;

/** A reasoning model on the `openai` provider, for the rule that it never receives `temperature`. */
export const REASONING_MODEL = 'o3';

/**
 * Starts one fake upstream per provider family (OpenAI, Anthropic, Gemini, Ollama, each speaking its
 * wire format from the recorded fixtures) and both services, with llm-proxy configured the way an
 * operator would: `[endpoints.<id>]` of providers `openai`, `anthropic`, `google` and `ollama` in a
 * config file, each key in a variable named by `api_key_env`.
 *
 * Server-error cooldowns are pushed out of reach: every SDK asks every family's failing model, and the
 * matrix is about what each client sees for one failure, not about taking a key out of rotation.
 */
export async function startCrossFamily(): Promise<CrossFamily> {
  const failing = (family: ProviderFamily) => [FAMILIES.find((entry) => entry.family === family)!.failingModel];
  const upstream: Record<ProviderFamily, FakeProviderUpstream> = {
    openai: await startFakeRecordedOpenAIUpstream(failing('openai')),
    anthropic: await startFakeAnthropicUpstream(failing('anthropic')),
    google: await startFakeGeminiUpstream(failing('google')),
    ollama: await startFakeOllamaUpstream(failing('ollama')),
  };
  const models = (family: ProviderFamily, ...more: string[]) => {
    const entry = FAMILIES.find((candidate) => candidate.family === family)!;
    return JSON.stringify([entry.model, ...more, entry.failingModel]);
  };
  const config = writeConfigFile(`
[llm.cooldowns]
server_error_threshold = 1000

[endpoints.openai]
provider = "openai"
base_url = "${upstream.openai.url}/v1"
api_key_env = "MATRIX_OPENAI_KEY"
models = ${models('openai', REASONING_MODEL)}

[endpoints.anthropic]
provider = "anthropic"
base_url = "${upstream.anthropic.url}"
api_key_env = "MATRIX_ANTHROPIC_KEY"
models = ${models('anthropic')}

[endpoints.google]
provider = "google"
base_url = "${upstream.google.url}"
api_key_env = "MATRIX_GOOGLE_KEY"
models = ${models('google')}

[endpoints.ollama]
provider = "ollama"
base_url = "${upstream.ollama.url}"
models = ${models('ollama')}
`);
  const stopUpstreams = () => Promise.all(Object.values(upstream).map((fake) => fake.close()));
  let services: RunningServices;
  try {
    services = await startServices({
      NACHOS_CONFIG: config,
      MATRIX_OPENAI_KEY: KEYS.openai,
      MATRIX_ANTHROPIC_KEY: KEYS.anthropic,
      MATRIX_GOOGLE_KEY: KEYS.google,
      LLM_PROXY_LOCAL_DISCOVERY: '0',
    });
  } catch (error) {
    await stopUpstreams();
    throw error;
  }
  return {
    services,
    upstream,
    keys: KEYS,
    stop: async () => {
      await services.stop();
      await stopUpstreams();
    },
  };
}
