import { randomUUID } from 'node:crypto';
import { createInBandProviderError, isRecord, ProviderError, type StreamEvent, type Usage } from '@nachos/plugin-sdk';
import { GOOGLE_PLUGIN_ID } from './google-plugin-id.js';
import { mapGeminiFinishReason } from './map-gemini-finish-reason.js';
import { mapGeminiUsage } from './map-gemini-usage.js';

export interface GeminiConversionOptions {
  /** The model the request named, for `start` when the upstream does not say which model answered. */
  requestModel: string;
}

/**
 * Turns `GenerateContentResponse` objects (one per stream chunk, or the one body of a
 * non-streaming call) into canonical events:
 *
 * - The first chunk gives `start` (`responseId`, `modelVersion`); only candidate 0 is read.
 * - Thought parts (`thought: true`) become reasoning deltas; other text becomes text deltas.
 * - A function call arrives whole: it becomes a tool call with a `call_…` id (Gemini gives none),
 *   its arguments in one delta, and its `thoughtSignature` on the start event, to be replayed.
 *   A signature on any other part is passed on as an empty reasoning delta that carries it.
 * - `finish` and `usage` come when the upstream closes the stream (Gemini sends no end marker), from
 *   the last finish reason and the last usage seen; `STOP` after function calls is `tool_calls`, and
 *   a prompt blocked before any candidate (`promptFeedback.blockReason`) is `content_filter`.
 * - A chunk with an `error` is thrown as a `ProviderError`; so is a stream that ends without a
 *   finish reason, rather than passing a cut-off answer as complete.
 */
export class GeminiEventBuilder {
  readonly #options: GeminiConversionOptions;
  #started = false;
  #toolCount = 0;
  #finishReason: string | undefined;
  #blocked = false;
  #usage: Usage | undefined;

  constructor(options: GeminiConversionOptions) {
    this.#options = options;
  }

  /** The events one response chunk produces. */
  accept(chunk: unknown): StreamEvent[] {
    if (!isRecord(chunk)) {
      throw new ProviderError({ kind: 'internal', message: 'upstream sent a response chunk that is not an object', providerId: GOOGLE_PLUGIN_ID });
    }
    if (chunk['error'] !== undefined && chunk['error'] !== null) {
      throw createInBandProviderError(chunk, { providerId: GOOGLE_PLUGIN_ID });
    }
    const events: StreamEvent[] = [];
    if (!this.#started) {
      this.#started = true;
      events.push({
        type: 'start',
        id: nonEmptyString(chunk['responseId']) ?? `gemini-${randomUUID()}`,
        model: nonEmptyString(chunk['modelVersion']) ?? this.#options.requestModel,
      });
    }
    this.#usage = mapGeminiUsage(chunk['usageMetadata']) ?? this.#usage;
    const candidates = Array.isArray(chunk['candidates']) ? (chunk['candidates'] as unknown[]) : [];
    const candidate = candidates.find((item) => isRecord(item) && (item['index'] ?? 0) === 0);
    if (isRecord(candidate)) {
      const content = isRecord(candidate['content']) ? candidate['content'] : {};
      const parts = Array.isArray(content['parts']) ? (content['parts'] as unknown[]) : [];
      for (const part of parts) {
        if (isRecord(part)) {
          this.#acceptPart(part, events);
        }
      }
      this.#finishReason = nonEmptyString(candidate['finishReason']) ?? this.#finishReason;
    } else if (isRecord(chunk['promptFeedback']) && nonEmptyString(chunk['promptFeedback']['blockReason']) !== undefined) {
      this.#blocked = true;
    }
    return events;
  }

  /** The closing `finish` and `usage`, once the upstream ended the stream. */
  end(): StreamEvent[] {
    if (!this.#started) {
      throw new ProviderError({ kind: 'unavailable', message: 'upstream ended the stream without sending anything', providerId: GOOGLE_PLUGIN_ID });
    }
    if (this.#finishReason === undefined && !this.#blocked) {
      throw new ProviderError({ kind: 'unavailable', message: 'upstream ended the stream before a finish reason', providerId: GOOGLE_PLUGIN_ID });
    }
    const events: StreamEvent[] = [
      {
        type: 'finish',
        reason: this.#finishReason === undefined ? 'content_filter' : mapGeminiFinishReason(this.#finishReason, this.#toolCount > 0),
      },
    ];
    if (this.#usage !== undefined) {
      events.push({ type: 'usage', usage: this.#usage });
    }
    return events;
  }

  #acceptPart(part: Record<string, unknown>, events: StreamEvent[]): void {
    const signature = nonEmptyString(part['thoughtSignature']);
    const call = part['functionCall'];
    if (isRecord(call)) {
      const index = this.#toolCount;
      this.#toolCount += 1;
      events.push({
        type: 'tool-call-start',
        index,
        id: nonEmptyString(call['id']) ?? `call_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
        name: typeof call['name'] === 'string' ? call['name'] : '',
        ...(signature === undefined ? {} : { signature }),
      });
      events.push({ type: 'tool-call-delta', index, argumentsDelta: JSON.stringify(isRecord(call['args']) ? call['args'] : {}) });
      events.push({ type: 'tool-call-end', index });
      return;
    }
    const text = typeof part['text'] === 'string' ? part['text'] : '';
    if (part['thought'] === true) {
      if (text !== '' || signature !== undefined) {
        events.push({ type: 'reasoning-delta', text, ...(signature === undefined ? {} : { signature }) });
      }
      return;
    }
    if (text !== '') {
      events.push({ type: 'text-delta', text });
    }
    if (signature !== undefined) {
      events.push({ type: 'reasoning-delta', text: '', signature });
    }
  }
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
