/** Open file descriptors of a process (sockets included), counted in /proc/<pid>/fd. */
import { readdirSync } from 'node:fs';

export function openDescriptors(pid) {
  return readdirSync(`/proc/${pid}/fd`).length;
}
