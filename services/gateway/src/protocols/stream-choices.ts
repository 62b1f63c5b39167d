import type { ChatRequest, StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { ChatContext, LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { sumUsage } from './sum-usage.js';

type Step = { choice: number; result: IteratorResult<StreamEvent> };

/**
 * The events of `count` choices (OpenAI's `n`) for one request, as one stream in the canonical form: a
 * `choice` event before the events of a choice other than the one before, one `start`, one usage.
 *
 * The first call asks for every choice. A provider that answers them itself says so in its start, and
 * that call is the answer. Otherwise it answers choice 0 and `count - 1` more calls are made at once, their
 * events merged as they arrive: every call's first event comes before anything is yielded (so a failure
 * of any is answered as any failure before the first byte), each call's usage is held back and their sum
 * is the last event, and the first failure, or the consumer stopping, cancels every call.
 */
export async function* streamChoices(client: Pick<LlmProxyClient, 'chat'>, request: ChatRequest, context: ChatContext, count: number): AsyncGenerator<StreamEvent> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  context.signal?.addEventListener('abort', abort, { once: true });
  const callContext = { ...context, signal: controller.signal };
  const pending = new Map<number, Promise<Step>>();
  try {
    const first = client.chat({ ...request, choices: count }, callContext)[Symbol.asyncIterator]();
    const start = await first.next();
    if (start.done) return;
    yield start.value;
    if (start.value.type === 'start' && start.value.choices === count) {
      for (let next = await first.next(); !next.done; next = await first.next()) yield next.value;
      return;
    }
    const calls = [first, ...Array.from({ length: count - 1 }, () => client.chat(request, callContext)[Symbol.asyncIterator]())];
    const pull = (choice: number) => {
      const step = calls[choice]!.next().then((result) => ({ choice, result }));
      // A call that fails while others' events are being written is heard at the next race, not before.
      step.catch(() => {});
      pending.set(choice, step);
    };
    const firsts = await Promise.all(calls.slice(1).map((call) => call.next()));
    pull(0);
    const queued: Step[] = firsts.map((result, position) => ({ choice: position + 1, result }));
    const usages: Usage[] = [];
    let current = 0;
    for (let step = queued.shift(); step !== undefined || pending.size > 0; step = queued.shift()) {
      const { choice, result } = step ?? (await Promise.race(pending.values()));
      if (step === undefined) pending.delete(choice);
      if (result.done) continue;
      pull(choice);
      const event = result.value;
      if (event.type === 'usage') usages.push(event.usage);
      else if (event.type !== 'start') {
        if (choice !== current) {
          current = choice;
          yield { type: 'choice', index: choice };
        }
        yield event;
      }
    }
    if (usages.length > 0) yield { type: 'usage', usage: sumUsage(usages) };
  } finally {
    // The calls still running end with the cancellation, which nobody needs to hear.
    controller.abort();
    context.signal?.removeEventListener('abort', abort);
  }
}
