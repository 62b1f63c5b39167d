import type { StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { ClientError } from '../../errors/client-error.js';
import type { StreamEncoder } from '../stream-encoder.js';
import { OpenAIChatStreamEncoder } from './openai-chat-stream-encoder.js';
import { openAIResponseId } from './openai-response-id.js';

/**
 * Several choices (`n`) in one `chat.completion.chunk` stream, as OpenAI sends them: every chunk names
 * its choice's `index`, each choice has its role chunk and its finish chunk, and the stream ends once,
 * with one usage chunk for all choices (when `include_usage` was asked) and one `data: [DONE]`.
 */
export class OpenAIChatChoicesStreamEncoder implements StreamEncoder {
  readonly contentType: string;
  readonly #choices: OpenAIChatStreamEncoder[];
  readonly #includeUsage: boolean;
  #usage: Usage | undefined;
  /** Whose events come now: the last `choice` event's. */
  #current = 0;

  constructor(options: { upstreamId: string; model: string; created: number; includeUsage: boolean; count: number }) {
    // One id for the whole stream: made here, so every choice's encoder keeps it.
    const upstreamId = openAIResponseId('chatcmpl-', options.upstreamId);
    const { model, created, includeUsage } = options;
    this.#choices = Array.from({ length: options.count }, (_, choice) => new OpenAIChatStreamEncoder({ upstreamId, model, created, includeUsage, choice }));
    this.contentType = this.#choices[0]!.contentType;
    this.#includeUsage = options.includeUsage;
  }

  encode(event: StreamEvent): string {
    if (event.type === 'start') return this.#choices.map((choice) => choice.encode(event)).join('');
    if (event.type === 'usage') {
      this.#usage = event.usage;
      return '';
    }
    if (event.type === 'choice') {
      this.#current = event.index;
      return '';
    }
    return this.#choices[this.#current]?.encode(event) ?? '';
  }

  end(): string {
    const closing = this.#choices.map((choice) => choice.closeChoice()).join('');
    return `${closing}${this.#includeUsage ? this.#choices[0]!.usageChunk(this.#usage) : ''}data: [DONE]\n\n`;
  }

  error(error: ClientError): string {
    return this.#choices[0]!.error(error);
  }
}
