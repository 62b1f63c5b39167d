import { getHeapStatistics } from 'node:v8';
import { releaseMemoryWhenIdle } from './release-memory-when-idle.js';

const MB = 1024 * 1024;

describe('releaseMemoryWhenIdle', () => {
  it('collects the garbage a burst left once the process goes quiet', async () => {
    const stop = releaseMemoryWhenIdle(() => false, 200);
    try {
      // A burst: objects that live long enough to reach the old generation, then all dropped at once.
      let burst: Array<{ index: number; text: string }> | undefined = [];
      for (let index = 0; index < 600_000; index += 1) burst.push({ index, text: `stream ${index} `.repeat(4) });
      const peak = getHeapStatistics().used_heap_size;
      burst = undefined;
      expect(burst).toBeUndefined();
      // Quiet from here on: nothing allocates enough to make V8 collect on its own.
      let used = peak;
      for (let waited = 0; waited < 100 && used > peak - 40 * MB; waited += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        used = getHeapStatistics().used_heap_size;
      }
      expect(used).toBeLessThan(peak - 40 * MB);
    } finally {
      stop();
    }
  });

  it('collects once as soon as start-up is done, without waiting for a check', async () => {
    // Start-up's garbage: allocated before the call, dropped, and no check due for a minute.
    let startUp: Array<{ index: number; text: string }> | undefined = [];
    for (let index = 0; index < 600_000; index += 1) startUp.push({ index, text: `module ${index} `.repeat(4) });
    const peak = getHeapStatistics().used_heap_size;
    startUp = undefined;
    expect(startUp).toBeUndefined();
    const stop = releaseMemoryWhenIdle(() => false, 60_000);
    try {
      let used = peak;
      for (let waited = 0; waited < 100 && used > peak - 40 * MB; waited += 1) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        used = getHeapStatistics().used_heap_size;
      }
      expect(used).toBeLessThan(peak - 40 * MB);
    } finally {
      stop();
    }
  });

  it('leaves a process that still serves something to V8', async () => {
    let asked = 0;
    const stop = releaseMemoryWhenIdle(() => (asked += 1) > 0, 100);
    try {
      let burst: Array<{ index: number; text: string }> | undefined = [];
      for (let index = 0; index < 600_000; index += 1) burst.push({ index, text: `stream ${index} `.repeat(4) });
      const peak = getHeapStatistics().used_heap_size;
      burst = undefined;
      expect(burst).toBeUndefined();
      while (asked < 5) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(getHeapStatistics().used_heap_size).toBeGreaterThan(peak - 40 * MB);
    } finally {
      stop();
    }
  });
});
