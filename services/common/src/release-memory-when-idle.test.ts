import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const BUILT = fileURLToPath(new URL('../dist/release-memory-when-idle.js', import.meta.url));
const TRIM_BUILT = fileURLToPath(new URL('../dist/trim-native-heap.js', import.meta.url));
const run = promisify(execFile);

/**
 * Each scenario runs in a Node process of its own, as a service would: quiet, with a heap of its own size.
 * Inside a test runner's worker the heap already holds hundreds of megabytes of other suites, so a burst
 * would not count as growth there and the scenario would not say what a service sees. V8's memory reducer
 * is off in it (`--no-memory-reducer`): it collects a quiet heap on a timer of its own, which on a loaded
 * machine can come first and pass or fail a scenario by itself. Where a scenario has V8 collect first, it
 * says so (`gc()`). A scenario starts its load once the release that ends start-up is done
 * (`startUpRelease`): a burst begun before it would be garbage that collection takes, or work it hides.
 */
async function scenario(body: string): Promise<{ peak: number; after: number; afterLull?: number }> {
  const script = `
    import { constants, PerformanceObserver } from 'node:perf_hooks';
    import { getHeapStatistics } from 'node:v8';
    import { releaseMemoryWhenIdle } from ${JSON.stringify(BUILT)};
    import { trimNativeHeap } from ${JSON.stringify(TRIM_BUILT)};
    const MB = 1024 * 1024;
    const used = () => getHeapStatistics().used_heap_size;
    const burst = () => { const kept = []; for (let i = 0; i < 600_000; i += 1) kept.push({ i, text: \`stream \${i} \`.repeat(4) }); return kept; };
    /** Waits in steps of 100 ms until \`releases\` holds one, at most \`steps\` of them. */
    const firstRelease = async (releases, steps) => { for (let waited = 0; waited < steps && releases.length === 0; waited += 1) await new Promise((r) => setTimeout(r, 100)); };
    /** Made before the call: resolves once the collection that ends start-up and the trim after it are done. */
    const startUpRelease = () => new Promise((resolve) => {
      const observer = new PerformanceObserver((list) => {
        if (!list.getEntries().some((entry) => entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR)) return;
        observer.disconnect();
        resolve();
      });
      observer.observe({ entryTypes: ['gc'] });
    }).then(() => trimNativeHeap()).then(() => new Promise((resolve) => setImmediate(resolve))); // the FFI binding is shared: loaded for both
    /** Waits, allocating nothing to speak of, until the heap is 40 MB under the peak or 10 s have passed. */
    const settle = async (peak) => { for (let waited = 0; waited < 100 && used() > peak - 40 * MB; waited += 1) await new Promise((r) => setTimeout(r, 100)); };
    ${body}
  `;
  const { stdout } = await run(process.execPath, ['--no-memory-reducer', '--no-incremental-marking', '--expose-gc', '--input-type=module', '-e', script], { encoding: 'utf8' });
  return JSON.parse(stdout) as { peak: number; after: number; afterLull?: number };
}

const MB = 1024 * 1024;

/**
 * How many releases a scenario saw within `ms` of its `body`, which makes the checks (passing `onRelease`)
 * and a `stop` for them; the count is read at the first release or when the time is up.
 */
async function releasesWithin(ms: number, body: string): Promise<number> {
  const { releases } = (await scenario(`
    const releases = [];
    const onRelease = (release) => releases.push(release);
    ${body}
    await firstRelease(releases, ${ms / 100});
    stop();
    console.log(JSON.stringify({ releases: releases.length }));
  `)) as unknown as { releases: number };
  return releases;
}

