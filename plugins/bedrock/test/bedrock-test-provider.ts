import { ProviderError, Secret, type ChatRequest, type PluginLogger, type Provider } from '@nachos/plugin-sdk';
import { replayFixture, startFakeUpstream, type FakeUpstream, type FakeUpstreamHandler } from '@nachos/plugin-sdk/testing';
import type { BedrockOptions } from '../src/bedrock-options.js';
import { createBedrockProvider } from '../src/create-bedrock-provider.js';
import type { Environment } from '../src/read-secret-variable.js';
import { readFixture } from './converse-stream-frames.js';

/** Credentials, options and a fake upstream for the provider tests (AWS's documented example keys). */

export const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET_ACCESS_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLEsessiontoken';
export const API_KEY = 'ABSKQmVkcm9ja0FQSUtleS1leGFtcGxl';
export const MODEL = 'us.anthropic.claude-sonnet-4-5-20250929-v1:0';
export const EVENTSTREAM = 'application/vnd.amazon.eventstream';

export const OPTIONS: BedrockOptions = {
  timeout_ms: 10_000,
  region: 'eu-west-1',
  auth: 'auto',
  secret_access_key_env: 'AWS_SECRET_ACCESS_KEY',
  session_token_env: 'AWS_SESSION_TOKEN',
};
export const silent: PluginLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
export const signal = (): AbortSignal => new AbortController().signal;

export const chatRequest = (overrides: Partial<ChatRequest> = {}): ChatRequest => ({
  model: MODEL,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'What is cos(7)?' }] }],
  tools: [{ name: 'cosine', parameters: { type: 'object', properties: { x: { type: 'number' } } } }],
  sampling: { maxTokens: 200 },
  stream: true,
  ...overrides,
});

export const capture = (): FakeUpstreamHandler =>
  replayFixture({ name: 'capture', body: readFixture('converse-stream-text-tooluse.eventstream'), contentType: EVENTSTREAM }, 37);

export interface Setup {
  options?: Partial<BedrockOptions>;
  env?: Environment;
  apiKey?: string | undefined;
}

export async function withProvider(handler: FakeUpstreamHandler, setup: Setup, body: (provider: Provider, upstream: FakeUpstream) => Promise<void>): Promise<void> {
  const upstream = await startFakeUpstream(handler);
  try {
    const apiKey = 'apiKey' in setup ? setup.apiKey : ACCESS_KEY_ID;
    const provider = createBedrockProvider(
      {
        endpoint: { id: 'bedrock-test', baseUrl: upstream.url, ...(apiKey === undefined ? {} : { apiKey: new Secret(apiKey) }) },
        options: { ...OPTIONS, ...setup.options },
        logger: silent,
        fetch: globalThis.fetch,
      },
      setup.env ?? { AWS_SECRET_ACCESS_KEY: SECRET_ACCESS_KEY },
    );
    await body(provider, upstream);
  } finally {
    await upstream.close();
  }
}

export async function failureOf(pending: Promise<unknown>): Promise<ProviderError> {
  const error = await pending.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!ProviderError.isInstance(error)) {
    throw new Error(`expected a ProviderError, got ${String(error)}`);
  }
  return error;
}
