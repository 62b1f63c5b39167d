import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/**
 * The pid of the process that owns the TCP connection from local `port` to `peerPort` on this machine
 * (Linux /proc), or undefined. Lets a test prove which process opened a connection to a fake upstream;
 * naming both ends keeps an unrelated socket that happens to use the same local port number out of it.
 */
export function pidOwningLocalPort(port: number, peerPort: number): number | undefined {
  const inode = socketInode(port, peerPort);
  if (inode === undefined) return undefined;
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const descriptor of descriptors) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${descriptor}`) === `socket:[${inode}]`) return Number(pid);
      } catch {
        // descriptor closed meanwhile
      }
    }
  }
  return undefined;
}

function socketInode(port: number, peerPort: number): string | undefined {
  const hex = (value: number) => value.toString(16).toUpperCase().padStart(4, '0');
  const local = `:${hex(port)}`;
  const peer = `:${hex(peerPort)}`;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let lines: string[];
    try {
      lines = readFileSync(table, 'utf8').split('\n').slice(1);
    } catch {
      continue;
    }
    for (const line of lines) {
      const fields = line.trim().split(/\s+/);
      if (fields[1]?.endsWith(local) && fields[2]?.endsWith(peer) && fields[9] && fields[9] !== '0') return fields[9];
    }
  }
  return undefined;
}
