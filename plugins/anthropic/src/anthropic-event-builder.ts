import { randomUUID } from 'node:crypto';
import { createInBandProviderError, isRecord, ProviderError, type FinishEvent, type StreamEvent } from '@nachos/plugin-sdk';
import { ANTHROPIC_PLUGIN_ID } from './anthropic-plugin-id.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';
import { mapAnthropicUsage, readAnthropicUsage, type AnthropicUsageCounts } from './map-anthropic-usage.js';

export interface AnthropicConversionOptions {
  /** The model the request named, for `start` when the upstream does not say which model answered. */
  requestModel: string;
}

/** What an open content block is, by Anthropic's block index. */
type BlockState =
  | { kind: 'tool'; ordinal: number; sentArguments: boolean; initialInput: string | undefined }
  | { kind: 'content' };

/**
 * Turns Messages API stream events into canonical events, one event at a time:
 *
 * - `message_start` gives `start` and the input counts; `message_delta` gives the stop reason and
 *   the cumulative counts, and produces `finish` followed by `usage`.
 * - Text, thinking (with its `signature_delta`) and redacted thinking blocks become text, reasoning
 *   and redacted-reasoning events; `tool_use` blocks become tool calls numbered from 0, whatever
 *   their block index. A tool whose input stayed empty (a no-argument tool streams only `""`) gets
 *   `{}`, so that its arguments always parse.
 * - The finish reason is `tool_calls` whenever a tool call was emitted.
 * - `ping` and event types this plugin does not know are skipped, as the Anthropic SDK does;
 *   `error` is thrown as a `ProviderError` (`overloaded_error` → `unavailable`, …).
 * - A stream that ends before its stop reason is an error, never a silently shortened answer.
 *
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export class AnthropicEventBuilder {
  readonly #options: AnthropicConversionOptions;
  readonly #blocks = new Map<number, BlockState>();
  readonly #usage: AnthropicUsageCounts = {};
  #toolCount = 0;
  #started = false;
  #finished = false;

  constructor(options: AnthropicConversionOptions) {
    this.#options = options;
  }

  /** The canonical events one upstream event (a parsed `data:` payload) produces. */
  accept(payload: unknown): StreamEvent[] {
    if (!isRecord(payload)) {
      throw new ProviderError({ kind: 'internal', message: 'upstream sent an event that is not an object', providerId: ANTHROPIC_PLUGIN_ID });
    }
    const events: StreamEvent[] = [];
    switch (payload['type']) {
      case 'message_start': {
        const message = isRecord(payload['message']) ? payload['message'] : {};
        readAnthropicUsage(message['usage'], this.#usage);
        this.#ensureStarted(events, message);
        break;
      }
      case 'content_block_start':
        this.#ensureStarted(events);
        this.#startBlock(readIndex(payload), isRecord(payload['content_block']) ? payload['content_block'] : {}, events);
        break;
      case 'content_block_delta':
        this.#ensureStarted(events);
        this.#acceptDelta(readIndex(payload), isRecord(payload['delta']) ? payload['delta'] : {}, events);
        break;
      case 'content_block_stop':
        this.#stopBlock(readIndex(payload), events);
        break;
      case 'message_delta': {
        this.#ensureStarted(events);
        readAnthropicUsage(payload['usage'], this.#usage);
        const delta = isRecord(payload['delta']) ? payload['delta'] : {};
        if (typeof delta['stop_reason'] === 'string') {
          this.#finish(delta['stop_reason'], delta['stop_sequence'], events);
          events.push({ type: 'usage', usage: mapAnthropicUsage(this.#usage) });
        }
        break;
      }
      case 'message_stop':
        this.#ensureStarted(events);
        if (!this.#finished) {
          this.#finish('end_turn', null, events);
          events.push({ type: 'usage', usage: mapAnthropicUsage(this.#usage) });
        }
        break;
      case 'error':
        throw createInBandProviderError(payload, { providerId: ANTHROPIC_PLUGIN_ID });
      default:
        break;
    }
    return events;
  }

  /** Checks, once the upstream closed the stream, that the answer was complete. */
  end(): void {
    if (!this.#started) {
      throw unavailable('upstream ended the stream without sending anything');
    }
    if (!this.#finished) {
      throw unavailable('upstream ended the stream before the message was complete');
    }
  }

  #ensureStarted(events: StreamEvent[], message: Record<string, unknown> = {}): void {
    if (this.#started) {
      return;
    }
    this.#started = true;
    events.push({
      type: 'start',
      id: nonEmptyString(message['id']) ?? `msg_${randomUUID().replace(/-/g, '')}`,
      model: nonEmptyString(message['model']) ?? this.#options.requestModel,
    });
  }

  #startBlock(index: number, block: Record<string, unknown>, events: StreamEvent[]): void {
    switch (block['type']) {
      case 'tool_use': {
        const ordinal = this.#toolCount;
        this.#toolCount += 1;
        const input = block['input'];
        const initialInput = isRecord(input) && Object.keys(input).length > 0 ? JSON.stringify(input) : undefined;
        this.#blocks.set(index, { kind: 'tool', ordinal, sentArguments: false, initialInput });
        events.push({
          type: 'tool-call-start',
          index: ordinal,
          id: nonEmptyString(block['id']) ?? `toolu_${randomUUID().replace(/-/g, '')}`,
          name: typeof block['name'] === 'string' ? block['name'] : '',
        });
        return;
      }
      case 'text':
        pushText(events, block['text']);
        break;
      case 'thinking':
        pushReasoning(events, block['thinking']);
        pushSignature(events, block['signature']);
        break;
      case 'redacted_thinking':
        if (typeof block['data'] === 'string') {
          events.push({ type: 'redacted-reasoning', data: block['data'] });
        }
        break;
      default:
        // Server tools' blocks (web search and its results…) have no canonical counterpart.
        break;
    }
    this.#blocks.set(index, { kind: 'content' });
  }

  #acceptDelta(index: number, delta: Record<string, unknown>, events: StreamEvent[]): void {
    switch (delta['type']) {
      case 'text_delta':
        pushText(events, delta['text']);
        break;
      case 'thinking_delta':
        pushReasoning(events, delta['thinking']);
        break;
      case 'signature_delta':
        pushSignature(events, delta['signature']);
        break;
      case 'input_json_delta': {
        const block = this.#blocks.get(index);
        const fragment = delta['partial_json'];
        if (block?.kind === 'tool' && typeof fragment === 'string' && fragment !== '') {
          block.sentArguments = true;
          events.push({ type: 'tool-call-delta', index: block.ordinal, argumentsDelta: fragment });
        }
        break;
      }
      default:
        // `citations_delta` and newer delta types carry nothing canonical.
        break;
    }
  }

  #stopBlock(index: number, events: StreamEvent[]): void {
    const block = this.#blocks.get(index);
    this.#blocks.delete(index);
    if (block?.kind === 'tool') {
      closeToolCall(block, events);
    }
  }

  #finish(stopReason: string, stopSequence: unknown, events: StreamEvent[]): void {
    if (this.#finished) {
      return;
    }
    for (const [index, block] of this.#blocks) {
      if (block.kind === 'tool') {
        closeToolCall(block, events);
      }
      this.#blocks.delete(index);
    }
    this.#finished = true;
    const reason = mapAnthropicStopReason(stopReason);
    const finish: FinishEvent = { type: 'finish', reason: this.#toolCount > 0 && reason === 'stop' ? 'tool_calls' : reason };
    if (typeof stopSequence === 'string' && stopSequence !== '') {
      finish.stopSequence = stopSequence;
    }
    events.push(finish);
  }
}

function unavailable(message: string): ProviderError {
  return new ProviderError({ kind: 'unavailable', message, providerId: ANTHROPIC_PLUGIN_ID });
}

function closeToolCall(block: { ordinal: number; sentArguments: boolean; initialInput: string | undefined }, events: StreamEvent[]): void {
  if (!block.sentArguments) {
    events.push({ type: 'tool-call-delta', index: block.ordinal, argumentsDelta: block.initialInput ?? '{}' });
  }
  events.push({ type: 'tool-call-end', index: block.ordinal });
}

function pushText(events: StreamEvent[], text: unknown): void {
  if (typeof text === 'string' && text !== '') {
    events.push({ type: 'text-delta', text });
  }
}

function pushReasoning(events: StreamEvent[], text: unknown): void {
  if (typeof text === 'string' && text !== '') {
    events.push({ type: 'reasoning-delta', text });
  }
}

function pushSignature(events: StreamEvent[], signature: unknown): void {
  if (typeof signature === 'string' && signature !== '') {
    events.push({ type: 'reasoning-delta', text: '', signature });
  }
}

function readIndex(payload: Record<string, unknown>): number {
  return typeof payload['index'] === 'number' ? payload['index'] : 0;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
