/**
 * The Responses output items nachos produces, in the shapes OpenAI sends: `message` (one `output_text`
 * part, no annotations), `reasoning` (the reasoning text as one summary part, the provider's state in
 * `encrypted_content`) and `function_call` (item `id` distinct from the `call_id` the client answers
 * with). The stream encoder and the non-streaming builder share them.
 */
export type ItemStatus = 'in_progress' | 'completed' | 'incomplete';

export function outputTextPart(text: string) {
  return { type: 'output_text' as const, annotations: [], logprobs: [], text };
}

export function messageItem(id: string, status: ItemStatus, text: string | undefined) {
  return { id, type: 'message' as const, status, content: text === undefined ? [] : [outputTextPart(text)], role: 'assistant' as const };
}

export function summaryTextPart(text: string) {
  return { type: 'summary_text' as const, text };
}

export function reasoningItem(id: string, summary: string | undefined, encryptedContent: string | undefined) {
  return {
    id,
    type: 'reasoning' as const,
    summary: summary === undefined ? [] : [summaryTextPart(summary)],
    ...(encryptedContent ? { encrypted_content: encryptedContent } : {}),
  };
}

export interface FunctionCallState {
  id: string;
  callId: string;
  name: string;
  /** The namespace the function was declared in, if it was (Codex routes its sub-agent tools by it). */
  namespace?: string;
  arguments: string;
  /** Opaque provider state for the call (Gemini's thought signature), replayed with it. */
  signature?: string;
}

export function functionCallItem(call: FunctionCallState, status: ItemStatus) {
  return {
    id: call.id,
    type: 'function_call' as const,
    status,
    // A finished call with no arguments gets `{}`, so clients can always parse them.
    arguments: status === 'in_progress' ? call.arguments : call.arguments || '{}',
    call_id: call.callId,
    name: call.name,
    ...(call.namespace ? { namespace: call.namespace } : {}),
    ...(call.signature ? { encrypted_content: call.signature } : {}),
  };
}

export type OutputItem = ReturnType<typeof messageItem> | ReturnType<typeof reasoningItem> | ReturnType<typeof functionCallItem>;
