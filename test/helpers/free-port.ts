import { createServer } from 'node:net';

/**
 * Ports this process has handed out already. The kernel may give the same ephemeral port to two
 * bind(0) calls in a row once the first is closed, and a test that asks for a gateway port and a gRPC
 * port must never get one port twice.
 */
const handedOut = new Set<number>();

/** A TCP port on 127.0.0.1 that was free a moment ago and that no earlier call in this process returned. */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await boundAndReleasedPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function boundAndReleasedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
