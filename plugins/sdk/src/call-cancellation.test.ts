import { CallCancellation } from './call-cancellation.js';

describe('CallCancellation', () => {
  it('tells each listener once, with the first reason kept', () => {
    const cancellation = new CallCancellation();
    const heard: unknown[] = [];
    const first = () => heard.push(['first', cancellation.reason]);
    const second = () => heard.push(['second', cancellation.reason]);
    cancellation.addEventListener('abort', first);
    cancellation.addEventListener('abort', first);
    cancellation.addEventListener('abort', second, { once: true });
    expect(cancellation.aborted).toBe(false);
    cancellation.abort('gone');
    cancellation.abort('later');
    expect(cancellation.aborted).toBe(true);
    expect(cancellation.reason).toBe('gone');
    expect(heard).toEqual([
      ['first', 'gone'],
      ['second', 'gone'],
    ]);
  });

  it('does not tell a listener removed before the abort, nor one added after it', () => {
    const cancellation = new CallCancellation();
    const heard: string[] = [];
    const removed = () => heard.push('removed');
    cancellation.addEventListener('abort', removed);
    cancellation.removeEventListener('abort', removed);
    cancellation.abort('gone');
    cancellation.addEventListener('abort', () => heard.push('late'));
    cancellation.abort('again');
    expect(heard).toEqual([]);
  });

  it('keeps the order listeners were added in, through removals, from one listener to several and back', () => {
    const cancellation = new CallCancellation();
    const heard: string[] = [];
    const a = () => heard.push('a');
    const b = () => heard.push('b');
    const c = () => heard.push('c');
    cancellation.addEventListener('abort', a);
    cancellation.removeEventListener('abort', b);
    cancellation.addEventListener('abort', b);
    cancellation.removeEventListener('abort', a);
    cancellation.addEventListener('abort', a);
    cancellation.addEventListener('abort', b);
    cancellation.addEventListener('abort', c);
    cancellation.removeEventListener('abort', c);
    cancellation.abort('gone');
    expect(heard).toEqual(['b', 'a']);

    const single = new CallCancellation();
    single.addEventListener('abort', a);
    single.removeEventListener('abort', a);
    single.addEventListener('abort', c);
    single.abort('gone');
    expect(heard).toEqual(['b', 'a', 'c']);
  });
});

describe('CallCancellation.signal', () => {
  it('is one AbortSignal, aborted with the cancellation and its first reason, read before or after', () => {
    const before = new CallCancellation();
    const signal = before.signal;
    expect(before.signal).toBe(signal);
    let seenByListener: boolean | undefined;
    before.addEventListener('abort', () => (seenByListener = signal.aborted));
    expect(signal.aborted).toBe(false);
    before.abort('gone');
    before.abort('later');
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('gone');
    expect(seenByListener).toBe(true);

    const after = new CallCancellation();
    after.abort('gone');
    expect(after.signal.aborted).toBe(true);
    expect(after.signal.reason).toBe('gone');
  });
});
