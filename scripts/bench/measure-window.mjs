/**
 * One measured window: the load generator runs one job against one target while every party's CPU ticks
 * are read before and after, and its resident memory is sampled for the peak. Connections are opened in the
 * prepare step, before the first CPU reading, so the CPU figures hold only steady-state requests.
 */
import { cpuTicks as processTicks, machineBusyTicks } from './process-usage.mjs';

const RSS_SAMPLE_MS = 100;

/**
 * `job` = {url, model, stream, concurrency}; `groups` = every measured party (see measuredGroup). `otherTicks`
 * is what the rest of the machine (this orchestrating process excepted) spent meanwhile; `rssBefore` and
 * `peakRss` (MB) tell what the window's open requests held (memory per open stream).
 */
export async function measureWindow(loadGenerator, groups, job, durationMs) {
  // Memory is read from before the prepare step: its requests are the first the window holds open.
  const rssBefore = Object.fromEntries(groups.map((group) => [group.label, group.residentMegabytes()]));
  const peakRss = { ...rssBefore };
  const sampleRss = () => {
    for (const group of groups) peakRss[group.label] = Math.max(peakRss[group.label], group.residentMegabytes());
  };
  const sampler = setInterval(sampleRss, RSS_SAMPLE_MS);
  try {
    await loadGenerator.prepare(job);
    const before = groups.map((group) => group.cpuTicks());
    const machineBefore = machineBusyTicks() - processTicks(process.pid);
    const result = await loadGenerator.run(durationMs);
    const machineTicks = machineBusyTicks() - processTicks(process.pid) - machineBefore;
    const cpuTicks = Object.fromEntries(groups.map((group, index) => [group.label, group.cpuTicks() - before[index]]));
    const otherTicks = Math.max(0, machineTicks - Object.values(cpuTicks).reduce((sum, ticks) => sum + ticks, 0));
    sampleRss();
    return { result, cpuTicks, otherTicks, rssBefore, peakRss };
  } finally {
    clearInterval(sampler);
  }
}
