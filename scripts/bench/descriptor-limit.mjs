/**
 * The most descriptors a process started here may open: the hard limit of this shell's session, since
 * raising it further needs privileges a container usually lacks. The soak raises its processes' soft
 * limit to it (10,000 streams take more than the common default of 1,024 in several processes).
 */
import { spawnSync } from 'node:child_process';

const WANTED = 65_536;

export function descriptorLimit() {
  const hard = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return hard === 'unlimited' ? WANTED : Math.min(WANTED, Number(hard));
}
