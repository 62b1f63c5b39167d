import { CallCancellation, Secret } from '@nachos/plugin-sdk';
import { attemptCallOptions } from './attempt-call-options.js';

const progress = (): void => {};

describe('attemptCallOptions', () => {
  it('gives every attempt the same signal getter, so no call leaves an accessor of its own behind', () => {
    const first = attemptCallOptions(new CallCancellation(), 'r1', undefined, {}, progress);
    const second = attemptCallOptions(new CallCancellation(), 'r2', undefined, {}, progress);
    const getter = (options: object) => Object.getOwnPropertyDescriptor(options, 'signal')?.get;
    expect(getter(first)).toBeInstanceOf(Function);
    expect(getter(first)).toBe(getter(second));
  });

  it('gives an AbortSignal that aborts with the attempt, spread or not', () => {
    const cancellation = new CallCancellation();
    const options = attemptCallOptions(cancellation, 'r1', undefined, { 'x-rule': '1' }, progress);
    const copy = { ...options, headers: { ...options.headers, 'anthropic-beta': 'b' } };
    expect(copy.signal).toBeInstanceOf(AbortSignal);
    expect(options.signal).toBe(copy.signal);
    cancellation.abort(new Error('gone'));
    expect(options.signal.aborted).toBe(true);
    expect((options.signal.reason as Error).message).toBe('gone');
    expect(options).toMatchObject({ cancellation, requestId: 'r1', headers: { 'x-rule': '1' }, onUpstreamProgress: progress });
  });

  it('carries a key only when the attempt has one of its own', () => {
    expect('apiKey' in attemptCallOptions(new CallCancellation(), 'r1', undefined, {}, progress)).toBe(false);
    const key = new Secret('sk-profile');
    expect(attemptCallOptions(new CallCancellation(), 'r1', key, {}, progress).apiKey).toBe(key);
  });
});
