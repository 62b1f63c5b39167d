import type { ListedModel } from '@nachos/proto';
import type { CallContext, LlmProxyClient } from '../../llm-proxy/llm-proxy-client.js';

const LATEST = ':latest';

/**
 * Ollama treats `name` and `name:latest` as one model, and clients add the tag freely. nachos ids carry a
 * tag only when the provider's id does, so `x:latest` means the listed `x:latest` if there is one, and `x`
 * otherwise. Only a name with the tag costs a model listing (an in-memory answer from llm-proxy).
 */
export async function resolveOllamaModelName(name: string, client: LlmProxyClient, context: CallContext): Promise<string> {
  if (!name.endsWith(LATEST)) return name;
  return findListedModel(await client.listModels(context), name)?.id ?? withoutLatest(name);
}

/** The listed model a client means by `name`, with or without the implicit `:latest` tag. */
export function findListedModel(models: readonly ListedModel[], name: string): ListedModel | undefined {
  return (
    models.find((model) => model.id === name) ??
    models.find((model) => model.id === withoutLatest(name)) ??
    models.find((model) => withoutLatest(model.id) === name)
  );
}

function withoutLatest(name: string): string {
  return name.endsWith(LATEST) ? name.slice(0, -LATEST.length) : name;
}

/**
 * The model `/api/show` and `/api/pull` describe: what the name resolves to exactly as a chat request
 * naming it would (aliases, prefixes, renames, families), trying it without `:latest` when the tagged
 * name resolves to nothing.
 */
export async function describeOllamaModel(name: string, client: LlmProxyClient, context: CallContext): Promise<ListedModel | undefined> {
  const [model] = await client.listModels(context, name);
  if (model || !name.endsWith(LATEST)) return model;
  return (await client.listModels(context, withoutLatest(name)))[0];
}
