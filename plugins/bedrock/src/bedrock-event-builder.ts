import { randomUUID } from 'node:crypto';
import { isRecord, ProviderError, type FinishEvent, type StreamEvent } from '@nachos/plugin-sdk';
import type { BedrockStreamEvent } from './decode-bedrock-event-stream.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';
import { mapBedrockStopReason } from './map-bedrock-stop-reason.js';
import { mapBedrockUsage } from './map-bedrock-usage.js';

export interface BedrockConversionOptions {
  /** The model the request named: Bedrock's answers do not say which model answered. */
  requestModel: string;
  /** Bedrock's request id (`x-amzn-requestid`), the response id support cases quote. */
  requestId?: string;
}

/** An open tool-use block: its canonical call index and whether any argument text went out. */
interface ToolBlock {
  ordinal: number;
  sentArguments: boolean;
}

/**
 * Turns ConverseStream events into canonical events, one event at a time:
 *
 * - `messageStart` gives `start` (id: Bedrock's request id), with the model the request named.
 * - Text and reasoning blocks start with their first delta (Bedrock sends `contentBlockStart` only
 *   for tool use); reasoning text, its signature and redacted reasoning become reasoning events.
 * - Tool-use blocks become tool calls numbered from 0, whatever their block index; the input arrives
 *   as JSON text pieces. A call whose input stayed empty gets `{}`, so that its arguments parse.
 * - `messageStop` gives `finish` (`tool_calls` whenever a call was made), `metadata` the usage,
 *   which Bedrock sends after the stop.
 * - A stream that ends before `messageStop` is an error, never a silently shortened answer.
 *
 * @see https://docs.aws.amazon.com/bedrock/latest/APIReference/API_runtime_ConverseStreamOutput.html
 */
export class BedrockEventBuilder {
  readonly #options: BedrockConversionOptions;
  readonly #toolBlocks = new Map<number, ToolBlock>();
  #toolCount = 0;
  #started = false;
  #finished = false;

  constructor(options: BedrockConversionOptions) {
    this.#options = options;
  }

  /** The canonical events one ConverseStream event produces. */
  accept(event: BedrockStreamEvent): StreamEvent[] {
    const payload = isRecord(event.payload) ? event.payload : {};
    const events: StreamEvent[] = [];
    if (this.#finished) {
      if (event.type === 'metadata') {
        this.#pushUsage(payload, events);
      }
      return events;
    }
    switch (event.type) {
      case 'messageStart':
        this.#ensureStarted(events);
        break;
      case 'contentBlockStart':
        this.#ensureStarted(events);
        this.#startBlock(readIndex(payload), isRecord(payload['start']) ? payload['start'] : {}, events);
        break;
      case 'contentBlockDelta':
        this.#ensureStarted(events);
        this.#acceptDelta(readIndex(payload), isRecord(payload['delta']) ? payload['delta'] : {}, events);
        break;
      case 'contentBlockStop':
        this.#stopBlock(readIndex(payload), events);
        break;
      case 'messageStop':
        this.#ensureStarted(events);
        this.#finish(payload, events);
        break;
      case 'metadata':
        this.#pushUsage(payload, events);
        break;
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
      throw unavailable('upstream ended the stream before messageStop');
    }
  }

