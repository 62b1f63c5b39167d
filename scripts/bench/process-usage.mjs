/**
 * CPU time and memory of a process, read from /proc (Linux only): what the kernel charged to it, not an
 * estimate. CPU is utime+stime of the whole thread group (V8's compiler and GC threads included), in clock
 * ticks of `getconf CLK_TCK` (usually 100 per second, so a measured window must be long enough for many
 * ticks; the report sums ticks over all rounds before dividing by requests).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export const clockTicksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** utime+stime in ticks; fields counted after the `)` that closes the command name, which may hold spaces. */
export function cpuTicks(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Resident set size in MB (VmRSS). */
export function residentMegabytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kilobytes = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)[1]);
  return kilobytes / 1024;
}

/**
 * How often the process's main thread has gone to sleep and been woken again (its voluntary context
 * switches): an idle process that keeps waking for timers costs CPU and battery however little each costs.
 */
export function mainThreadWakeUps(pid) {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)[1]);
}

/** The pids whose parent is `pid` (nginx's workers), found by scanning /proc. */
export function childPids(pid) {
  const children = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return children;
}

/**
 * A measured party: one process or a group (nginx master and workers), summed. `pids` is a function so
 * that a group can be listed again at any time.
 */
export function measuredGroup(label, pids) {
  return {
    label,
    cpuTicks: () => pids().reduce((sum, pid) => sum + cpuTicks(pid), 0),
    residentMegabytes: () => pids().reduce((sum, pid) => sum + residentMegabytes(pid), 0),
    wakeUps: () => pids().reduce((sum, pid) => sum + mainThreadWakeUps(pid), 0),
  };
}

/**
 * CPU ticks spent by the whole machine (all cores, everything but idle and iowait), from /proc/stat. Minus
 * the measured parties' ticks it tells how much other work shared the cores during a window: on a shared
 * machine that is the first thing to look at when figures move between runs.
 */
export function machineBusyTicks() {
  const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, , , irq, softirq, steal] = fields;
  return user + nice + system + irq + softirq + steal;
}
