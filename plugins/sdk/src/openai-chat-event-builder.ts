import { randomUUID } from 'node:crypto';
import { createInBandProviderError } from './create-in-band-provider-error.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { mapOpenAIUsage } from './map-openai-usage.js';
import { ProviderError } from './provider-error.js';
import type { UpstreamErrorOptions } from './read-upstream-error.js';
import type { FinishReason, StreamEvent } from './stream-event.js';
import { isRecord } from './is-record.js';

export interface OpenAIChatConversionOptions extends UpstreamErrorOptions {
  /** The model the request named, for `start` when the upstream does not say which model answered. */
  requestModel: string;
}

/**
 * Turns OpenAI-style `chat.completion.chunk` objects into canonical events, one chunk at a time,
 * tolerating what compatible hosts do differently:
 *
 * - `start` comes from the first chunk with an id or choices (Azure's first chunk is a content-filter
 *   report with an empty id and model, and is skipped).
 * - Reasoning arrives as `reasoning_content` (DeepSeek, xAI) or `reasoning` (Groq, Ollama); refusals
 *   arrive as `refusal` and are passed on as text, so the client sees why nothing else came.
 * - Tool calls are keyed by `index` but numbered from 0 in order of appearance (an Anthropic-backed
 *   host starts at 1); a fragment without `index` (Mistral) continues the last call unless it brings
 *   a new id; a whole call may come in one fragment (Groq, xAI).
 * - Every started tool call is ended before `finish`; a call with no argument text gets `{}`.
 * - The finish reason becomes `tool_calls` whenever a tool call was emitted, even if the upstream
 *   said `stop`, because agents only run tools on that reason.
 * - Usage is read from any chunk, before or after the finish chunk.
 * - A chunk with a top-level `error` is thrown as a `ProviderError`.
 */
export class OpenAIChatEventBuilder {
  readonly #options: OpenAIChatConversionOptions;
  /** Every tool call so far, in order of appearance; the position is the canonical index. */
  readonly #calls: ToolCallState[] = [];
  /** The call each upstream key (index or id) currently refers to. */
  readonly #callsByKey = new Map<string, ToolCallState>();
  #lastToolKey: string | undefined;
  #started = false;
  #finished = false;
  #sawToolCall = false;

  constructor(options: OpenAIChatConversionOptions) {
    this.#options = options;
  }

