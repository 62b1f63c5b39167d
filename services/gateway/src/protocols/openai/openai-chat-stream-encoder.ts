import type { StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { ClientError } from '../../errors/client-error.js';
import type { StreamEncoder } from '../stream-encoder.js';
import { mapOpenAIFinishReason } from './map-openai-finish-reason.js';
import { openAIErrorBody } from './openai-error-body.js';
import { openAIResponseId } from './openai-response-id.js';
import { toOpenAIUsage } from './openai-usage.js';

/**
 * Canonical events → `chat.completion.chunk` SSE frames, as OpenAI sends them: a role chunk first,
 * content deltas, tool-call fragments keyed by index (id and name only on the first), a finish chunk,
 * the `choices:[]` usage chunk only when `include_usage` was asked (usage that arrives after finish is
 * held for it), then `data: [DONE]`. A failure after the first byte is `data: {"error":…}`, which the
 * OpenAI SDKs raise as an APIError.
 * @see https://platform.openai.com/docs/api-reference/chat/streaming
 */
export class OpenAIChatStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream; charset=utf-8';
  readonly #id: string;
  readonly #created: number;
  readonly #includeUsage: boolean;
  readonly #choice: number;
  #model: string;
  /**
   * The text of every chunk up to its delta, and after it with no finish reason: what JSON.stringify
   * writes for them, made once (again if the start names the model), so a token costs the delta alone.
   * Joined, not concatenated: `+` makes a tree of pieces, which every token's frame would walk to be
   * written and which each scavenge would copy, node by node, for as long as the stream is open.
   */
  #head = '';
  readonly #tail: string;
  #usage: Usage | undefined;
  #sawToolCall = false;
  #finished = false;

  /** `choice`: the index its chunks carry, for one of several choices (`n`) streamed together; 0 otherwise. */
  constructor(options: { upstreamId: string; model: string; created: number; includeUsage: boolean; choice?: number }) {
    this.#id = openAIResponseId('chatcmpl-', options.upstreamId);
    this.#model = options.model;
    this.#created = options.created;
    this.#includeUsage = options.includeUsage;
    this.#choice = options.choice ?? 0;
    this.#tail = this.#closing(null);
    this.#setModel(options.model);
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        // The head is made again only if the upstream names another model than the one asked for.
        if (event.model && event.model !== this.#model) this.#setModel(event.model);
        return this.#chunk({ role: 'assistant', content: '' });
      case 'text-delta':
        return event.text === '' ? '' : `${this.#head}{"content":${JSON.stringify(event.text)}}${this.#tail}`;
      case 'reasoning-delta':
        return event.text === '' ? '' : this.#chunk({ reasoning_content: event.text });
      case 'tool-call-start':
        this.#sawToolCall = true;
        return this.#chunk({
          tool_calls: [{ index: event.index, id: event.id, type: 'function', function: { name: event.name, arguments: '' } }],
        });
      case 'tool-call-delta':
        return event.argumentsDelta === '' ? '' : this.#chunk({ tool_calls: [{ index: event.index, function: { arguments: event.argumentsDelta } }] });
      case 'finish':
        if (this.#finished) return '';
        this.#finished = true;
        return this.#chunk({}, this.#sawToolCall ? 'tool_calls' : mapOpenAIFinishReason(event.reason));
      case 'usage':
        this.#usage = event.usage;
        return '';
      default:
        return '';
    }
  }

  end(): string {
    return `${this.closeChoice()}${this.#includeUsage ? this.usageChunk(this.#usage) : ''}data: [DONE]\n\n`;
  }

  /** The finish chunk of a choice whose upstream ended without saying how; nothing once it has. */
  closeChoice(): string {
    return this.#finished ? '' : this.#chunk({}, this.#sawToolCall ? 'tool_calls' : 'stop');
  }

  /** The `choices:[]` chunk that carries the usage when `include_usage` was asked. */
  usageChunk(usage: Usage | undefined): string {
    return frame({
      id: this.#id,
      object: 'chat.completion.chunk',
      created: this.#created,
      model: this.#model,
      choices: [],
      usage: toOpenAIUsage(usage ?? { inputTokens: 0, outputTokens: 0 }),
    });
  }

  error(error: ClientError): string {
    return frame(openAIErrorBody(error));
  }

  /**
   * `frame({ id, object, created, model, choices: [{ index, delta, logprobs: null, finish_reason }],
   * usage: null when include_usage })`, from the text made once.
   */
  #chunk(delta: Record<string, unknown>, finishReason: string | null = null): string {
    return `${this.#head}${JSON.stringify(delta)}${finishReason === null ? this.#tail : this.#closing(finishReason)}`;
  }

  #setModel(model: string): void {
    this.#model = model;
    const envelope = JSON.stringify({ id: this.#id, object: 'chat.completion.chunk', created: this.#created, model });
    this.#head = ['data: ', envelope.slice(0, -1), ',"choices":[{"index":', this.#choice, ',"delta":'].join('');
  }

  #closing(finishReason: string | null): string {
    return [',"logprobs":null,"finish_reason":', JSON.stringify(finishReason), '}]', this.#includeUsage ? ',"usage":null' : '', '}\n\n'].join('');
  }
}

function frame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\n\n`;
}
