import { isRecord, ProviderError, type ByteSource, type StreamEvent } from '@nachos/plugin-sdk';
import { BedrockEventBuilder, type BedrockConversionOptions } from './bedrock-event-builder.js';
import { BEDROCK_PLUGIN_ID } from './bedrock-plugin-id.js';
import { decodeBedrockEventStream, type BedrockStreamEvent } from './decode-bedrock-event-stream.js';

/** Converts a ConverseStream body (binary eventstream) into canonical events (see `BedrockEventBuilder`). */
export async function* convertBedrockStream(body: ByteSource, options: BedrockConversionOptions): AsyncGenerator<StreamEvent> {
  const builder = new BedrockEventBuilder(options);
  for await (const event of decodeBedrockEventStream(body)) {
    yield* builder.accept(event);
  }
  builder.end();
}

/**
 * Converts a Converse response into the events its stream would have produced, by replaying its
 * blocks through the same builder, so that both paths agree to the event. A 200 without a message
 * (Bedrock sends one when a request fails inside the service) is an `internal` failure.
 */
export function convertBedrockResponse(response: unknown, options: BedrockConversionOptions): StreamEvent[] {
  const output = isRecord(response) && isRecord(response['output']) ? response['output'] : undefined;
  const message = isRecord(output?.['message']) ? output['message'] : undefined;
  if (!isRecord(response) || message === undefined) {
    throw new ProviderError({ kind: 'internal', message: 'upstream answered without a message', providerId: BEDROCK_PLUGIN_ID });
  }
  const blocks = Array.isArray(message['content']) ? (message['content'] as unknown[]) : [];
  const replay: BedrockStreamEvent[] = [
    { type: 'messageStart', payload: { role: 'assistant' } },
    ...blocks.flatMap((block, index) => replayBlock(block, index)),
    {
      type: 'messageStop',
      payload: { stopReason: response['stopReason'], additionalModelResponseFields: response['additionalModelResponseFields'] },
    },
    { type: 'metadata', payload: { usage: response['usage'] } },
  ];
  const builder = new BedrockEventBuilder(options);
  const events = replay.flatMap((event) => builder.accept(event));
  builder.end();
  return events;
}

function replayBlock(block: unknown, contentBlockIndex: number): BedrockStreamEvent[] {
  if (!isRecord(block)) {
    return [];
  }
  const delta = (value: Record<string, unknown>): BedrockStreamEvent => ({ type: 'contentBlockDelta', payload: { contentBlockIndex, delta: value } });
  const events: BedrockStreamEvent[] = [];
  if (typeof block['text'] === 'string') {
    events.push(delta({ text: block['text'] }));
  }
  const toolUse = block['toolUse'];
  if (isRecord(toolUse)) {
    events.push({
      type: 'contentBlockStart',
      payload: { contentBlockIndex, start: { toolUse: { toolUseId: toolUse['toolUseId'], name: toolUse['name'] } } },
    });
    events.push(delta({ toolUse: { input: JSON.stringify(toolUse['input'] ?? {}) } }));
  }
  const reasoning = block['reasoningContent'];
  if (isRecord(reasoning)) {
    const reasoningText = isRecord(reasoning['reasoningText']) ? reasoning['reasoningText'] : {};
    events.push(delta({ reasoningContent: { text: reasoningText['text'] } }));
    events.push(delta({ reasoningContent: { signature: reasoningText['signature'] } }));
    events.push(delta({ reasoningContent: { redactedContent: reasoning['redactedContent'] } }));
  }
  events.push({ type: 'contentBlockStop', payload: { contentBlockIndex } });
  return events;
}
