import { connect } from 'node:net';
import { logEntries } from '../helpers/log-entries.js';
import { startRestartableRedis, type RestartableRedis } from '../helpers/restartable-redis.js';
import { startServices, type RunningServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const KEY = 'sk-gw-late-body-ends-2b7d';
const BODY_TIMEOUT_MS = 300;
const REDIS_COMMAND_TIMEOUT_MS = 1_500;

interface RawAnswer {
  head: string;
  body: string;
}

/** Writes a request's headers and the first half of its body, never the rest; resolves with the answer once the gateway closes. */
function sendHalf(port: number, head: string, half: string): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let received = '';
    socket.on('connect', () => socket.write(`${head}\r\n${half}`));
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.on('error', () => {});
    socket.on('close', () => {
      const split = received.indexOf('\r\n\r\n');
      resolve({ head: received.slice(0, split + 2), body: received.slice(split + 4) });
    });
  });
}

/** The value of a Prometheus sample, or undefined when absent. */
function sample(metrics: string, name: string, labels: string): number | undefined {
  const line = metrics.split('\n').find((entry) => entry.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(' ').at(-1));
}

/**
 * A request whose body is still incomplete when its deadline passes, while it waits before the step that
 * reads its body, is answered 408 in its caller's protocol, and that answer ends it (issue #14): whatever it
 * was waiting for, nothing runs on for it once it is answered. Here it waits on a hung Redis while the
 * gateway counts its wrong key against its address.
 */
describe('a request whose body missed its deadline while it waited', () => {
  let redis: RestartableRedis;
  let services: RunningServices;
  let port: number;

  beforeAll(async () => {
    redis = await startRestartableRedis();
    services = await startServices({
      NACHOS_CONFIG: writeConfigFile('[auth]\nfailed_attempts_per_minute = 5\n'),
      NACHOS_API_KEYS: KEY,
      REDIS_URL: redis.url,
      REDIS_COMMAND_TIMEOUT_MS: String(REDIS_COMMAND_TIMEOUT_MS),
      GATEWAY_BODY_TIMEOUT_MS: String(BODY_TIMEOUT_MS),
      LLM_PROXY_LOCAL_DISCOVERY: '0',
      LLM_PROXY_ENDPOINT_X_URL: 'http://127.0.0.1:9/v1',
      LLM_PROXY_ENDPOINT_X_MODELS: 'fake-model',
    });
    port = Number(new URL(services.gatewayUrl).port);
  });

  afterAll(async () => {
    redis?.thaw();
    await services?.stop();
    await redis?.stop();
  });

  it('answers 408 and nothing else: the refusal it was waiting for is neither answered, counted nor logged', async () => {
    redis.freeze();
    const body = JSON.stringify({ model: 'fake-model', messages: [{ role: 'user', content: 'x'.repeat(2_000) }] });
    const head = `POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-not-a-key\r\nx-request-id: late-body-waiting\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n`;
    const sentAt = Date.now();
    const answer = await sendHalf(port, head, body.slice(0, body.length / 2));
    expect(answer.head).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(answer.head).toMatch(/\r\nconnection: close\r\n/i);
    expect(JSON.parse(answer.body)).toEqual({ error: { message: `The request body did not arrive within ${BODY_TIMEOUT_MS} ms of its headers.`, type: 'timeout_error', param: null, code: null } });

    // What the request was waiting for gives up once Redis's command timeout has passed; then it is let run.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, sentAt + REDIS_COMMAND_TIMEOUT_MS + 500 - Date.now())));
    redis.thaw();
    const metrics = await (await fetch(`${services.gatewayUrl}/metrics`)).text();
    expect(sample(metrics, 'nachos_gateway_auth_failures_total', 'reason="invalid"')).toBeUndefined();
    const lines = logEntries(services.gateway.output()).filter((entry) => entry.requestId === 'late-body-waiting');
    expect(lines).toEqual([expect.objectContaining({ message: 'request', status: 408, error: 'timeout', clientClosedEarly: false })]);
    expect(logEntries(services.gateway.output()).filter((entry) => entry.message === 'request failed')).toEqual([]);
  });
});
