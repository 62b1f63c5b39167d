import type { FinishReason } from '@nachos/plugin-sdk';

/**
 * Maps Gemini's `finishReason` to a canonical finish reason. Gemini has no tool-call reason: a turn
 * that called functions ends with `STOP`, which becomes `tool_calls` so that agents run the tools.
 * Every block by a safety, recitation or content policy is `content_filter`; malformed or unexpected
 * tool calls, a language the model does not serve and unknown reasons are `other`.
 *
 * @see https://ai.google.dev/api/generate-content#FinishReason
 */
export function mapGeminiFinishReason(finishReason: string, calledTools: boolean): FinishReason {
  switch (finishReason) {
    case 'STOP':
      return calledTools ? 'tool_calls' : 'stop';
    case 'MAX_TOKENS':
      return 'length';
    case 'SAFETY':
    case 'RECITATION':
    case 'BLOCKLIST':
    case 'PROHIBITED_CONTENT':
    case 'SPII':
    case 'IMAGE_SAFETY':
    case 'IMAGE_PROHIBITED_CONTENT':
    case 'IMAGE_RECITATION':
      return 'content_filter';
    default:
      return 'other';
  }
}
