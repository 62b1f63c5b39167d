import type * as grpc from '@grpc/grpc-js';
import { Secret } from '@nachos/plugin-sdk';
import { ALLOWED_MODELS_METADATA_KEY, CLIENT_HEADERS_METADATA_KEY, PROVIDER_KEY_METADATA_KEY } from '@nachos/proto';

/** What the gateway says about its caller: a BYOK key, the models its key may use, forwarded headers. */
export function callContextOf(call: grpc.ServerUnaryCall<unknown, unknown>): {
  providerKey?: Secret;
  allowedModels?: string[];
  clientHeaders?: Record<string, string>;
} {
  const text = (key: string) => {
    const value = call.metadata.get(key)[0];
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const providerKey = text(PROVIDER_KEY_METADATA_KEY);
  const allowed = text(ALLOWED_MODELS_METADATA_KEY);
  const headers = text(CLIENT_HEADERS_METADATA_KEY);
  return {
    ...(providerKey ? { providerKey: new Secret(providerKey) } : {}),
    ...(allowed ? { allowedModels: allowed.split(',').map((pattern) => pattern.trim()).filter(Boolean) } : {}),
    ...(headers ? { clientHeaders: parseHeaders(headers) } : {}),
  };
}

function parseHeaders(json: string): Record<string, string> {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string').map(([name, value]) => [name.toLowerCase(), value]),
    );
  } catch {
    return {};
  }
}