describe('releaseMemoryWhenIdle', () => {
  it('collects the garbage a burst left once the process goes quiet', async () => {
    const { peak, after } = await scenario(`
      const startedUp = startUpRelease();
      const stop = releaseMemoryWhenIdle(() => false, { checkMs: 200 });
      await startedUp; // past the collection that ends start-up
      let kept = burst();
      const peak = used();
      kept = undefined;
      await settle(peak);
      stop();
      console.log(JSON.stringify({ peak, after: used() }));
    `);
    expect(after).toBeLessThan(peak - 40 * MB);
  });

  it('waits out a lull between bursts: only a process quiet for six checks in a row collects', async () => {
    const { peak, afterLull, after } = await scenario(`
      const startedUp = startUpRelease();
      const stop = releaseMemoryWhenIdle(() => false, { checkMs: 200 });
      await startedUp; // past the collection that ends start-up
      let kept = burst();
      const peak = used();
      kept = undefined;
      await new Promise((r) => setTimeout(r, 800)); // three quiet checks: a pause, not yet idleness
      const afterLull = used();
      await settle(peak);
      stop();
      console.log(JSON.stringify({ peak, afterLull, after: used() }));
    `);
    expect(afterLull).toBeGreaterThan(peak - 40 * MB);
    expect(after).toBeLessThan(peak - 40 * MB);
  });

  it('tells of each release after load, heap and RSS before and after, and not of the one that ends start-up', async () => {
    const outcome = (await scenario(`
      const releases = [];
      const startedUp = startUpRelease();
      const stop = releaseMemoryWhenIdle(() => false, { checkMs: 200, onRelease: (release) => releases.push(release) });
      await startedUp; // past the collection that ends start-up
      const atStartUp = releases.length;
      let kept = burst();
      const peak = used();
      kept = undefined;
      await settle(peak);
      await firstRelease(releases, 20);
      stop();
      console.log(JSON.stringify({ peak, after: used(), atStartUp, releases }));
    `)) as unknown as { atStartUp: number; releases: Array<{ heapUsedMb: [number, number]; rssMb: [number, number] }> };
    expect(outcome.atStartUp).toBe(0);
    expect(outcome.releases).toHaveLength(1);
    const [{ heapUsedMb, rssMb }] = outcome.releases;
    expect(heapUsedMb[0] - heapUsedMb[1]).toBeGreaterThan(40);
    expect(rssMb[1]).toBeGreaterThan(0);
    expect(rssMb[1]).toBeLessThan(rssMb[0]);
  });

  it('releases after load even when V8 has collected the heap first', async () => {
    const releases = await releasesWithin(
      3_000,
      `
      let serving = true; // streams open over a few checks, their garbage collected by V8 as they go
      const stop = releaseMemoryWhenIdle(() => serving, { checkMs: 200, onRelease });
      await new Promise((r) => setTimeout(r, 500));
      serving = false;
    `,
    );
    expect(releases).toBe(1);
  });

  it('releases after a burst of work that nothing open showed at any check, though V8 collected it first', async () => {
    // Short calls come and go between checks, so `isBusy` never sees one; the loop's work says there was load.
    const releases = await releasesWithin(
      5_000,
      `
      const startedUp = startUpRelease();
      const stop = releaseMemoryWhenIdle(() => false, { checkMs: 200, onRelease });
      await startedUp;
      let kept = burst();
      kept = undefined;
      gc(); // V8 takes the burst's garbage before any check could
    `,
    );
    expect(releases).toBe(1);
  });

  it('looks again when a collection ran while the load was still held', async () => {
    const { peak, after } = await scenario(`
      const startedUp = startUpRelease();
      const stop = releaseMemoryWhenIdle(() => false, { checkMs: 200 });
      await startedUp; // past the collection that ends start-up
      let kept = burst();
      const peak = used();
      await new Promise((r) => setTimeout(r, 2_000)); // six quiet checks, then a collection while all of it is still live
      kept = undefined; // the load's last objects let go: the heap has not grown since that collection
      await settle(peak);
      stop();
      console.log(JSON.stringify({ peak, after: used() }));
    `);
    expect(after).toBeLessThan(peak - 40 * MB);
  });

  it('stops looking again at a heap that really holds more now', async () => {
    // Each collection shows as a cluster of major GCs (V8 collects all it can in a few passes); clusters
    // are counted. Without the bound it would collect every few checks for as long as the heap stays up.
    const script = `
      import { PerformanceObserver, constants } from 'node:perf_hooks';
      import { releaseMemoryWhenIdle } from ${JSON.stringify(BUILT)};
      const passes = []; // [start, end] of each major GC
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) passes.push([entry.startTime, entry.startTime + entry.duration]);
      }).observe({ entryTypes: ['gc'] });
      const stop = releaseMemoryWhenIdle(() => false, { checkMs: 10 });
      await new Promise((r) => setTimeout(r, 100));
      const kept = []; for (let i = 0; i < 250_000; i += 1) kept.push({ i, text: \`stream \${i} \`.repeat(4) });
      const heldFrom = performance.now();
      await new Promise((r) => setTimeout(r, 8_000)); // the heap stays up: every object is still reachable
      stop();
      const clusters = passes.filter(([start], i) => start > heldFrom && (i === 0 || start - passes[i - 1][1] > 5)).length;
      console.log(JSON.stringify({ clusters, kept: kept.length }));
    `;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    const { clusters } = JSON.parse(stdout) as { clusters: number };
    expect(clusters).toBeGreaterThanOrEqual(2); // it looked again while the heap stayed up
    expect(clusters).toBeLessThanOrEqual(8); // one for the growth, six looks, one of V8's own: then it stops
  });

  it('collects once as soon as start-up is done, without waiting for a check', async () => {
    const { peak, after } = await scenario(`
      let kept = burst(); // start-up's garbage: allocated before the call, then dropped
      const peak = used();
      kept = undefined;
      const stop = releaseMemoryWhenIdle(() => false, { checkMs: 60_000 });
      await settle(peak);
      stop();
      console.log(JSON.stringify({ peak, after: used() }));
    `);
    expect(after).toBeLessThan(peak - 40 * MB);
  });

  it('leaves a process that still serves something to V8', async () => {
    // Told by the releases it reports, not by the heap: V8 may finish a collection the burst started.
    const outcome = (await scenario(`
      let asked = 0;
      const releases = [];
      const stop = releaseMemoryWhenIdle(() => (asked += 1) > 0, { checkMs: 100, onRelease: (release) => releases.push(release) });
      let kept = burst();
      const peak = used();
      kept = undefined;
      while (asked < 8) await new Promise((r) => setTimeout(r, 100));
      stop();
      console.log(JSON.stringify({ peak, after: used(), releases: releases.length }));
    `)) as unknown as { releases: number };
    expect(outcome.releases).toBe(0);
  });
});
