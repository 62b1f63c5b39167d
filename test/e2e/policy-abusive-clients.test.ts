import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { startGatewayReplica, type GatewayReplica } from '../helpers/start-gateway-replica.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEY = 'sk-gw-abusive-3e9a';
const ADMIN_KEY = 'admin-abusive-6d2f';

interface Answer {
  status: number;
  retryAfter: string | undefined;
}

/**
 * Sends one request from a chosen loopback address (the whole of 127.0.0.0/8 is this machine), so each
 * scenario is its own client as far as the gateway can tell.
 */
function from(localAddress: string, url: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { localAddress, headers, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }));
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * Slow and abusive clients (A1, C3): a body trickled in after quick headers, a pile of idle connections from
 * one address, `X-Forwarded-For` from a client that is no proxy, and admin-key guessing.
 */
describe('abusive clients', () => {
  let upstream: FakeOpenAIUpstream;
  let services: RunningServices;
  let behindProxy: GatewayReplica;
  let port: number;
  const opened: Socket[] = [];

  beforeAll(async () => {
    upstream = await startFakeOpenAIUpstream({ models: ['fake-model'] });
    const env = {
      NACHOS_CONFIG: writeConfigFile('[auth]\nfailed_attempts_per_minute = 3\n'),
      NACHOS_API_KEYS: KEY,
      NACHOS_ADMIN_KEY: ADMIN_KEY,
      GATEWAY_BODY_TIMEOUT_MS: '1500',
      GATEWAY_HEADERS_TIMEOUT_MS: '1000',
      GATEWAY_MAX_CONNECTIONS_PER_ADDRESS: '8',
      LLM_PROXY_ENDPOINT_X_URL: upstream.url,
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    };
    services = await startServices(env);
    behindProxy = await startGatewayReplica(services, { ...env, GATEWAY_TRUST_PROXY: '127.0.0.90/31' });
    port = Number(new URL(services.gatewayUrl).port);
  });

  afterAll(async () => {
    for (const socket of opened) socket.destroy();
    await behindProxy?.stop();
    await services?.stop();
    await upstream?.close();
  });

  it('answers 408 and closes a connection whose body trickles in after quick headers', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.11' });
      let received = '';
      socket.on('connect', () =>
        socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${KEY}\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n{"model":`),
      );
      const drip = setInterval(() => socket.writable && socket.write(' '), 200);
      socket.on('data', (chunk) => (received += chunk.toString()));
      socket.on('error', () => {});
      socket.on('close', () => {
        clearInterval(drip);
        resolve(received);
      });
      // The test's own bound: far past the gateway's 1 s + 1.5 s, far short of its 600 s request timeout.
      setTimeout(() => socket.destroy(), 15_000);
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes connections from one address beyond its cap, and serves other addresses meanwhile', async () => {
    const open = (localAddress: string) =>
      new Promise<Socket>((resolve, reject) => {
        const socket = connect({ port, host: '127.0.0.1', localAddress });
        opened.push(socket);
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    const closedWithin = (socket: Socket, ms: number) =>
      new Promise<boolean>((resolve) => {
        if (socket.destroyed || socket.readableEnded) return resolve(true);
        const timer = setTimeout(() => resolve(false), ms);
        socket.once('close', () => {
          clearTimeout(timer);
          resolve(true);
        });
        socket.resume();
      });
    const sockets = [];
    for (let index = 0; index < 12; index += 1) sockets.push(await open('127.0.0.12'));
    const closed = await Promise.all(sockets.map((socket) => closedWithin(socket, 500)));
    expect(closed.filter(Boolean).length).toBe(4);
    expect(closed.slice(0, 8)).toEqual(Array(8).fill(false));
    expect((await from('127.0.0.13', `${services.gatewayUrl}/v1/models`, { authorization: `Bearer ${KEY}` })).status).toBe(200);
    for (const socket of sockets) socket.destroy();
    // Once they are gone the address may connect again.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await from('127.0.0.12', `${services.gatewayUrl}/v1/models`, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it('keys the failed-key throttle on the peer, whatever X-Forwarded-For a client makes up', async () => {
    const statuses = [];
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const answer = await from('127.0.0.14', `${services.gatewayUrl}/v1/models`, {
        authorization: `Bearer sk-guess-${attempt}`,
        'x-forwarded-for': `198.51.100.${attempt}`,
      });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([401, 401, 401, 429, 429]);
    expect((await from('127.0.0.14', `${services.gatewayUrl}/v1/models`, { authorization: `Bearer ${KEY}`, 'x-forwarded-for': '198.51.100.77' })).status).toBe(429);
    expect((await from('127.0.0.15', `${services.gatewayUrl}/v1/models`, { authorization: `Bearer ${KEY}` })).status).toBe(200);
  });

  it('believes X-Forwarded-For only from a configured proxy', async () => {
    const viaProxy = (client: string, key: string) =>
      from('127.0.0.90', `${behindProxy.url}/v1/models`, { authorization: `Bearer ${key}`, 'x-forwarded-for': client });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await viaProxy('203.0.113.50', `sk-guess-${attempt}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Another client behind the same proxy is its own address, and the proxy's connections are not capped.
    expect((await viaProxy('203.0.113.51', KEY)).status).toBe(200);
    const burst = await Promise.all(Array.from({ length: 12 }, () => viaProxy('203.0.113.52', KEY)));
    expect(burst.map((answer) => answer.status)).toEqual(Array(12).fill(200));
  });

  it('throttles wrong admin keys per address with 429 and Retry-After, other addresses unaffected', async () => {
    const admin = (localAddress: string, key: string) => from(localAddress, `${services.gatewayUrl}/admin/v1/usage`, { authorization: `Bearer ${key}` });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt += 1) statuses.push((await admin('127.0.0.16', `wrong-admin-${attempt}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await admin('127.0.0.16', ADMIN_KEY);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    expect((await admin('127.0.0.17', ADMIN_KEY)).status).toBe(200);
    const registry = await from('127.0.0.16', `${services.gatewayUrl}/admin/v1/registry`, { authorization: `Bearer ${ADMIN_KEY}` });
    expect(registry.status).toBe(429);
  });
});
