import type { FinishReason, StreamEvent, ToolCallDeltaEvent, ToolCallStartEvent, Usage } from '@nachos/plugin-sdk';
import type { ClientError } from '../../errors/client-error.js';
import type { StreamEncoder } from '../stream-encoder.js';
import { buildResponsesObject, type ResponsesEnvelope } from './build-responses-object.js';
import { openAIErrorBody } from './openai-error-body.js';
import { responsesErrorCode } from './responses-error-code.js';
import { createResponsesId } from './responses-item-id.js';
import {
  functionCallItem,
  messageItem,
  outputTextPart,
  reasoningItem,
  summaryTextPart,
  type FunctionCallState,
  type ItemStatus,
  type OutputItem,
} from './responses-output-items.js';
import { namespaceOf } from './responses-tool-namespace.js';
import { redactedReasoningContent } from './responses-reasoning-state.js';
import { responsesSseFrame } from './responses-sse-frame.js';
import { responsesOutcome } from './responses-status.js';

/** The text or reasoning item being written; at most one at a time, closed when another item starts. */
type OpenItem =
  | { kind: 'message'; id: string; outputIndex: number; text: string }
  | { kind: 'reasoning'; id: string; outputIndex: number; text: string; summaryOpen: boolean; signature: string };

type OpenCall = FunctionCallState & { outputIndex: number };

/**
 * Canonical events → Responses API SSE, in the order OpenAI sends it: `response.created` and
 * `response.in_progress`; for each output item `response.output_item.added`, its own events (a
 * message's content part and text deltas, a reasoning item's summary part and deltas, a function
 * call's argument deltas), then `response.output_item.done`; finally `response.completed`, or
 * `response.incomplete` when the answer was cut short, carrying the whole Response with usage. Every
 * event has a `sequence_number` from 0. A failure after the first byte is an `error` event and then
 * `response.failed`.
 * @see https://platform.openai.com/docs/api-reference/responses-streaming
 */
