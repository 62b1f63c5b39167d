import { startProcess, startServices, stopProcess, type RunningProcess, type RunningServices } from '../helpers/start-services.js';

/**
 * llm-proxy frozen (SIGSTOP) or killed and started again, behind a running gateway: requests fail fast
 * with 503 in the caller's protocol while it is gone, and succeed again as soon as it is back.
 */

interface Outcome {
  status: number;
  body: unknown;
  ms: number;
}

async function chat(gatewayUrl: string): Promise<Outcome> {
  const started = Date.now();
  const response = await fetch(`${gatewayUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'mock', messages: [{ role: 'user', content: 'Hello' }] }),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: response.status, body: await response.json(), ms: Date.now() - started };
}

/** Sends requests one after another until one answers `status`; returns it and when it came. */
async function until(gatewayUrl: string, status: number, withinMs: number): Promise<Outcome & { at: number }> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const outcome = await chat(gatewayUrl);
    if (outcome.status === status) return { ...outcome, at: Date.now() };
    if (Date.now() > deadline) throw new Error(`no ${status} within ${withinMs} ms (last: ${outcome.status})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const unavailable = { error: { type: expect.any(String), message: expect.stringMatching(/llm-proxy is unavailable/) } };

describe('gateway and llm-proxy across faults', () => {
  let services: RunningServices;
  let replacement: RunningProcess | undefined;

  beforeAll(async () => {
    services = await startServices();
  });

  afterAll(async () => {
    if (services?.llmProxy.child.exitCode === null) services.llmProxy.child.kill('SIGCONT');
    if (replacement) await stopProcess(replacement.child);
    await services?.stop();
  });

  it('notices a frozen llm-proxy within seconds, answers 503 at once while it is frozen, and serves again when it resumes', async () => {
    expect((await chat(services.gatewayUrl)).status).toBe(200);
    services.llmProxy.child.kill('SIGSTOP');
    const frozenAt = Date.now();
    const first = await until(services.gatewayUrl, 503, 20_000);
    expect(first.at - frozenAt).toBeLessThan(12_000);
    expect(first.body).toMatchObject(unavailable);
    for (let index = 0; index < 3; index += 1) {
      const next = await chat(services.gatewayUrl);
      expect(next.status).toBe(503);
      expect(next.ms).toBeLessThan(1_000);
    }
    services.llmProxy.child.kill('SIGCONT');
    const resumedAt = Date.now();
    const back = await until(services.gatewayUrl, 200, 10_000);
    expect(back.at - resumedAt).toBeLessThan(5_000);
  });

  it('answers 503 at once while llm-proxy is down, and serves within 2 s of a new one being ready', async () => {
    const gatewayPort = new URL(services.gatewayUrl).port;
    const httpPort = new URL(services.llmProxyHttpUrl).port;
    services.llmProxy.child.kill('SIGKILL');
    await new Promise((resolve) => services.llmProxy.child.once('exit', resolve));
    const down = await until(services.gatewayUrl, 503, 10_000);
    expect(down.body).toMatchObject(unavailable);
    expect((await chat(services.gatewayUrl)).ms).toBeLessThan(1_000);
    // Long enough down for a reconnect backoff without a cap to have grown well past 2 s.
    await new Promise((resolve) => setTimeout(resolve, 6_000));

    replacement = startProcess('services/llm-proxy/dist/main.js', {
      LLM_PROXY_GRPC_PORT: String(services.grpcPort),
      LLM_PROXY_HTTP_PORT: httpPort,
      LLM_PROXY_URL: `127.0.0.1:${services.grpcPort}`,
      PORT: gatewayPort,
    });
    const started = replacement;
    const deadline = Date.now() + 20_000;
    while (!started.output().includes('llm-proxy listening')) {
      if (Date.now() > deadline || started.child.exitCode !== null) throw new Error(`llm-proxy did not start:\n${started.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const readyAt = Date.now();
    const back = await until(services.gatewayUrl, 200, 10_000);
    expect(back.at - readyAt).toBeLessThan(2_000);
  });
});
