import type { FinishEvent, StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { ClientError } from '../../errors/client-error.js';
import type { StreamEncoder } from '../stream-encoder.js';
import { AnthropicContentBlocks } from './anthropic-content-blocks.js';
import { anthropicErrorBody } from './anthropic-error-body.js';
import { anthropicSseFrame } from './anthropic-sse-frame.js';
import { toAnthropicUsage } from './anthropic-usage.js';
import { estimateTokens } from './estimate-input-tokens.js';
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.js';

export interface AnthropicStreamEncoderOptions {
  /** A fresh `msg_…` id for this response. */
  messageId: string;
  /** The model to name until the upstream says which one answered. */
  model: string;
  /** The request's estimated input tokens, for `message_start` (upstreams report usage at the end). */
  inputTokensEstimate: number;
}

/**
 * Canonical events → Anthropic Messages SSE: `message_start` and a `ping` first, the content blocks
 * (see {@link AnthropicContentBlocks}), then `message_delta` with the stop reason and the final
 * cumulative usage, and `message_stop`. `message_delta` is held until the stream ends, because usage
 * may arrive after the finish. A failure after the first byte is an `event: error`, which the
 * Anthropic SDKs raise as an `APIError`.
 * @see https://docs.anthropic.com/en/docs/build-with-claude/streaming
 */
export class AnthropicStreamEncoder implements StreamEncoder {
  readonly contentType = 'text/event-stream; charset=utf-8';
  readonly #options: AnthropicStreamEncoderOptions;
  readonly #blocks = new AnthropicContentBlocks();
  #model: string;
  #started = false;
  #finish: FinishEvent | undefined;
  #usage: Usage | undefined;

  constructor(options: AnthropicStreamEncoderOptions) {
    this.#options = options;
    this.#model = options.model;
  }

  encode(event: StreamEvent): string {
    if (event.type === 'start' && event.model && !this.#started) this.#model = event.model;
    const opening = this.#messageStart();
    switch (event.type) {
      case 'text-delta':
        return opening + this.#blocks.text(event.text);
      case 'reasoning-delta':
        return opening + this.#blocks.reasoning(event.text, event.signature);
      case 'redacted-reasoning':
        return opening + this.#blocks.redacted(event.data);
      case 'tool-call-start':
        return opening + this.#blocks.toolStart(event.index, event.id, event.name);
      case 'tool-call-delta':
        return opening + this.#blocks.toolDelta(event.index, event.argumentsDelta);
      case 'tool-call-end':
        return opening + this.#blocks.toolEnd(event.index);
      case 'finish':
        this.#finish ??= event;
        return opening + this.#blocks.closeAll();
      case 'usage':
        this.#usage = event.usage;
        return opening;
      default:
        return opening;
    }
  }

  end(): string {
    const stop = mapAnthropicStopReason(this.#finish?.reason ?? 'stop', {
      sawToolCall: this.#blocks.sawToolCall,
      stopSequence: this.#finish?.stopSequence,
    });
    const usage = toAnthropicUsage(this.#usage, {
      inputTokens: this.#options.inputTokensEstimate,
      outputTokens: estimateTokens(this.#blocks.outputCharacters),
    });
    return (
      this.#messageStart() +
      this.#blocks.closeAll() +
      anthropicSseFrame({ type: 'message_delta', delta: stop, usage }) +
      anthropicSseFrame({ type: 'message_stop' })
    );
  }

  error(error: ClientError): string {
    return anthropicSseFrame(anthropicErrorBody(error));
  }

  /** `message_start` and a `ping`, once, before anything else. */
  #messageStart(): string {
    if (this.#started) return '';
    this.#started = true;
    const message = {
      id: this.#options.messageId,
      type: 'message',
      role: 'assistant',
      model: this.#model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: toAnthropicUsage(undefined, { inputTokens: this.#options.inputTokensEstimate, outputTokens: 0 }),
    };
    return anthropicSseFrame({ type: 'message_start', message }) + anthropicSseFrame({ type: 'ping' });
  }
}
