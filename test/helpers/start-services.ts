import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunningProcess {
  child: ChildProcess;
  output: () => string;
}

export interface RunningServices {
  gatewayUrl: string;
  grpcPort: number;
  /** llm-proxy's internal HTTP port (/metrics, /ready, /admin). */
  llmProxyHttpUrl: string;
  llmProxy: RunningProcess;
  gateway: RunningProcess;
  /** Everything both processes printed so far. */
  logs: () => string;
  stop: () => Promise<void>;
}

/** Starts a built service as a real process, capturing what it prints. */
export function startProcess(entry: string, env: NodeJS.ProcessEnv): RunningProcess {
  const child = spawn(process.execPath, [`${ROOT}${entry}`], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, NODE_ENV: 'production', LOG_LEVEL: 'debug', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

/**
 * Starts llm-proxy and the gateway as the README runs them, on free ports, with `env` added (no other
 * environment leaks in, so a developer's own provider keys never reach a test). Resolves once the
 * gateway's `/ready` says llm-proxy is serving.
 */
export async function startServices(env: NodeJS.ProcessEnv = {}): Promise<RunningServices> {
  const grpcPort = await freePort();
  const httpPort = await freePort();
  const internalPort = await freePort();
  const shared = {
    LLM_PROXY_GRPC_PORT: String(grpcPort),
    LLM_PROXY_HTTP_PORT: String(internalPort),
    LLM_PROXY_URL: `127.0.0.1:${grpcPort}`,
    PORT: String(httpPort),
    ...env,
  };
  const llmProxy = startProcess('services/llm-proxy/dist/main.js', shared);
  const gateway = startProcess('services/gateway/dist/main.js', shared);
  const gatewayUrl = `http://127.0.0.1:${httpPort}`;
  const logs = () => `${llmProxy.output()}\n${gateway.output()}`;
  const stop = async () => {
    await Promise.all([stopProcess(gateway.child), stopProcess(llmProxy.child)]);
  };
  try {
    await waitUntilReady(gatewayUrl, [llmProxy, gateway]);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n--- service output ---\n${logs()}`);
  }
  return { gatewayUrl, grpcPort, llmProxyHttpUrl: `http://127.0.0.1:${internalPort}`, llmProxy, gateway, logs, stop };
}

async function waitUntilReady(gatewayUrl: string, processes: RunningProcess[]): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const exited = processes.find((running) => running.child.exitCode !== null);
    if (exited) throw new Error(`a service exited with code ${exited.child.exitCode}`);
    try {
      const response = await fetch(`${gatewayUrl}/ready`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('services did not become ready within 20 s');
}

export function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
