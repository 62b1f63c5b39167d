import { create } from '@bufbuild/protobuf';
import type { ModelCapabilities } from '@nachos/plugin-sdk';
import { ModelSchema, type Model } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { codecError } from './codec-error.js';
import { omitUndefined } from './omit-undefined.js';

/**
 * One model as llm-proxy lists it to the gateway: a catalogue or upstream entry, resolved to the name
 * clients use and the endpoint that serves it. The gateway renders OpenAI, Anthropic and Ollama model
 * listings from it.
 */
export interface ListedModel {
  /** The name clients use: an alias, or `<endpoint>/<model>`. */
  id: string;
  /** The plugin id (`openai`, `anthropic`). */
  provider: string;
  /** The endpoint id that serves the model. */
  endpoint: string;
  /** The provider's own model id. */
  upstreamId: string;
  contextLength?: number;
  maxOutputTokens?: number;
  capabilities: ModelCapabilities;
  /** Unix seconds; OpenAI's `created`. */
  created: number;
  ownedBy: string;
  /** Where the endpoint came from: `config`, `env`, `admin`, `auto-discovery`. */
  source: string;
}

export function toProtoListedModel(model: ListedModel): Model {
  if (!Number.isSafeInteger(model.created)) {
    throw codecError('internal', `Model ${model.id} has a non-integer created time ${model.created}`);
  }
  return create(ModelSchema, {
    id: model.id,
    provider: model.provider,
    endpoint: model.endpoint,
    upstreamId: model.upstreamId,
    contextLength: model.contextLength,
    maxOutputTokens: model.maxOutputTokens,
    capabilities: { ...model.capabilities },
    created: BigInt(model.created),
    ownedBy: model.ownedBy,
    source: model.source,
  });
}

export function fromProtoListedModel(model: Model): ListedModel {
  const { tools, vision, reasoning, embeddings } = model.capabilities ?? {};
  return omitUndefined({
    id: model.id,
    provider: model.provider,
    endpoint: model.endpoint,
    upstreamId: model.upstreamId,
    contextLength: model.contextLength,
    maxOutputTokens: model.maxOutputTokens,
    capabilities: omitUndefined({ tools, vision, reasoning, embeddings }),
    created: Number(model.created),
    ownedBy: model.ownedBy,
    source: model.source,
  });
}
