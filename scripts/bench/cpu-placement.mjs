/**
 * Where each process runs. The figures were taken with the system under test (nginx, the floors,
 * nachos) pinned to one core and everything that makes load (the load generator, the fake upstream, this
 * orchestrator) on the other, so the two never compete for a core and "CPU per request" is not inflated by
 * migrations. Without `taskset` or on a single core nothing is pinned and the report says so.
 */
import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

const hasTaskset = spawnSync('taskset', ['-V']).status === 0;

/** `{system, load}` as taskset core lists, or undefined when pinning is not possible here. */
export const placement = hasTaskset && cpus().length >= 2 ? { system: '0', load: '1' } : undefined;

/** The command line that starts `command` on `cores` (unchanged without pinning); taskset execs, so the pid stays. */
export function placed(cores, command, args) {
  return cores === undefined ? { command, args } : { command: 'taskset', args: ['-c', cores, command, ...args] };
}

/** Moves a running process and all its threads (this orchestrator) onto `cores`. */
export function moveTo(cores, pid) {
  if (cores !== undefined) spawnSync('taskset', ['-a', '-p', '-c', cores, String(pid)], { stdio: 'ignore' });
}

export function describePlacement() {
  return placement
    ? `system under test pinned to core ${placement.system}; load generator, fake upstream and orchestrator to core ${placement.load}`
    : 'nothing pinned (taskset missing or a single core): load and system under test share the cores';
}
