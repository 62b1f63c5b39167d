import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { startFakeOpenAIUpstream, type FakeOpenAIUpstream } from '../helpers/fake-openai-upstream.js';
import { logEntries } from '../helpers/log-entries.js';
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

interface TrickledAnswer {
  head: string;
  body: string;
  /** When the connection closed, counted from when the request's headers were sent. */
  afterHeadersMs: number;
  /** Whether the gateway closed it (rather than the test giving up on it). */
  closed: boolean;
}

/**
 * Writes a request's headers, then its body one byte a second (chunked: a chunk of one byte a second), and
 * collects what comes back until the gateway closes the connection.
 */
function trickle(port: number, headers: string, chunked = false): Promise<TrickledAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: '127.0.0.11' });
    let received = '';
    let sentAt = 0;
    let closed = true;
    const drip = setInterval(() => socket.writable && socket.write(chunked ? '1\r\n \r\n' : ' '), 1_000);
    socket.on('connect', () => {
      sentAt = performance.now();
      socket.write(headers);
    });
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      const afterHeadersMs = performance.now() - sentAt;
      clearInterval(drip);
      clearTimeout(giveUp);
      const split = received.indexOf('\r\n\r\n');
      resolve({ head: received.slice(0, split + 2), body: received.slice(split + 4), afterHeadersMs, closed });
    });
    // The test's own bound: past the gateway's 2 s, short of the 10 s + 2 s the old limit added up to.
    const giveUp = setTimeout(() => {
      closed = false;
      socket.destroy();
    }, 8_000);
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
      GATEWAY_BODY_TIMEOUT_MS: '2000',
      GATEWAY_HEADERS_TIMEOUT_MS: '10000',
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

  it('answers 408 in the caller\'s protocol 2 s after the headers to a body trickled a byte a second, on every body-reading route', async () => {
    const auth = `Authorization: Bearer ${KEY}\r\n`;
    const json = 'Content-Type: application/json\r\nContent-Length: 10000\r\n';
    const answers = await Promise.all([
      trickle(port, `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n${auth}${json}\r\n`),
      trickle(port, `POST /v1/messages HTTP/1.1\r\nHost: x\r\nanthropic-version: 2023-06-01\r\n${auth}${json}\r\n`),
      trickle(port, `POST /api/chat HTTP/1.1\r\nHost: x\r\n${auth}${json}\r\n`),
      trickle(port, `POST /v1/embeddings HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`, true),
      trickle(port, `POST /passthrough/x/files HTTP/1.1\r\nHost: x\r\n${auth}${json}\r\n`),
    ]);
    const message = 'The request body did not arrive within 2000 ms of its headers.';
    const bodies = [
      { error: { message, type: 'timeout_error', param: null, code: null } },
      { type: 'error', error: { type: 'invalid_request_error', message }, request_id: expect.any(String) },
      { error: message },
      { error: { message, type: 'timeout_error', param: null, code: null } },
      { error: { message, type: 'timeout_error', param: null, code: null } },
    ];
    for (const [index, answer] of answers.entries()) {
      expect(answer.head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
      expect(answer.head).toMatch(/\r\nconnection: close\r\n/i);
      expect(JSON.parse(answer.body)).toEqual(bodies[index]);
      // Counted from the headers, not from the start of the request: far short of the 10 s + 2 s they add up to.
      expect(answer.afterHeadersMs).toBeGreaterThanOrEqual(2_000);
      expect(answer.afterHeadersMs).toBeLessThan(5_000);
      expect(answer.closed).toBe(true);
    }
    expect(logEntries(services.gateway.output()).filter((entry) => entry.message === 'request failed')).toEqual([]);
  });

  it('closes a connection whose body still trickles 2 s after its headers, once its answer has gone out', async () => {
    const answer = await trickle(port, 'POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10000\r\n\r\n');
    expect(answer.head).toMatch(/^HTTP\/1\.1 401 /);
    expect(answer.afterHeadersMs).toBeGreaterThanOrEqual(2_000);
    expect(answer.afterHeadersMs).toBeLessThan(5_000);
    expect(answer.closed).toBe(true);
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
