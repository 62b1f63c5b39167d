import { defaultUpstreamConnections } from '../endpoints/upstream-connections.js';
import type { ServerKind } from './server-kinds.js';

/** A model server that answered a probe: its kind and the models it serves right now. */
export interface ProbeHit {
  kind: ServerKind;
  models: string[];
}

/**
 * Asks `origin` whether it is one of `kinds`: Ollama by `GET /api/tags`, the OpenAI-compatible servers
 * by `GET /v1/models`. When several OpenAI-compatible kinds may answer (a `host:port` peer), the list's
 * shape tells them apart where it can (vLLM reports `owned_by: "vllm"` and `max_model_len`, LM Studio
 * `owned_by: "organization_owner"`), else the kind whose usual port this is, else LiteLLM, the generic
 * proxy. Anything else (no answer within the timeout, an error status, another shape) is no hit.
 */
export async function probeModelServer(
  origin: string,
  kinds: readonly ServerKind[],
  timeoutMs: number,
  kindOfPort: (port: number) => ServerKind | undefined,
): Promise<ProbeHit | undefined> {
  if (kinds.includes('ollama')) {
    const tags = await getJson(origin, '/api/tags', timeoutMs);
    if (isRecord(tags) && Array.isArray(tags.models)) {
      return { kind: 'ollama', models: namesOf(tags.models, 'name') };
    }
  }
  const compatible = kinds.filter((kind) => kind !== 'ollama');
  if (compatible.length === 0) return undefined;
  const listing = await getJson(origin, '/v1/models', timeoutMs);
  if (!isRecord(listing) || !Array.isArray(listing.data)) return undefined;
  const entries = listing.data.filter(isRecord);
  const models = namesOf(entries, 'id');
  if (compatible.length === 1) return { kind: compatible[0] as ServerKind, models };
  const shaped: ServerKind | undefined = entries.some((entry) => entry.owned_by === 'vllm' || 'max_model_len' in entry)
    ? 'vllm'
    : entries.some((entry) => entry.owned_by === 'organization_owner')
      ? 'lmstudio'
      : undefined;
  const byPort = kindOfPort(Number(new URL(origin).port));
  return { kind: shaped ?? (byPort && byPort !== 'ollama' ? byPort : 'litellm'), models };
}

/** Over llm-proxy's undici pools: the global `fetch` would load Node's bundled copy of undici beside them. */
async function getJson(origin: string, path: string, timeoutMs: number): Promise<unknown> {
  try {
    const { statusCode, body } = await defaultUpstreamConnections().dispatcher.request({
      origin,
      path,
      method: 'GET',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (statusCode < 200 || statusCode > 299) {
      await body.dump();
      return undefined;
    }
    return await body.json();
  } catch {
    return undefined;
  }
}

function namesOf(entries: readonly unknown[], field: string): string[] {
  return entries.flatMap((entry) => (isRecord(entry) && typeof entry[field] === 'string' && entry[field] !== '' ? [entry[field] as string] : []));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
