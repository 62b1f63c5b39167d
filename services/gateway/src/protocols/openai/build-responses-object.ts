import type { JsonObject, Usage } from '@nachos/plugin-sdk';
import type { OutputItem } from './responses-output-items.js';
import { toResponsesUsage } from './responses-usage.js';

export interface ResponsesEnvelope {
  id: string;
  createdAt: number;
  model: string;
  /** The request settings the Response repeats back (see `parseOpenAIResponsesRequest`). */
  settings: JsonObject;
  /** The namespace of each namespaced function tool, by name: calls to them name it. */
  toolNamespaces?: ReadonlyMap<string, string>;
}

export interface ResponsesState {
  status: 'in_progress' | 'completed' | 'incomplete' | 'failed';
  output: OutputItem[];
  usage?: Usage;
  incompleteDetails?: { reason: string } | null;
  error?: { code: string; message: string } | null;
}

/**
 * A Response object, the same shape whether it is the whole non-streaming answer or the snapshot a
 * stream's `response.created` / `response.completed` / `response.failed` event carries.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export function buildResponsesObject(envelope: ResponsesEnvelope, state: ResponsesState) {
  const finished = state.status === 'completed' || state.status === 'incomplete';
  return {
    id: envelope.id,
    object: 'response',
    created_at: envelope.createdAt,
    status: state.status,
    background: false,
    completed_at: state.status === 'completed' ? Math.floor(Date.now() / 1000) : null,
    error: state.error ?? null,
    incomplete_details: state.incompleteDetails ?? null,
    model: envelope.model,
    output: state.output,
    ...envelope.settings,
    usage: finished ? toResponsesUsage(state.usage ?? { inputTokens: 0, outputTokens: 0 }) : null,
  };
}
