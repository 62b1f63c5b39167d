export interface ResponsesSseEvent {
  event: string;
  data: { type: string; sequence_number: number; output_index?: number; item_id?: string; [field: string]: unknown };
}

interface Item {
  id: string;
  type: string;
  [field: string]: unknown;
}

const TERMINAL = new Set(['response.completed', 'response.incomplete', 'response.failed']);

/** Splits a Responses API SSE body into its events, checking each is one `event:` line and one `data:` line. */
export function parseResponsesSse(body: string): ResponsesSseEvent[] {
  return body
    .split('\n\n')
    .filter((frame) => frame.trim() !== '')
    .map((frame) => {
      const lines = frame.split('\n');
      const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
      const data = lines.find((line) => line.startsWith('data: '))?.slice('data: '.length);
      if (lines.length !== 2 || event === undefined || data === undefined) throw new Error(`malformed SSE frame: ${JSON.stringify(frame)}`);
      return { event, data: JSON.parse(data) as ResponsesSseEvent['data'] };
    });
}

/**
 * The problems, if any, with a Responses stream as strict clients (Codex, the SDKs' accumulators) read
 * it: `response.created` and `response.in_progress` first; `sequence_number` counting from 0; each
 * event line naming its payload type; output items added at the next `output_index`, every event about
 * an item naming an added, not yet done item by its index and id; every item done before the one
 * terminal event (`response.completed` / `response.incomplete`, or `response.failed` after `error`),
 * which comes last and whose `output` is the done items in order.
 */
export function responsesStreamProblems(events: readonly ResponsesSseEvent[]): string[] {
  const problems: string[] = [];
  if (events[0]?.event !== 'response.created') problems.push('the first event is not response.created');
  if (events[1]?.event !== 'response.in_progress') problems.push('the second event is not response.in_progress');
  const added: Item[] = [];
  const done = new Map<number, Item>();
  for (const [position, { event, data }] of events.entries()) {
    if (event !== data.type) problems.push(`event ${position} is named ${event} but carries ${data.type}`);
    if (data.sequence_number !== position) problems.push(`event ${position} has sequence_number ${data.sequence_number}`);
    if (TERMINAL.has(event) && position !== events.length - 1) problems.push(`${event} at ${position} is not the last event`);
    if (event === 'response.output_item.added') {
      const item = data.item as Item;
      if (data.output_index !== added.length) problems.push(`item ${item.id} added at ${String(data.output_index)} where ${added.length} was due`);
      added.push(item);
      continue;
    }
    if (data.output_index === undefined) continue;
    const item = added[data.output_index];
    if (!item) {
      problems.push(`${event} at ${position} names output_index ${data.output_index}, which was never added`);
      continue;
    }
    if (done.has(data.output_index)) problems.push(`${event} at ${position} is about item ${item.id}, which is already done`);
    const id = event === 'response.output_item.done' ? (data.item as Item).id : data.item_id;
    if (id !== item.id) problems.push(`${event} at ${position} names item ${String(id)} at the index of ${item.id}`);
    if (event === 'response.output_item.done') done.set(data.output_index, data.item as Item);
  }
  const last = events.at(-1);
  if (!last || !TERMINAL.has(last.event)) {
    problems.push(`the last event is ${String(last?.event)}`);
    return problems;
  }
  if (last.event === 'response.failed') {
    if (events.at(-2)?.event !== 'error') problems.push('response.failed does not follow an error event');
    return problems;
  }
  if (done.size !== added.length) problems.push(`${added.length - done.size} item(s) were never done`);
  const output = (last.data.response as { output: Item[] }).output;
  const expected = added.map((_, index) => done.get(index));
  if (JSON.stringify(output) !== JSON.stringify(expected)) problems.push(`${last.event} does not carry the done items as its output`);
  return problems;
}
