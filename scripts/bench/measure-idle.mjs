/**
 * What each party costs while nothing is asked of it: how often its main thread wakes (see
 * mainThreadWakeUps) in a quiet window after the load. A timer that fires every few milliseconds costs
 * next to nothing per request but is most of what an idle service spends, so it is counted here, where
 * no load hides it. The window starts once the load's own tails are over (nachos closes idle upstream
 * connections after 4 s, and its event-loop sampler stops a window or two after the loop falls quiet).
 */
const SETTLE_MS = 8_000;
const WINDOW_MS = 5_000;

/** Wake-ups per second of each group, by label. */
export async function measureIdleWakeUps(groups) {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  const before = groups.map((group) => group.wakeUps());
  await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
  return Object.fromEntries(groups.map((group, index) => [group.label, ((group.wakeUps() - before[index]) * 1000) / WINDOW_MS]));
}