  #ensureStarted(events: StreamEvent[]): void {
    if (this.#started) {
      return;
    }
    this.#started = true;
    events.push({
      type: 'start',
      id: this.#options.requestId ?? `msg_${randomUUID().replace(/-/g, '')}`,
      model: this.#options.requestModel,
    });
  }

  #startBlock(index: number, start: Record<string, unknown>, events: StreamEvent[]): void {
    const toolUse = start['toolUse'];
    if (!isRecord(toolUse) || this.#toolBlocks.has(index)) {
      return;
    }
    const ordinal = this.#toolCount;
    this.#toolCount += 1;
    this.#toolBlocks.set(index, { ordinal, sentArguments: false });
    events.push({
      type: 'tool-call-start',
      index: ordinal,
      id: nonEmptyString(toolUse['toolUseId']) ?? `call_${randomUUID().replace(/-/g, '')}`,
      name: nonEmptyString(toolUse['name']) ?? '',
    });
  }

  #acceptDelta(index: number, delta: Record<string, unknown>, events: StreamEvent[]): void {
    if (typeof delta['text'] === 'string' && delta['text'] !== '') {
      events.push({ type: 'text-delta', text: delta['text'] });
    }
    const toolUse = delta['toolUse'];
    if (isRecord(toolUse) && typeof toolUse['input'] === 'string' && toolUse['input'] !== '') {
      const block = this.#toolBlocks.get(index);
      if (block === undefined) {
        throw new ProviderError({
          kind: 'internal',
          message: `upstream sent tool input for block ${index}, which did not start as a tool call`,
          providerId: BEDROCK_PLUGIN_ID,
        });
      }
      block.sentArguments = true;
      events.push({ type: 'tool-call-delta', index: block.ordinal, argumentsDelta: toolUse['input'] });
    }
    const reasoning = delta['reasoningContent'];
    if (isRecord(reasoning)) {
      if (typeof reasoning['text'] === 'string' && reasoning['text'] !== '') {
        events.push({ type: 'reasoning-delta', text: reasoning['text'] });
      }
      if (typeof reasoning['signature'] === 'string' && reasoning['signature'] !== '') {
        events.push({ type: 'reasoning-delta', text: '', signature: reasoning['signature'] });
      }
      if (typeof reasoning['redactedContent'] === 'string' && reasoning['redactedContent'] !== '') {
        events.push({ type: 'redacted-reasoning', data: reasoning['redactedContent'] });
      }
    }
  }

  #stopBlock(index: number, events: StreamEvent[]): void {
    const block = this.#toolBlocks.get(index);
    if (block === undefined) {
      return;
    }
    this.#toolBlocks.delete(index);
    closeToolCall(block, events);
  }

  #finish(payload: Record<string, unknown>, events: StreamEvent[]): void {
    for (const [index, block] of [...this.#toolBlocks]) {
      this.#toolBlocks.delete(index);
      closeToolCall(block, events);
    }
    this.#finished = true;
    const reason = mapBedrockStopReason(nonEmptyString(payload['stopReason']));
    const finish: FinishEvent = { type: 'finish', reason: this.#toolCount > 0 && reason === 'stop' ? 'tool_calls' : reason };
    const stopSequence = readStopSequence(payload['additionalModelResponseFields']);
    if (stopSequence !== undefined) {
      finish.stopSequence = stopSequence;
    }
    events.push(finish);
  }

  #pushUsage(payload: Record<string, unknown>, events: StreamEvent[]): void {
    const usage = mapBedrockUsage(payload['usage']);
    if (usage !== undefined) {
      events.push({ type: 'usage', usage });
    }
  }
}

function closeToolCall(block: ToolBlock, events: StreamEvent[]): void {
  if (!block.sentArguments) {
    events.push({ type: 'tool-call-delta', index: block.ordinal, argumentsDelta: '{}' });
  }
  events.push({ type: 'tool-call-end', index: block.ordinal });
}

/** Claude on Bedrock names the matched stop sequence in `additionalModelResponseFields.delta`. */
function readStopSequence(fields: unknown): string | undefined {
  const delta = isRecord(fields) ? fields['delta'] : undefined;
  return isRecord(delta) ? nonEmptyString(delta['stop_sequence']) : undefined;
}

function readIndex(payload: Record<string, unknown>): number {
  return typeof payload['contentBlockIndex'] === 'number' ? payload['contentBlockIndex'] : 0;
}

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function unavailable(message: string): ProviderError {
  return new ProviderError({ kind: 'unavailable', message, providerId: BEDROCK_PLUGIN_ID });
}
