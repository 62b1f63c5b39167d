import type { Server } from 'node:http';
import type { BlockList } from 'node:net';
import { isTrustedPeer } from './trusted-proxies.js';

/**
 * Caps the connections one client address may hold open at once: a connection beyond the cap is closed as
 * it is accepted, before a byte of it is read, so tricklers cannot pile up descriptors. Trusted proxies
 * carry many clients over their connections and are not capped. `maxPerAddress` 0 turns the cap off.
 */
export function capConnectionsPerAddress(server: Server, maxPerAddress: number, trustedProxies: BlockList): void {
  if (maxPerAddress === 0) return;
  const open = new Map<string, number>();
  server.on('connection', (socket) => {
    const address = socket.remoteAddress;
    if (address === undefined || isTrustedPeer(trustedProxies, address)) return;
    const count = open.get(address) ?? 0;
    if (count >= maxPerAddress) {
      socket.destroy();
      return;
    }
    open.set(address, count + 1);
    socket.once('close', () => {
      const remaining = (open.get(address) ?? 1) - 1;
      if (remaining === 0) open.delete(address);
      else open.set(address, remaining);
    });
  });
}
