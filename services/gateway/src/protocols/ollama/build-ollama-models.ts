import { createHash } from 'node:crypto';
import type { ListedModel } from '@nachos/proto';

/** When a provider gives no creation time, models are as old as this gateway process. */
const STARTED_AT = new Date();

/** How long `/api/ps` says a model stays loaded; hosted models never unload, so this only moves forward. */
const LOADED_FOR_MS = 24 * 60 * 60 * 1000;

/**
 * Ollama's `details`. A hosted model has no file format, size or quantisation, so those are empty
 * (as Ollama leaves them for its own cloud models); the family is the provider, which is what a user
 * picking a model wants to see.
 */
export function ollamaModelDetails(model: ListedModel) {
  return { parent_model: '', format: '', family: model.provider, families: [model.provider], parameter_size: '', quantization_level: '' };
}

/** Capability names from Ollama's list (`types/model/capability.go`), as `/api/show` reports them. */
export function ollamaCapabilities(model: ListedModel): string[] {
  const { tools, vision, reasoning, embeddings } = model.capabilities;
  if (embeddings && !tools && !vision && !reasoning) return ['embedding'];
  return [
    'completion',
    ...(tools ? ['tools'] : []),
    ...(vision ? ['vision'] : []),
    ...(reasoning ? ['thinking'] : []),
    ...(embeddings ? ['embedding'] : []),
  ];
}

/**
 * One `GET /api/tags` entry. `name` and `model` are both the nachos id, exactly as chat requests take
 * it: Ollama's clients (ollama-js, Open WebUI, VS Code) accept untagged names and Ollama itself treats
 * `x` as `x:latest`, so no tag is invented. The digest is a stable hash of where the model is served.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#list-local-models
 */
export function buildOllamaTagsEntry(model: ListedModel) {
  return {
    name: model.id,
    model: model.id,
    modified_at: modifiedAt(model),
    size: 0,
    digest: digestOf(model),
    details: ollamaModelDetails(model),
    capabilities: ollamaCapabilities(model),
  };
}

/**
 * One `GET /api/ps` entry: every served model counts as loaded, since a hosted model answers at once.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#list-running-models
 */
export function buildOllamaPsEntry(model: ListedModel, now: Date) {
  return {
    name: model.id,
    model: model.id,
    size: 0,
    digest: digestOf(model),
    details: ollamaModelDetails(model),
    expires_at: new Date(now.getTime() + LOADED_FOR_MS).toISOString(),
    size_vram: 0,
    ...(model.contextLength === undefined ? {} : { context_length: model.contextLength }),
  };
}

/**
 * `POST /api/show`. Clients configure themselves from `model_info` (VS Code reads
 * `general.architecture`, then `<architecture>.context_length` and `general.basename`) and from
 * `capabilities` (`tools`, `vision`, `thinking`). The architecture is the provider id; a context length
 * nachos does not know is left out rather than guessed, so clients fall back to their own default.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#show-model-information
 */
export function buildOllamaShow(model: ListedModel) {
  const architecture = model.provider;
  return {
    modelfile: '',
    parameters: '',
    template: '',
    license: '',
    details: ollamaModelDetails(model),
    model_info: {
      'general.architecture': architecture,
      'general.basename': model.id,
      ...(model.contextLength === undefined ? {} : { [`${architecture}.context_length`]: model.contextLength }),
    },
    capabilities: ollamaCapabilities(model),
    modified_at: modifiedAt(model),
  };
}

function modifiedAt(model: ListedModel): string {
  return (model.created > 0 ? new Date(model.created * 1000) : STARTED_AT).toISOString();
}

function digestOf(model: ListedModel): string {
  return createHash('sha256').update(`${model.endpoint}/${model.upstreamId}`).digest('hex');
}
