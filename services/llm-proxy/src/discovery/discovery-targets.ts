import type { ServerKind } from './server-kinds.js';
import { SERVER_KINDS } from './server-kinds.js';

/** One host and port to probe, and the server kinds that may answer there. */
export interface DiscoveryTarget {
  host: string;
  port: number;
  kinds: readonly ServerKind[];
  /** This machine (`discovery.hosts`): hits register under the bare kind (`ollama`), else `<kind>-<host>`. */
  local: boolean;
}

/**
 * What one discovery round probes: every local host on each kind's port, each bare peer the same way,
 * and each `host:port` peer on that port for every kind. Duplicates (a peer also listed as local) are
 * probed once, as local.
 */
export function discoveryTargets(
  localHosts: readonly string[],
  peers: readonly string[],
  ports: ReadonlyArray<{ kind: ServerKind; port: number }>,
): DiscoveryTarget[] {
  const targets: DiscoveryTarget[] = [];
  const seen = new Set<string>();
  const add = (target: DiscoveryTarget) => {
    const key = `${target.host}|${target.port}`;
    if (seen.has(key)) return;
    seen.add(key);
    targets.push(target);
  };
  for (const host of localHosts.map((entry) => entry.trim()).filter(Boolean)) {
    for (const { kind, port } of ports) add({ host, port, kinds: [kind], local: true });
  }
  for (const peer of peers.map((entry) => entry.trim()).filter(Boolean)) {
    const { host, port } = splitPeer(peer);
    if (port === undefined) {
      for (const { kind, port: kindPort } of ports) add({ host, port: kindPort, kinds: [kind], local: false });
    } else {
      add({ host, port, kinds: SERVER_KINDS, local: false });
    }
  }
  return targets;
}

/** `gpu-box`, `gpu-box:8001`, `10.0.0.7:8000`, `[fd00::7]:8000` or `fd00::7`; a scheme is tolerated. */
export function splitPeer(peer: string): { host: string; port: number | undefined } {
  const bare = peer.replace(/^https?:\/\//i, '').replace(/\/.*$/, '');
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(bare);
  if (bracketed) return { host: bracketed[1] as string, port: bracketed[2] === undefined ? undefined : Number(bracketed[2]) };
  const parts = bare.split(':');
  if (parts.length === 2 && /^\d+$/.test(parts[1] as string)) return { host: parts[0] as string, port: Number(parts[1]) };
  return { host: bare, port: undefined };
}