export class ResponsesStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream; charset=utf-8';
  #envelope: ResponsesEnvelope;
  #sequence = 0;
  #opened = false;
  /** Every item so far by `output_index`; open ones hold their state as first announced. */
  readonly #output: OutputItem[] = [];
  #current: OpenItem | undefined;
  readonly #calls = new Map<number, OpenCall>();
  #sawToolCall = false;
  #finish: FinishReason | undefined;
  #usage: Usage | undefined;
  #completed: ReturnType<typeof buildResponsesObject> | undefined;

  constructor(envelope: ResponsesEnvelope) {
    this.#envelope = envelope;
  }

  encode(event: StreamEvent): string {
    if (event.type === 'start' && event.model && !this.#opened) this.#envelope = { ...this.#envelope, model: event.model };
    const opening = this.#opening();
    switch (event.type) {
      case 'text-delta':
        return opening + this.#text(event.text);
      case 'reasoning-delta':
        return opening + this.#reasoning(event.text, event.signature);
      case 'redacted-reasoning':
        return opening + this.#redacted(event.data);
      case 'tool-call-start':
        return opening + this.#callStart(event);
      case 'tool-call-delta':
        return opening + this.#callDelta(event);
      case 'tool-call-end':
        return opening + this.#callEnd(event.index, 'completed');
      case 'finish':
        this.#finish ??= event.reason;
        return opening;
      case 'usage':
        this.#usage = event.usage;
        return opening;
      default:
        return opening;
    }
  }

  end(): string {
    let frames = this.#opening();
    const outcome = responsesOutcome(this.#sawToolCall ? 'tool_calls' : this.#finish);
    const itemStatus: ItemStatus = outcome.status === 'completed' ? 'completed' : 'incomplete';
    frames += this.#closeCurrent(itemStatus);
    for (const index of [...this.#calls.keys()]) frames += this.#callEnd(index, itemStatus);
    const response = buildResponsesObject(this.#envelope, {
      status: outcome.status,
      output: this.#output,
      ...(this.#usage ? { usage: this.#usage } : {}),
      incompleteDetails: outcome.incomplete_details,
    });
    this.#completed = response;
    const type = outcome.status === 'completed' ? 'response.completed' : 'response.incomplete';
    return frames + responsesSseFrame({ type, sequence_number: this.#next(), response });
  }

  /** The whole Response the last event carried, once `end()` has written it. */
  get completed(): ReturnType<typeof buildResponsesObject> | undefined {
    return this.#completed;
  }

  /**
   * The `error` event carries the error both flat (`code`, `message`, `param`, as the SDK's types
   * declare it) and as an `error` object (as OpenAI's servers send it, and which makes the SDKs throw).
   */
  error(error: ClientError): string {
    const frames = this.#opening();
    const body = openAIErrorBody(error).error;
    const output = [...this.#output];
    if (this.#current) output[this.#current.outputIndex] = this.#currentItem(this.#current, 'incomplete');
    for (const call of this.#calls.values()) output[call.outputIndex] = functionCallItem(call, 'incomplete');
    const failed = buildResponsesObject(this.#envelope, {
      status: 'failed',
      output,
      error: { code: responsesErrorCode(error.kind), message: error.message },
    });
    return (
      frames +
      responsesSseFrame({ type: 'error', sequence_number: this.#next(), code: body.code, message: body.message, param: body.param, error: body }) +
      responsesSseFrame({ type: 'response.failed', sequence_number: this.#next(), response: failed })
    );
  }

  #opening(): string {
    if (this.#opened) return '';
    this.#opened = true;
    const response = buildResponsesObject(this.#envelope, { status: 'in_progress', output: [] });
    return (
      responsesSseFrame({ type: 'response.created', sequence_number: this.#next(), response }) +
      responsesSseFrame({ type: 'response.in_progress', sequence_number: this.#next(), response })
    );
  }

  #text(text: string): string {
    if (text === '') return '';
    let frames = '';
    if (this.#current?.kind !== 'message') {
      frames += this.#closeCurrent('completed');
      const opened: OpenItem = { kind: 'message', id: createResponsesId('msg'), outputIndex: this.#output.length, text: '' };
      frames += this.#addItem(opened.outputIndex, messageItem(opened.id, 'in_progress', undefined));
      frames += responsesSseFrame({
        type: 'response.content_part.added',
        sequence_number: this.#next(),
        item_id: opened.id,
        output_index: opened.outputIndex,
        content_index: 0,
        part: outputTextPart(''),
      });
      this.#current = opened;
    }
    const item = this.#current as Extract<OpenItem, { kind: 'message' }>;
    item.text += text;
    return (
      frames +
      responsesSseFrame({
        type: 'response.output_text.delta',
        sequence_number: this.#next(),
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: 0,
        delta: text,
        logprobs: [],
      })
    );
  }

  #reasoning(text: string, signature: string | undefined): string {
    let frames = '';
    if (this.#current?.kind !== 'reasoning') {
      if (text === '' && !signature) return '';
      frames += this.#closeCurrent('completed');
      const opened: OpenItem = { kind: 'reasoning', id: createResponsesId('rs'), outputIndex: this.#output.length, text: '', summaryOpen: false, signature: '' };
      frames += this.#addItem(opened.outputIndex, reasoningItem(opened.id, undefined, undefined));
      this.#current = opened;
    }
    const item = this.#current as Extract<OpenItem, { kind: 'reasoning' }>;
    if (text !== '') {
      if (!item.summaryOpen) {
        item.summaryOpen = true;
        frames += responsesSseFrame({
          type: 'response.reasoning_summary_part.added',
          sequence_number: this.#next(),
          item_id: item.id,
          output_index: item.outputIndex,
          summary_index: 0,
          part: summaryTextPart(''),
        });
      }
      item.text += text;
      frames += responsesSseFrame({
        type: 'response.reasoning_summary_text.delta',
        sequence_number: this.#next(),
        item_id: item.id,
        output_index: item.outputIndex,
        summary_index: 0,
        delta: text,
      });
    }
    if (signature) item.signature += signature;
    return frames;
  }

  /** A redacted reasoning block is whole on arrival: one reasoning item, added and done. */
  #redacted(data: string): string {
    const frames = this.#closeCurrent('completed');
    const outputIndex = this.#output.length;
    const item = reasoningItem(createResponsesId('rs'), undefined, redactedReasoningContent(data));
    return frames + this.#addItem(outputIndex, item) + this.#doneItem(outputIndex, item);
  }

  #callStart(event: ToolCallStartEvent): string {
    const frames = this.#closeCurrent('completed');
    this.#sawToolCall = true;
    const call: OpenCall = {
      id: createResponsesId('fc'),
      callId: event.id,
      name: event.name,
      ...namespaceOf(this.#envelope, event.name),
      arguments: '',
      ...(event.signature ? { signature: event.signature } : {}),
      outputIndex: this.#output.length,
    };
    this.#calls.set(event.index, call);
    return frames + this.#addItem(call.outputIndex, functionCallItem(call, 'in_progress'));
  }

  #callDelta(event: ToolCallDeltaEvent): string {
    const call = this.#calls.get(event.index);
    if (!call || event.argumentsDelta === '') return '';
    call.arguments += event.argumentsDelta;
    return responsesSseFrame({
      type: 'response.function_call_arguments.delta',
      sequence_number: this.#next(),
      item_id: call.id,
      output_index: call.outputIndex,
      delta: event.argumentsDelta,
    });
  }

  #callEnd(index: number, status: ItemStatus): string {
    const call = this.#calls.get(index);
    if (!call) return '';
    this.#calls.delete(index);
    const item = functionCallItem(call, status);
    return (
      responsesSseFrame({
        type: 'response.function_call_arguments.done',
        sequence_number: this.#next(),
        item_id: call.id,
        output_index: call.outputIndex,
        name: call.name,
        arguments: item.arguments,
      }) +
      this.#doneItem(call.outputIndex, item)
    );
  }

  #closeCurrent(status: ItemStatus): string {
    const item = this.#current;
    if (!item) return '';
    this.#current = undefined;
    let frames = '';
    if (item.kind === 'message') {
      frames += responsesSseFrame({
        type: 'response.output_text.done',
        sequence_number: this.#next(),
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: 0,
        text: item.text,
        logprobs: [],
      });
      frames += responsesSseFrame({
        type: 'response.content_part.done',
        sequence_number: this.#next(),
        item_id: item.id,
        output_index: item.outputIndex,
        content_index: 0,
        part: outputTextPart(item.text),
      });
    } else if (item.summaryOpen) {
      frames += responsesSseFrame({
        type: 'response.reasoning_summary_text.done',
        sequence_number: this.#next(),
        item_id: item.id,
        output_index: item.outputIndex,
        summary_index: 0,
        text: item.text,
      });
      frames += responsesSseFrame({
        type: 'response.reasoning_summary_part.done',
        sequence_number: this.#next(),
        item_id: item.id,
        output_index: item.outputIndex,
        summary_index: 0,
        part: summaryTextPart(item.text),
      });
    }
    return frames + this.#doneItem(item.outputIndex, this.#currentItem(item, status));
  }

  #currentItem(item: OpenItem, status: ItemStatus): OutputItem {
    if (item.kind === 'message') return messageItem(item.id, status, item.text);
    return reasoningItem(item.id, item.summaryOpen ? item.text : undefined, item.signature || undefined);
  }

  #addItem(outputIndex: number, item: OutputItem): string {
    this.#output[outputIndex] = item;
    return responsesSseFrame({ type: 'response.output_item.added', sequence_number: this.#next(), output_index: outputIndex, item });
  }

  #doneItem(outputIndex: number, item: OutputItem): string {
    this.#output[outputIndex] = item;
    return responsesSseFrame({ type: 'response.output_item.done', sequence_number: this.#next(), output_index: outputIndex, item });
  }

  /**
   * The `sequence_number` of the event being written, taken as its literal is built. Each event is one
   * literal written out in OpenAI's key order (`type`, `sequence_number`, then its own fields): merging
   * shared fields in with a spread costs V8 microseconds per token.
   */
  #next(): number {
    return this.#sequence++;
  }
}
