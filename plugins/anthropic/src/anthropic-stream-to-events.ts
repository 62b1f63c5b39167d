import { convertSseBody, isRecord, ProviderError, type StreamEvent } from '@nachos/plugin-sdk';
import { AnthropicEventBuilder, type AnthropicConversionOptions } from './anthropic-event-builder.js';
import { ANTHROPIC_PLUGIN_ID } from './anthropic-plugin-id.js';

/**
 * Converts a Messages API event-stream body into canonical events (see `AnthropicEventBuilder`), in one
 * iterator from the bytes on (see `convertSseBody`).
 */
export function convertAnthropicStream(body: AsyncIterable<Uint8Array>, options: AnthropicConversionOptions): AsyncIterableIterator<StreamEvent> {
  const builder = new AnthropicEventBuilder(options);
  return convertSseBody(body, {
    accept(event) {
      const payload = parsePayload(event.data);
      // The `event:` line and `data.type` agree on Anthropic; compatible hosts sometimes send only one.
      if (payload['type'] === undefined && event.event !== undefined) {
        payload['type'] = event.event;
      }
      return builder.accept(payload);
    },
    end() {
      builder.end();
      return [];
    },
  });
}

/**
 * Converts a non-streaming `Message` into the events its stream would have produced, by replaying
 * its blocks through the same builder, so that both paths agree to the event.
 */
export function convertAnthropicMessage(message: unknown, options: AnthropicConversionOptions): StreamEvent[] {
  const builder = new AnthropicEventBuilder(options);
  if (!isRecord(message) || message['type'] === 'error') {
    return builder.accept(message);
  }
  const blocks = Array.isArray(message['content']) ? (message['content'] as unknown[]) : [];
  const events = builder.accept({ type: 'message_start', message: { ...message, content: [] } });
  blocks.forEach((block, index) => {
    events.push(...builder.accept({ type: 'content_block_start', index, content_block: block }));
    events.push(...builder.accept({ type: 'content_block_stop', index }));
  });
  events.push(
    ...builder.accept({
      type: 'message_delta',
      delta: { stop_reason: message['stop_reason'] ?? 'end_turn', stop_sequence: message['stop_sequence'] ?? null },
      usage: message['usage'],
    }),
  );
  return events;
}

function parsePayload(data: string): Record<string, unknown> {
  let payload: unknown;
  try {
    payload = JSON.parse(data);
  } catch (error) {
    throw new ProviderError({
      kind: 'internal',
      message: 'upstream sent a stream event that is not JSON',
      providerId: ANTHROPIC_PLUGIN_ID,
      cause: error,
    });
  }
  if (!isRecord(payload)) {
    throw new ProviderError({ kind: 'internal', message: 'upstream sent a stream event that is not an object', providerId: ANTHROPIC_PLUGIN_ID });
  }
  return payload;
}
