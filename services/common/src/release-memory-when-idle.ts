import { getHeapStatistics } from 'node:v8';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { dropSpareHttpParsers } from './drop-spare-http-parsers.js';
import { pinTrimThreshold, trimNativeHeap } from './trim-native-heap.js';

/** How often the process looks at its load and heap, by default. */
const CHECK_MS = 5_000;
/**
 * Below this share of a check's period spent working since the last look, the process counts as idle. A
 * share of the period, not of the time since: the look right after a collection comes early (its timer fell
 * due during it), and a millisecond of work in that short window is not load.
 */
const IDLE_UTILIZATION = 0.05;
/**
 * Work under this many ms since the last look is idle whatever the period: the runtime's own housekeeping (a
 * compile finishing, the sweep after a collection) takes a few ms now and then, and is not load. Only short
 * periods (tests') come near it; at the default period the share is 250 ms.
 */
const IDLE_WORK_MS = 5;
/** Heap growth since the last collection, as a share of what was live then and in bytes, that is worth one. */
const GROWTH_SHARE = 0.25;
const GROWTH_BYTES = 8 * 1024 * 1024;
/** Checks to wait before looking again at a heap a collection found grown, doubling up to this many. */
const MAX_LOOK_AGAIN_CHECKS = 32;
/** Idle checks in a row (30 s by default) before a collection: a lull between bursts is not the end of load. */
const QUIET_CHECKS = 6;

/**
 * Gives memory back after a burst of load. V8 collects garbage only when JavaScript allocates, so a process
 * that goes quiet after thousands of streams keeps their garbage, and the resident memory under it, until
 * the next burst: measured after 2,000 streams, heaps of 109 and 164 MB (live: 20 and 32) still held 60 s
 * later, released at once by one full collection. Every `checkMs`, a process with nothing open (`isBusy`
 * says whether it serves anything now), idle over the last QUIET_CHECKS checks (the event loop working for
 * under IDLE_UTILIZATION of the period in each) and whose heap grew since the last collection asks V8 for one
 * full collection, through an in-process inspector session (the documented way to request one without
 * `--expose-gc`); and once as soon as start-up is done, whatever the heap. Open streams rule it out, not the
 * utilization alone: thousands of slow streams keep a loop nearly idle while their state is live, and a full
 * collection over it would pause every one of them for nothing. Nothing on a request's path changes; a busy
 * process is left to V8. Returns what stops the checks.
 *
 * Growth is counted in the heap in use, not the heap held: after load V8 keeps its young generation grown
 * (2 x 16 MB) for the allocation rate it saw, and a collection that shrinks it makes the next burst pay in
 * scavenges and promotions. Measured with the bench's idle gaps between windows, collecting on held growth
 * too cost 0.79 instead of 0.49 ms of CPU per request at c=64, for about 16 MB of RSS given back after a
 * soak that still ends far over its budget (the allocator's kept pages, not V8's).
 *
 * A process found serving something, or its loop busy, at some check since its last release releases once it
 * is quiet again, grown heap or not (the release's own work is neither, so it cannot call for another): V8's
 * own memory reducer often collects a quiet heap first, and the C allocator's pages would then stay with
 * nobody to hand them back (after a 2,000-stream soak the gateway's heap was back at 19.5 MB by V8's doing,
 * no release ran in 120 s, and RSS stayed 17 % over idle). The busy loop counts too because `isBusy` sees
 * only what is open at the instant of a check: short calls between checks, or a burst of work, leave
 * garbage and pages behind all the same.
 *
 * Only a process quiet for QUIET_CHECKS checks in a row collects. A memory-reducing collection leaves the heap
 * at its smallest, and the next burst pays to grow it again: bursts of
 * 1,500 requests at c=32 seven seconds apart (the bench's gaps between one target's windows) cost 0.62-0.71
 * ms of CPU per request with a collection in every gap, 0.44-0.48 without, the gRPC floor 0.32-0.39 beside
 * them. Traffic that pauses for seconds keeps what it runs on; a process quiet for half a minute gives it back.
 *
 * A collection can run while the load's last objects are still held (llm-proxy's upstream connections
 * closing after the streams, say): measured after a 3,000-stream soak, one found 61 MB live where idle holds
 * 15, and since growth was counted from there nothing collected again. So while a collection finds the live
 * heap grown past the same threshold over the smallest any collection found, another follows after 1, 2, 4
 * ... quiet checks; past MAX_LOOK_AGAIN_CHECKS the heap is taken to really hold that much now (a cache
 * filled, say) and becomes the new floor: at most six more collections, over about five minutes. Before each
 * collection the HTTP parsers Node keeps for reuse are freed (`dropSpareHttpParsers`), and after it the C
 * allocator's free pages go back to the system (`trimNativeHeap`). From the start, glibc is kept
 * trimming the free tops of the arenas other threads allocate from (`pinTrimThreshold`): no later call can.
 */
