/**
 * One Responses API SSE event: the `event:` line repeats the payload's `type`, as OpenAI sends it (the
 * SDKs read the data; Codex and other strict clients also read the event name).
 */
export function responsesSseFrame<Payload extends { type: string }>(payload: Payload): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}
