export interface AnthropicSseEvent {
  event: string;
  data: { type: string; index?: number; [field: string]: unknown };
}

/** Splits an Anthropic SSE body into its events, checking each is one `event:` line and one `data:` line. */
export function parseAnthropicSse(body: string): AnthropicSseEvent[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length);
      if (lines.length !== 2 || event === undefined || data === undefined) throw new Error(`malformed SSE frame: ${JSON.stringify(frame)}`);
      return { event, data: JSON.parse(data) as AnthropicSseEvent['data'] };
    });
}

/**
 * The problems, if any, with a stream as strict Anthropic clients (Claude Code) read it: `message_start`
 * first and `message_stop` last, every event line naming its payload type, blocks numbered from 0 and
 * opened one at a time, every delta inside an open block of the same index, all blocks stopped before
 * `message_delta`, which carries `usage.output_tokens`. An `error` event may end the stream instead.
 */
export function anthropicStreamProblems(events: readonly AnthropicSseEvent[]): string[] {
  const problems: string[] = [];
  if (events[0]?.event !== 'message_start') problems.push('the first event is not message_start');
  const last = events.at(-1)?.event;
  if (last !== 'message_stop' && last !== 'error') problems.push(`the last event is ${String(last)}`);
  let open: number | undefined;
  let nextIndex = 0;
  let sawMessageDelta = false;
  for (const [position, { event, data }] of events.entries()) {
    if (event !== data.type) problems.push(`event ${position} is named ${event} but carries ${data.type}`);
    switch (event) {
      case 'content_block_start':
        if (open !== undefined) problems.push(`block ${String(data.index)} starts while block ${open} is open`);
        if (data.index !== nextIndex) problems.push(`block ${String(data.index)} starts where ${nextIndex} was due`);
        open = data.index;
        nextIndex += 1;
        break;
      case 'content_block_delta':
        if (data.index !== open) problems.push(`a delta for block ${String(data.index)} arrives while ${String(open)} is open`);
        break;
      case 'content_block_stop':
        if (data.index !== open) problems.push(`block ${String(data.index)} stops while ${String(open)} is open`);
        open = undefined;
        break;
      case 'message_delta': {
        if (open !== undefined) problems.push(`message_delta arrives while block ${open} is open`);
        const usage = data.usage as { output_tokens?: unknown } | undefined;
        if (typeof usage?.output_tokens !== 'number') problems.push('message_delta has no usage.output_tokens');
        sawMessageDelta = true;
        break;
      }
      case 'message_stop':
        if (!sawMessageDelta) problems.push('message_stop without message_delta');
        break;
      default:
        break;
    }
  }
  return problems;
}
