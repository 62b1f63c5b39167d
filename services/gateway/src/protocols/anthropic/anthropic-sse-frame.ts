/**
 * One Anthropic SSE event: the `event:` line repeats the payload's `type`, as Anthropic sends it and as
 * strict clients check it.
 */
export function anthropicSseFrame<Payload extends { type: string }>(payload: Payload): string {
  return `event: ${payload.type}\ndata: ${JSON.stringify(payload)}\n\n`;
}
