import type { ChatRequest, StreamEvent, Usage } from '@nachos/plugin-sdk';
import type { CallContext, LlmProxyClient } from '../llm-proxy/llm-proxy-client.js';
import { sumUsage } from './chat-fan-out.js';

/** An event of one of several choices streamed together, tagged with the choice's index. */
export type ChoiceEvent = StreamEvent & { choice?: number };

type Step = { choice: number; result: IteratorResult<StreamEvent> };

/**
 * Several choices from providers that give one per call (OpenAI's `n` with `stream: true`): the same
 * request made `count` times at once, their events merged as they arrive, each tagged with its choice.
 * Every call's first event comes before anything is yielded, so a failure of any of them is answered as
 * any failure before the first byte. One start (choice 0's) leads; each call's usage is held back and
 * their sum is the last event. The first failure, or the consumer stopping, cancels every call.
 */
export async function* mergeChoiceStreams(client: Pick<LlmProxyClient, 'chat'>, request: ChatRequest, context: CallContext, count: number): AsyncGenerator<ChoiceEvent> {
  const controller = new AbortController();
  const abort = () => controller.abort();
  context.signal.addEventListener('abort', abort, { once: true });
  const calls = Array.from({ length: count }, () => client.chat(request, { ...context, signal: controller.signal })[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<Step>>();
  const pull = (choice: number) => pending.set(choice, calls[choice]!.next().then((result) => ({ choice, result })));
  const usages: Usage[] = [];
  try {
    const firsts = await Promise.all(calls.map((call) => call.next()));
    for (const [choice, first] of firsts.entries()) {
      if (first.done) continue;
      pull(choice);
      if (choice === 0) yield first.value;
      else if (first.value.type !== 'start') yield { ...first.value, choice };
    }
    while (pending.size > 0) {
      const { choice, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(choice);
        continue;
      }
      pull(choice);
      const event = result.value;
      if (event.type === 'usage') usages.push(event.usage);
      else if (event.type !== 'start') yield { ...event, choice };
    }
    if (usages.length > 0) yield { type: 'usage', usage: sumUsage(usages) };
  } finally {
    controller.abort();
    // The calls still running end with the cancellation, which nobody needs to hear.
    for (const step of pending.values()) step.catch(() => {});
    context.signal.removeEventListener('abort', abort);
  }
}
