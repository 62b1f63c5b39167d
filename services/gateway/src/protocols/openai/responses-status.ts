import type { FinishReason } from '@nachos/plugin-sdk';

export interface ResponsesOutcome {
  status: 'completed' | 'incomplete';
  incomplete_details: { reason: 'max_output_tokens' | 'content_filter' } | null;
}

/**
 * A Response has no finish reason: an answer cut short is `incomplete` with the reason, anything else
 * (a tool call included) is `completed`.
 */
export function responsesOutcome(reason: FinishReason | undefined): ResponsesOutcome {
  if (reason === 'length') return { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } };
  if (reason === 'content_filter') return { status: 'incomplete', incomplete_details: { reason: 'content_filter' } };
  return { status: 'completed', incomplete_details: null };
}
