import type { AggregatedResponse } from '../aggregate-events.js';
import { buildResponsesObject, type ResponsesEnvelope } from './build-responses-object.js';
import { createResponsesId } from './responses-item-id.js';
import { functionCallItem, messageItem, reasoningItem, type OutputItem } from './responses-output-items.js';
import { redactedReasoningContent } from './responses-reasoning-state.js';
import { responsesOutcome } from './responses-status.js';
import { namespaceOf } from './responses-tool-namespace.js';

/**
 * An aggregated response → a whole Response object: its reasoning first, then the answer text, then
 * the function calls, each an output item with its own id.
 * @see https://platform.openai.com/docs/api-reference/responses/object
 */
export function buildOpenAIResponse(response: AggregatedResponse, envelope: ResponsesEnvelope) {
  const outcome = responsesOutcome(response.finishReason);
  const output: OutputItem[] = [];
  if (response.reasoning !== '' || response.reasoningSignature) {
    output.push(reasoningItem(createResponsesId('rs'), response.reasoning === '' ? undefined : response.reasoning, response.reasoningSignature));
  }
  for (const data of response.redactedReasoning) output.push(reasoningItem(createResponsesId('rs'), undefined, redactedReasoningContent(data)));
  if (response.text !== '') output.push(messageItem(createResponsesId('msg'), outcome.status, response.text));
  for (const call of response.toolCalls) {
    const state = {
      id: createResponsesId('fc'),
      callId: call.id,
      name: call.name,
      ...namespaceOf(envelope, call.name),
      arguments: call.arguments,
      ...(call.signature ? { signature: call.signature } : {}),
    };
    output.push(functionCallItem(state, 'completed'));
  }
  return buildResponsesObject(
    { ...envelope, model: response.model || envelope.model },
    { status: outcome.status, output, usage: response.usage, incompleteDetails: outcome.incomplete_details },
  );
}
