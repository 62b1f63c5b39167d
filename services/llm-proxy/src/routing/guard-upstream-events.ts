import { ProviderError, type StreamEvent } from '@nachos/plugin-sdk';

export interface StreamTimeouts {
  /** Until the upstream answers at all (its response headers, or the plugin's first event). */
  connectMs: number;
  /** From the start of the attempt until the first content event (text, reasoning, tool call, finish), answered or not. */
  firstTokenMs: number;
  /** Longest gap between two events once content flows. */
  idleMs: number;
  /** Whole attempt. */
  totalMs: number;
}

/**
 * Runs a plugin's event stream under the timeouts. A timeout aborts the attempt's signal (which the
 * plugin passed to its upstream call, closing the connection) and surfaces as a `timeout`
 * ProviderError; waiting is raced against the signal, so even a plugin that ignores it cannot hang
 * the call.
 *
 * A stream is timed per event: the first token from the start (whether or not the upstream has
 * answered by then), the wait for the upstream's answer on its own clock, then the gap between events. A non-streaming call has no events until its answer is whole, so it is timed by its
 * first byte (the response headers, which the plugin reports through `onUpstreamProgress`) and its
 * total. A timeout that fires before the request ever left on a connection (it waited for a pooled
 * connection, or for the connect) is marked `local`: our saturation, not the provider's doing.
 */
export async function* guardUpstreamEvents(
  start: (signal: AbortSignal, onUpstreamProgress: (stage: 'sent' | 'headers') => void) => AsyncIterable<StreamEvent>,
  timeouts: StreamTimeouts,
  parent: AbortSignal,
  stream = true,
): AsyncGenerator<StreamEvent> {
  const controller = new AbortController();
  const abortFromParent = () => controller.abort(parent.reason);
  if (parent.aborted) abortFromParent();
  parent.addEventListener('abort', abortFromParent, { once: true });
  let sent = false;
  const expire = (phase: string, ms: number) =>
    controller.abort(new ProviderError({ kind: 'timeout', message: `the upstream ${phase} took longer than ${ms} ms`, local: !sent }));
  const total = setTimeout(() => expire('response', timeouts.totalMs), timeouts.totalMs);
  // One phase timer: the first token from the start until the first content event (an answer's headers
  // or start event does not restart it), then the gap between events, re-armed per event with
  // `refresh()` (no allocation per token). A non-streaming call: the first byte, then the answer, which
  // only the total bounds. Beside it, the wait for the upstream's answer has a clock of its own.
  type Phase = 'first token' | 'gap between events' | 'first byte' | 'answer';
  const limits: Record<Phase, number> = {
    'first token': timeouts.firstTokenMs,
    'gap between events': timeouts.idleMs,
    'first byte': timeouts.firstTokenMs,
    answer: 0,
  };
  let phase = (stream ? 'first token' : 'first byte') as Phase;
  let timer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => expire(phase, limits[phase]), limits[phase]);
  let connecting: ReturnType<typeof setTimeout> | undefined = stream
    ? setTimeout(() => expire('connection', timeouts.connectMs), timeouts.connectMs)
    : undefined;
  const answered = () => {
    if (connecting === undefined) return;
    clearTimeout(connecting);
    connecting = undefined;
  };
  const enter = (next: Phase) => {
    if (next === phase) {
      if (next === 'gap between events') timer?.refresh();
      return;
    }
    phase = next;
    clearTimeout(timer);
    timer = limits[phase] > 0 ? setTimeout(() => expire(phase, limits[phase]), limits[phase]) : undefined;
  };
  const onUpstreamProgress = (stage: 'sent' | 'headers') => {
    if (stage === 'sent') sent = true;
    else {
      answered();
      if (!stream) enter('answer');
    }
  };
  const iterator = start(controller.signal, onUpstreamProgress)[Symbol.asyncIterator]();
  // The wait for the next event ends on the event or on abort, whichever comes first. Settled by hand
  // rather than with `Promise.race` against one abort promise, which would keep a reaction per event
  // on that promise for as long as the stream lasts.
  let settleWait: ((result: IteratorResult<StreamEvent> | Error, failed: boolean) => void) | undefined;
  const onAbort = () => settleWait?.(controller.signal.reason as Error, true);
  controller.signal.addEventListener('abort', onAbort, { once: true });
  const nextEvent = () =>
    new Promise<IteratorResult<StreamEvent>>((resolve, reject) => {
      if (controller.signal.aborted) {
        reject(controller.signal.reason);
        return;
      }
      settleWait = (result, failed) => {
        settleWait = undefined;
        if (failed) reject(result);
        else resolve(result as IteratorResult<StreamEvent>);
      };
      iterator.next().then(
        (result) => settleWait?.(result, false),
        (error: Error) => settleWait?.(error, true),
      );
    });
  let completed = false;
  try {
    for (;;) {
      let next: IteratorResult<StreamEvent>;
      try {
        next = await nextEvent();
      } catch (error) {
        throw controller.signal.aborted && ProviderError.isInstance(controller.signal.reason) ? controller.signal.reason : error;
      }
      if (next.done) {
        completed = true;
        return;
      }
      const event = next.value;
      answered();
      // Once events flow, a non-streaming call is timed like a stream (a host may stream anyway).
      const content = event.type !== 'start' && event.type !== 'usage';
      enter(content || phase === 'gap between events' ? 'gap between events' : 'first token');
      yield event;
    }
  } finally {
    clearTimeout(total);
    clearTimeout(timer);
    answered();
    parent.removeEventListener('abort', abortFromParent);
    controller.signal.removeEventListener('abort', onAbort);
    // Only an attempt left unfinished is aborted: a completed one keeps its connection for reuse.
    if (!completed) {
      if (!controller.signal.aborted) controller.abort(new ProviderError({ kind: 'cancelled', message: 'attempt abandoned' }));
      void iterator.return?.();
    }
  }
}