export function releaseMemoryWhenIdle(isBusy: () => boolean, { checkMs = CHECK_MS, onRelease }: IdleReleaseOptions = {}): () => void {
  const idleWorkMs = Math.max(IDLE_UTILIZATION * checkMs, IDLE_WORK_MS);
  let liveBytes = getHeapStatistics().used_heap_size;
  let previous: EventLoopUtilization = performance.eventLoopUtilization();
  let floorBytes = Infinity;
  let lookAgainChecks = 0;
  let checksLeft = 0;
  let quietChecks = 0;
  let loadSinceRelease = false;
  let collecting = false;
  /** `report` is false for the collection that ends start-up, which is not a release after load. */
  const collect = (report: boolean) => {
    collecting = true;
    loadSinceRelease = false;
    const before = report ? { heapUsedMb: megabytes(getHeapStatistics().used_heap_size), rssMb: megabytes(process.memoryUsage.rss()) } : undefined;
    dropSpareHttpParsers();
    void collectGarbage()
      .then(
        () => {
          liveBytes = getHeapStatistics().used_heap_size;
          floorBytes = Math.min(floorBytes, liveBytes);
          lookAgainChecks = grewPast(liveBytes, floorBytes) ? Math.max(1, lookAgainChecks * 2) : 0;
          if (lookAgainChecks > MAX_LOOK_AGAIN_CHECKS) [floorBytes, lookAgainChecks] = [liveBytes, 0];
          checksLeft = lookAgainChecks;
          const heapUsedMb = megabytes(liveBytes);
          return trimNativeHeap().then(() => {
            if (before) onRelease?.({ heapUsedMb: [before.heapUsedMb, heapUsedMb], rssMb: [before.rssMb, megabytes(process.memoryUsage.rss())] });
          });
        },
        // Without an inspector (a Node built without one) there is no way to ask: V8 decides alone, as before.
        () => clearInterval(timer),
      )
      .finally(() => {
        collecting = false;
        previous = performance.eventLoopUtilization();
      });
  };
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const idle = performance.eventLoopUtilization(now, previous).active < idleWorkMs;
    previous = now;
    const busy = isBusy();
    // A check that falls during a collection sees the collection's own work, not load.
    if (busy || (!idle && !collecting)) loadSinceRelease = true;
    quietChecks = idle && !busy ? quietChecks + 1 : 0;
    if (checksLeft > 0) checksLeft -= 1;
    const lookAgain = lookAgainChecks > 0 && checksLeft === 0;
    if (collecting || quietChecks < QUIET_CHECKS || !(loadSinceRelease || lookAgain || grewPast(getHeapStatistics().used_heap_size, liveBytes))) return;
    collect(true);
  }, checkMs).unref();
  // Start-up (imports, config, plugins) is the first burst: much of what it allocates survives a scavenge or
  // two, so V8 grows the young generation to its largest (2 x 8 MB) before anything is served, and keeps it.
  // Called at the end of start-up, this collects once as soon as the loop turns, which also shrinks the young
  // generation back: measured beside the build before it, idle RSS 86.5 -> 71.6 MB (gateway) and 90.2 -> 70.9
  // MB (llm-proxy). Under load V8 grows it again as the allocation rate asks.
  setImmediate(() => isBusy() || collect(false)).unref();
  void pinTrimThreshold();
  return () => clearInterval(timer);
}

/** What one release after load gave back, before and after, in MB. */
export interface IdleRelease {
  heapUsedMb: [number, number];
  rssMb: [number, number];
}

export interface IdleReleaseOptions {
  /** How often the process looks at its load and heap. */
  checkMs?: number;
  /**
   * Told of each release after load (not the one that ends start-up): the services log it, so an operator
   * (and the soak) can tell the release from V8's own collections, which /metrics counts alike.
   */
  onRelease?: (release: IdleRelease) => void;
}

function megabytes(bytes: number): number {
  return Math.round(bytes / 104_857.6) / 10;
}

/** Whether a heap of `used` bytes has grown enough past `live` to be worth a collection. */
function grewPast(used: number, live: number): boolean {
  return used >= live * (1 + GROWTH_SHARE) + GROWTH_BYTES;
}

/** One full, memory-reducing collection. node:inspector is loaded on the first one, not at start-up. */
async function collectGarbage(): Promise<void> {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  try {
    await new Promise<void>((resolve, reject) => session.post('HeapProfiler.collectGarbage', (error) => (error ? reject(error) : resolve())));
  } finally {
    session.disconnect();
  }
}
