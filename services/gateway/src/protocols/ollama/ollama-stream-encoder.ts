import { isoTimestamp } from '@nachos/common';
import type { FinishReason, StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { ClientError } from '../../errors/client-error.js';
import type { AggregatedToolCall } from '../aggregate-events.js';
import type { StreamEncoder } from '../stream-encoder.js';
import { ollamaFinal, ollamaPartial, type OllamaOutput } from './build-ollama-response.js';
import { mapOllamaDoneReason } from './map-ollama-done-reason.js';
import { ollamaErrorBody } from './ollama-error-body.js';
import type { OllamaTiming } from './ollama-timing.js';
import type { OllamaGenerationEndpoint } from './parsed-ollama-request.js';
import { toOllamaToolCall } from './to-ollama-tool-call.js';

/**
 * Canonical events → Ollama NDJSON, one complete object per line (Open WebUI parses each body chunk as
 * one line). Text and thinking go out as they come; a tool call is held until it is complete and then
 * sent whole, `arguments` as an object, on its own line. Usage may come after the finish, so the final
 * `done: true` line is written by `end()`, with `done_reason` and the measured durations. A failure once
 * the stream has begun is an `{"error":"…"}` line and nothing after it, as Ollama does: ollama-js throws
 * on the `error` key.
 * @see https://github.com/ollama/ollama/blob/main/docs/api.md#streaming-responses
 */
export class OllamaStreamEncoder implements StreamEncoder {
  readonly contentType = 'application/x-ndjson';
  readonly #endpoint: OllamaGenerationEndpoint;
  readonly #model: string;
  readonly #timing: OllamaTiming;
  readonly #pendingCalls = new Map<number, AggregatedToolCall>();
  #finishReason: FinishReason = 'stop';
  #usage: Usage | undefined;
  /**
   * What JSON.stringify writes for a text or thinking line around its time and its text, made once per
   * stream, so a token costs its timestamp and the JSON.stringify of its text alone.
   */
  readonly #head: string;
  readonly #textHead: string;
  readonly #thinkingHead: string;
  readonly #tail: string;

  /** `model` is the name the client asked for: Ollama echoes it, and clients key their state on it. */
  constructor(options: { endpoint: OllamaGenerationEndpoint; model: string; timing: OllamaTiming }) {
    this.#endpoint = options.endpoint;
    this.#model = options.model;
    this.#timing = options.timing;
    this.#head = `{"model":${JSON.stringify(options.model)},"created_at":"`;
    const chat = options.endpoint === 'chat';
    this.#textHead = chat ? '","message":{"role":"assistant","content":' : '","response":';
    this.#thinkingHead = chat ? '","message":{"role":"assistant","content":"","thinking":' : '","response":"","thinking":';
    this.#tail = chat ? '},"done":false}\n' : ',"done":false}\n';
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'text-delta':
        return event.text === '' ? '' : this.#textLine(this.#textHead, event.text);
      case 'reasoning-delta':
        return event.text === '' ? '' : this.#textLine(this.#thinkingHead, event.text);
      case 'tool-call-start':
        this.#pendingCalls.set(event.index, { id: event.id, name: event.name, arguments: '' });
        return '';
      case 'tool-call-delta': {
        const call = this.#pendingCalls.get(event.index);
        if (call) call.arguments += event.argumentsDelta;
        return '';
      }
      case 'tool-call-end':
        return this.#flushCall(event.index);
      case 'finish':
        this.#finishReason = event.reason;
        return '';
      case 'usage':
        this.#usage = event.usage;
        return '';
      default:
        return '';
    }
  }

  end(): string {
    const unfinished = [...this.#pendingCalls.keys()].map((index) => this.#flushCall(index)).join('');
    const final = ollamaFinal(this.#endpoint, this.#model, { content: '' }, mapOllamaDoneReason(this.#finishReason), this.#timing.metrics(this.#usage));
    return `${unfinished}${JSON.stringify(final)}\n`;
  }

  error(error: ClientError): string {
    return `${JSON.stringify(ollamaErrorBody(error))}\n`;
  }

  #flushCall(index: number): string {
    const call = this.#pendingCalls.get(index);
    if (!call) return '';
    this.#pendingCalls.delete(index);
    const converted = toOllamaToolCall(call, index);
    return 'call' in converted ? this.#line({ content: '', toolCalls: [converted.call] }) : this.#line({ content: converted.text });
  }

  /** `ollamaPartial(…, { content: text })` or `{ content: '', thinking: text }`, as JSON.stringify writes it. */
  #textLine(head: string, text: string): string {
    return `${this.#head}${isoTimestamp()}${head}${JSON.stringify(text)}${this.#tail}`;
  }

  #line(output: OllamaOutput): string {
    return `${JSON.stringify(ollamaPartial(this.#endpoint, this.#model, output))}\n`;
  }
}
