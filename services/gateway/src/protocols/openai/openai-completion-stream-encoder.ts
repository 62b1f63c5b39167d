import type { FinishReason, StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { ClientError } from '../../errors/client-error.js';
import type { StreamEncoder } from '../stream-encoder.js';
import { mapTextCompletionFinishReason } from './map-text-completion-finish-reason.js';
import { openAIDataFrame } from './openai-data-frame.js';
import { openAIErrorBody } from './openai-error-body.js';
import { toTextCompletionUsage } from './text-completion-usage.js';

export interface OpenAICompletionStreamEncoderOptions {
  /** This completion's `cmpl-…` id, the same on every chunk. */
  id: string;
  model: string;
  created: number;
  includeUsage: boolean;
  /** With `echo: true`, the prompt, sent as the first text. */
  echoedPrompt?: string;
}

/**
 * Canonical events → legacy completion SSE frames, as OpenAI sends them: every chunk is a
 * `text_completion` (no `.chunk` suffix) with one choice's text; the finish reason rides on the last
 * text chunk, so each text is held until the next one (or the end) shows whether it is the last; then
 * the `choices:[]` usage chunk, only when `include_usage` was asked, and `data: [DONE]`. A failure
 * after the first byte is `data: {"error":…}`, which the OpenAI SDKs raise as an APIError.
 * @see https://platform.openai.com/docs/api-reference/completions/create
 */
export class OpenAICompletionStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream; charset=utf-8';
  readonly #id: string;
  readonly #created: number;
  readonly #includeUsage: boolean;
  #model: string;
  /** The latest text, not yet sent: it carries the finish reason if nothing follows it. */
  #held: string | undefined;
  #finish: FinishReason | undefined;
  #usage: Usage | undefined;

  constructor(options: OpenAICompletionStreamEncoderOptions) {
    this.#id = options.id;
    this.#model = options.model;
    this.#created = options.created;
    this.#includeUsage = options.includeUsage;
    this.#held = options.echoedPrompt;
  }

  encode(event: StreamEvent): string {
    switch (event.type) {
      case 'start':
        if (event.model) this.#model = event.model;
        return '';
      case 'text-delta': {
        if (event.text === '') return '';
        const previous = this.#held === undefined ? '' : this.#chunk(this.#held, null);
        this.#held = event.text;
        return previous;
      }
      case 'finish':
        this.#finish ??= event.reason;
        return '';
      case 'usage':
        this.#usage = event.usage;
        return '';
      default:
        return '';
    }
  }

  end(): string {
    let frames = this.#chunk(this.#held ?? '', mapTextCompletionFinishReason(this.#finish ?? 'stop'));
    this.#held = undefined;
    if (this.#includeUsage) {
      const usage = toTextCompletionUsage(this.#usage ?? { inputTokens: 0, outputTokens: 0 });
      frames += openAIDataFrame({ id: this.#id, object: 'text_completion', created: this.#created, model: this.#model, usage, choices: [] });
    }
    return `${frames}data: [DONE]\n\n`;
  }

  /** Sends the text that had arrived, then the in-band error; no `[DONE]`, as OpenAI ends a failed stream. */
  error(error: ClientError): string {
    const held = this.#held === undefined ? '' : this.#chunk(this.#held, null);
    this.#held = undefined;
    return held + openAIDataFrame(openAIErrorBody(error));
  }

  #chunk(text: string, finishReason: string | null): string {
    return openAIDataFrame({
      id: this.#id,
      object: 'text_completion',
      created: this.#created,
      choices: [{ text, index: 0, logprobs: null, finish_reason: finishReason }],
      model: this.#model,
      ...(this.#includeUsage ? { usage: null } : {}),
    });
  }
}
