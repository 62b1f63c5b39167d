import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type * as sdk from '@nachos/plugin-sdk';
import { ChatEventSchema, FinishReason, type ChatEvent } from '../gen/nachos/llm/v1/llm_proxy_pb.js';
import { codecError } from './codec-error.js';
import { createEnumMapping } from './enum-mapping.js';
import { omitUndefined } from './omit-undefined.js';

/**
 * The canonical `StreamEvent` ⇄ proto `ChatEvent`, one per message of the `Chat` stream. Events come from
 * llm-proxy, so a malformed one is an `internal` error, not the client's.
 */

export const finishReasons = createEnumMapping<sdk.FinishReason, FinishReason>('finish reason', 'internal', {
  stop: FinishReason.STOP,
  length: FinishReason.LENGTH,
  tool_calls: FinishReason.TOOL_CALLS,
  content_filter: FinishReason.CONTENT_FILTER,
  other: FinishReason.OTHER,
});

export function toProtoChatEvent(event: sdk.StreamEvent): ChatEvent {
  return create(ChatEventSchema, { event: toProtoEventCase(event) });
}

function toProtoEventCase(event: sdk.StreamEvent): MessageInitShape<typeof ChatEventSchema>['event'] {
  switch (event.type) {
    case 'start':
      return {
        case: 'start',
        value: {
          id: event.id,
          model: event.model,
          provider: event.provider,
          endpoint: event.endpoint,
          attempts: event.attempts,
          choices: event.choices,
        },
      };
    case 'text-delta':
      return { case: 'textDelta', value: { text: event.text } };
    case 'reasoning-delta':
      return { case: 'reasoningDelta', value: { text: event.text, signature: event.signature } };
    case 'redacted-reasoning':
      return { case: 'redactedReasoning', value: { data: event.data } };
    case 'tool-call-start':
      return {
        case: 'toolCallStart',
        value: { index: event.index, id: event.id, name: event.name, signature: event.signature },
      };
    case 'tool-call-delta':
      return { case: 'toolCallDelta', value: { index: event.index, argumentsDelta: event.argumentsDelta } };
    case 'tool-call-end':
      return { case: 'toolCallEnd', value: { index: event.index } };
    case 'finish':
      return {
        case: 'finish',
        value: { reason: finishReasons.toProto(event.reason), stopSequence: event.stopSequence },
      };
    case 'usage':
      return { case: 'usage', value: { ...event.usage } };
    case 'choice':
      return { case: 'choice', value: { index: event.index } };
    default:
      throw codecError('internal', `Unknown stream event type "${(event as { type: unknown }).type}"`);
  }
}

export function fromProtoChatEvent(event: ChatEvent): sdk.StreamEvent {
  switch (event.event.case) {
    case 'start': {
      const { id, model, provider, endpoint, attempts, choices } = event.event.value;
      return omitUndefined({ type: 'start', id, model, provider, endpoint, attempts, choices });
    }
    case 'textDelta':
      return { type: 'text-delta', text: event.event.value.text };
    case 'reasoningDelta': {
      const { text, signature } = event.event.value;
      return omitUndefined({ type: 'reasoning-delta', text, signature });
    }
    case 'redactedReasoning':
      return { type: 'redacted-reasoning', data: event.event.value.data };
    case 'toolCallStart': {
      const { index, id, name, signature } = event.event.value;
      return omitUndefined({ type: 'tool-call-start', index, id, name, signature });
    }
    case 'toolCallDelta': {
      const { index, argumentsDelta } = event.event.value;
      return { type: 'tool-call-delta', index, argumentsDelta };
    }
    case 'toolCallEnd':
      return { type: 'tool-call-end', index: event.event.value.index };
    case 'finish': {
      const { reason, stopSequence } = event.event.value;
      // A reason this build does not know (a newer llm-proxy's) still ends the stream: report it as "other".
      return omitUndefined({ type: 'finish', reason: finishReasons.fromProto(reason) ?? 'other', stopSequence });
    }
    case 'usage': {
      const { inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens } = event.event.value;
      return {
        type: 'usage',
        usage: omitUndefined({ inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens, reasoningTokens }),
      };
    }
    case 'choice':
      return { type: 'choice', index: event.event.value.index };
    default:
      throw codecError('internal', 'Chat event has no known kind');
  }
}
