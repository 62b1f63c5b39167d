import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createGuardedFetch } from './create-guarded-fetch.js';
import { EndpointTargetPolicy } from './endpoint-target-policy.js';

describe('createGuardedFetch', () => {
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('reached'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const policy = (denied: string[]) => new EndpointTargetPolicy({ allowed_hosts: [], denied_hosts: denied, allow_link_local: false, allow_loopback: true });

  it('connects where the policy allows', async () => {
    const response = await createGuardedFetch(policy([]))(`http://localhost:${port}/`);
    expect(await response.text()).toBe('reached');
  });

  it('refuses at connect time a name that now resolves to a forbidden address', async () => {
    const guarded = createGuardedFetch(policy(['127.0.0.0/8', '::1']));
    const failure = await guarded(`http://localhost:${port}/`).then(
      () => undefined,
      (error: Error & { cause?: Error }) => error,
    );
    expect(failure?.cause?.message).toMatch(/endpoint refused: host localhost resolves to .* denied/);
  });
});
