import { EventEmitter } from 'node:events';
import type { IncomingMessage } from 'node:http';
import { BodyDeadline } from './body-deadline.js';

const TIMEOUT_MS = 60;

/** What the deadline reads of a request: its headers, whether its body is in, and its `end`. */
function incoming(headers: Record<string, string> = { 'content-length': '10' }): IncomingMessage & { complete: boolean; destroyed: boolean } {
  return Object.assign(new EventEmitter(), { headers, complete: false, destroyed: false }) as unknown as IncomingMessage & { complete: boolean; destroyed: boolean };
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the body deadline', () => {
  it('hands over a body still incomplete its time after the headers, not before', async () => {
    const late: Array<{ request: IncomingMessage; afterMs: number }> = [];
    const startedAt = performance.now();
    const deadline = new BodyDeadline(TIMEOUT_MS, (request) => late.push({ request, afterMs: performance.now() - startedAt }));
    const first = incoming();
    deadline.track(first);
    await wait(20);
    const second = incoming({ 'transfer-encoding': 'chunked' });
    deadline.track(second);
    await wait(TIMEOUT_MS + 40);
    expect(late.map((entry) => entry.request)).toEqual([first, second]);
    expect(late[0]!.afterMs).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(late[1]!.afterMs).toBeGreaterThanOrEqual(TIMEOUT_MS + 20);
  });

  it('lets go of a body that arrived, read or not yet read, and of one its client gave up', async () => {
    const late: IncomingMessage[] = [];
    const deadline = new BodyDeadline(TIMEOUT_MS, (request) => late.push(request));
    const withHeaders = incoming();
    const afterHeaders = incoming();
    const abandoned = incoming();
    const trickled = incoming();
    deadline.track(withHeaders);
    withHeaders.complete = true;
    // Still coming when the next request arrives: kept until it ends.
    deadline.track(afterHeaders);
    deadline.track(abandoned);
    deadline.track(trickled);
    afterHeaders.complete = true;
    afterHeaders.emit('end');
    abandoned.destroyed = true;
    await wait(TIMEOUT_MS + 40);
    expect(late).toEqual([trickled]);
  });

  it('ignores a request that declares no body', async () => {
    const late: IncomingMessage[] = [];
    const deadline = new BodyDeadline(TIMEOUT_MS, (request) => late.push(request));
    deadline.track(incoming({}));
    deadline.track(incoming({ 'content-length': '0' }));
    await wait(TIMEOUT_MS + 40);
    expect(late).toEqual([]);
  });

  it('keeps timing requests that arrive after the list has emptied', async () => {
    const late: IncomingMessage[] = [];
    const deadline = new BodyDeadline(TIMEOUT_MS, (request) => late.push(request));
    const first = incoming();
    deadline.track(first);
    await wait(TIMEOUT_MS + 40);
    const second = incoming();
    deadline.track(second);
    await wait(TIMEOUT_MS + 40);
    expect(late).toEqual([first, second]);
  });
});
