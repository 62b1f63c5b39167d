import { randomUUID } from 'node:crypto';
import { createInBandProviderError, isRecord, ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';

export interface OllamaConversionOptions {
  /** The model the request named, for `start` when a line does not say which model answered. */
  requestModel: string;
  providerId: string;
}

/**
 * Turns Ollama `/api/chat` response objects (NDJSON lines, or the one body of a non-streamed answer)
 * into canonical events:
 *
 * - `start` comes from the first object, with a made-up id (Ollama has none).
 * - `message.thinking` is reasoning, `message.content` is text.
 * - Tool calls arrive whole, arguments as an object: each becomes start, one delta with the
 *   arguments as JSON text, and end. Ids are kept when the server sends them (`call_…` on current
 *   servers) and made up otherwise.
 * - The `done: true` object ends the answer: finish (`tool_calls` whenever calls were made, since
 *   Ollama says `stop`) and usage from `prompt_eval_count` / `eval_count`.
 * - An `{"error": "…"}` object is thrown as a `ProviderError`; so is a stream that ends without
 *   `done: true`, because its answer is cut short.
 */
export class OllamaChatEventBuilder {
  readonly #options: OllamaConversionOptions;
  #started = false;
  #finished = false;
  #toolCalls = 0;

  constructor(options: OllamaConversionOptions) {
    this.#options = options;
  }

  accept(line: unknown): StreamEvent[] {
    if (!isRecord(line)) {
      throw new ProviderError({ kind: 'internal', message: 'upstream sent a line that is not an object', providerId: this.#options.providerId });
    }
    if (line['error'] !== undefined && line['error'] !== null) {
      throw createInBandProviderError(line, { providerId: this.#options.providerId });
    }
    if (this.#finished) {
      return [];
    }
    const events: StreamEvent[] = [];
    if (!this.#started) {
      this.#started = true;
      events.push({ type: 'start', id: `chatcmpl-${randomUUID()}`, model: nonEmptyString(line['model']) ?? this.#options.requestModel });
    }
    if (isRecord(line['message'])) {
      this.#acceptMessage(line['message'], events);
    }
    if (line['done'] === true) {
      this.#finished = true;
      const reason = mapOllamaDoneReason(line['done_reason']);
      events.push({ type: 'finish', reason: this.#toolCalls > 0 && reason === 'stop' ? 'tool_calls' : reason });
      events.push({ type: 'usage', usage: { inputTokens: readCount(line['prompt_eval_count']), outputTokens: readCount(line['eval_count']) } });
    }
    return events;
  }

  /** Checks that the answer was complete; Ollama's final `done: true` object is its only proof. */
  end(): StreamEvent[] {
    if (!this.#finished) {
      throw new ProviderError({
        kind: 'unavailable',
        message: this.#started ? 'upstream ended the stream before its final "done" line' : 'upstream ended the stream without sending anything',
        providerId: this.#options.providerId,
      });
    }
    return [];
  }

  #acceptMessage(message: Record<string, unknown>, events: StreamEvent[]): void {
    const thinking = nonEmptyString(message['thinking']);
    if (thinking !== undefined) {
      events.push({ type: 'reasoning-delta', text: thinking });
    }
    const content = nonEmptyString(message['content']);
    if (content !== undefined) {
      events.push({ type: 'text-delta', text: content });
    }
    if (Array.isArray(message['tool_calls'])) {
      for (const call of message['tool_calls'] as unknown[]) {
        this.#acceptToolCall(call, events);
      }
    }
  }

  #acceptToolCall(call: unknown, events: StreamEvent[]): void {
    const functionPart = isRecord(call) && isRecord(call['function']) ? call['function'] : undefined;
    const name = nonEmptyString(functionPart?.['name']);
    if (functionPart === undefined || name === undefined) {
      throw new ProviderError({ kind: 'internal', message: 'upstream sent a tool call without a name', providerId: this.#options.providerId });
    }
    const index = this.#toolCalls;
    this.#toolCalls += 1;
    const id = (isRecord(call) ? nonEmptyString(call['id']) : undefined) ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    events.push({ type: 'tool-call-start', index, id, name });
    events.push({ type: 'tool-call-delta', index, argumentsDelta: stringifyArguments(functionPart['arguments']) });
    events.push({ type: 'tool-call-end', index });
  }
}

/** Arguments come as an object; a proxy in front of Ollama may already have made them text. */
function stringifyArguments(value: unknown): string {
  if (typeof value === 'string') {
    return value.trim() === '' ? '{}' : value;
  }
  return value === undefined || value === null ? '{}' : JSON.stringify(value);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function readCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}
