import { freePort } from './free-port.js';
import { startProcess, stopProcess, type RunningProcess, type RunningServices } from './start-services.js';

export interface GatewayReplica {
  url: string;
  process: RunningProcess;
  stop: () => Promise<void>;
}

/**
 * Starts one more gateway process next to running services, against the same llm-proxy, with `env`
 * (which should match what the first gateway got, Redis included). Resolves once its `/ready` answers 200.
 */
export async function startGatewayReplica(services: RunningServices, env: NodeJS.ProcessEnv): Promise<GatewayReplica> {
  const port = await freePort();
  const running = startProcess('services/gateway/dist/main.js', { ...env, LLM_PROXY_URL: `127.0.0.1:${services.grpcPort}`, PORT: String(port) });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (running.child.exitCode !== null) throw new Error(`gateway replica exited with code ${running.child.exitCode}\n${running.output()}`);
    const ready = await fetch(`${url}/ready`).then((response) => response.ok, () => false);
    if (ready) return { url, process: running, stop: () => stopProcess(running.child) };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stopProcess(running.child);
  throw new Error(`gateway replica did not become ready within 20 s\n${running.output()}`);
}