  /** The events one chunk (a parsed `data:` payload) produces. */
  accept(chunk: unknown): StreamEvent[] {
    if (!isRecord(chunk)) {
      throw new ProviderError({ kind: 'internal', message: 'upstream sent a stream chunk that is not an object', providerId: this.#options.providerId });
    }
    if (chunk['error'] !== undefined && chunk['error'] !== null) {
      throw createInBandProviderError(chunk, this.#options);
    }
    const events: StreamEvent[] = [];
    const choices = Array.isArray(chunk['choices']) ? (chunk['choices'] as unknown[]) : [];
    const choice = choices.find((candidate) => isRecord(candidate) && (candidate['index'] ?? 0) === 0);
    if (!this.#started && (nonEmptyString(chunk['id']) !== undefined || choices.length > 0)) {
      events.push(this.#start(chunk));
    }
    if (isRecord(choice) && !this.#finished) {
      const delta = isRecord(choice['delta']) ? choice['delta'] : isRecord(choice['message']) ? choice['message'] : {};
      this.#acceptDelta(delta, events);
      const reason = nonEmptyString(choice['finish_reason']);
      if (reason !== undefined) {
        this.#finish(mapOpenAIFinishReason(reason), events);
      }
    }
    const usage = mapOpenAIUsage(chunk['usage']);
    if (usage !== undefined) {
      if (!this.#started) {
        events.push(this.#start(chunk));
      }
      events.push({ type: 'usage', usage });
    }
    return events;
  }

  /** The events that close the stream: pending tool-call ends and the one `finish`, if not yet sent. */
  end(): StreamEvent[] {
    if (!this.#started) {
      throw new ProviderError({
        kind: 'unavailable',
        message: 'upstream ended the stream without sending anything',
        providerId: this.#options.providerId,
      });
    }
    const events: StreamEvent[] = [];
    if (!this.#finished) {
      this.#finish('stop', events);
    }
    return events;
  }

  #start(chunk: Record<string, unknown>): StreamEvent {
    this.#started = true;
    return {
      type: 'start',
      id: nonEmptyString(chunk['id']) ?? `chatcmpl-${randomUUID()}`,
      model: nonEmptyString(chunk['model']) ?? this.#options.requestModel,
    };
  }

  #acceptDelta(delta: Record<string, unknown>, events: StreamEvent[]): void {
    const reasoning = nonEmptyString(delta['reasoning_content']) ?? nonEmptyString(delta['reasoning']);
    if (reasoning !== undefined) {
      events.push({ type: 'reasoning-delta', text: reasoning });
    }
    const text = readContentText(delta['content']) ?? nonEmptyString(delta['refusal']);
    if (text !== undefined) {
      events.push({ type: 'text-delta', text });
    }
    if (Array.isArray(delta['tool_calls'])) {
      for (const fragment of delta['tool_calls'] as unknown[]) {
        if (isRecord(fragment)) {
          this.#acceptToolCallFragment(fragment, events);
        }
      }
    }
  }

  #acceptToolCallFragment(fragment: Record<string, unknown>, events: StreamEvent[]): void {
    const id = nonEmptyString(fragment['id']);
    const functionPart = isRecord(fragment['function']) ? fragment['function'] : {};
    const key = this.#toolCallKey(fragment, id);
    let call = this.#callsByKey.get(key);
    // A new id under a known index is a new call: some hosts number every whole call 0.
    if (call === undefined || (id !== undefined && call.id !== undefined && call.id !== id)) {
      call = { ordinal: this.#calls.length, id, started: false, closed: false, pendingArguments: '', sentArguments: false };
      this.#calls.push(call);
      this.#callsByKey.set(key, call);
    }
    this.#lastToolKey = key;
    call.id ??= id;
    call.name ??= nonEmptyString(functionPart['name']);
    const argumentsText = typeof functionPart['arguments'] === 'string' ? functionPart['arguments'] : '';
    call.pendingArguments += argumentsText;
    if (!call.started && call.name !== undefined) {
      call.started = true;
      this.#sawToolCall = true;
      events.push({ type: 'tool-call-start', index: call.ordinal, id: call.id ?? `call_${randomUUID()}`, name: call.name });
    }
    if (call.started && call.pendingArguments !== '') {
      events.push({ type: 'tool-call-delta', index: call.ordinal, argumentsDelta: call.pendingArguments });
      call.pendingArguments = '';
      call.sentArguments = true;
    }
  }

  /** `index` when the host sends it; otherwise a new id opens a new call and no id continues the last. */
  #toolCallKey(fragment: Record<string, unknown>, id: string | undefined): string {
    if (typeof fragment['index'] === 'number') {
      return `index:${fragment['index']}`;
    }
    if (id !== undefined) {
      return `id:${id}`;
    }
    return this.#lastToolKey ?? 'id:';
  }

  #finish(upstreamReason: FinishReason, events: StreamEvent[]): void {
    for (const call of this.#calls) {
      if (call.closed) {
        continue;
      }
      if (!call.started) {
        throw new ProviderError({
          kind: 'internal',
          message: 'upstream sent a tool call without a name',
          providerId: this.#options.providerId,
        });
      }
      if (!call.sentArguments) {
        events.push({ type: 'tool-call-delta', index: call.ordinal, argumentsDelta: '{}' });
      }
      events.push({ type: 'tool-call-end', index: call.ordinal });
      call.closed = true;
    }
    this.#finished = true;
    events.push({ type: 'finish', reason: this.#sawToolCall && upstreamReason === 'stop' ? 'tool_calls' : upstreamReason });
  }
}

interface ToolCallState {
  ordinal: number;
  id: string | undefined;
  name?: string | undefined;
  started: boolean;
  closed: boolean;
  /** Argument text that arrived before the call's name, held until the call can start. */
  pendingArguments: string;
  sentArguments: boolean;
}

/** `content` is a string, except on hosts that send an array of parts (Mistral); their text parts count. */
function readContentText(content: unknown): string | undefined {
  if (!Array.isArray(content)) {
    return nonEmptyString(content);
  }
  const text = (content as unknown[])
    .map((part) => (isRecord(part) && part['type'] === 'text' && typeof part['text'] === 'string' ? part['text'] : ''))
    .join('');
  return nonEmptyString(text);
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
