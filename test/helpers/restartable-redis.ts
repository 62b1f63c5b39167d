import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './free-port.js';

const REDIS_SERVER_PATHS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'];

export interface RestartableRedis {
  url: string;
  /** Kills the server outright (SIGKILL), as a crashed Redis would go. */
  kill: () => Promise<void>;
  /** Starts it again on the same port, empty. */
  restart: () => Promise<void>;
  /** Freezes the process (SIGSTOP): connections stay open and nothing answers, as a hung Redis behaves. */
  freeze: () => void;
  /** Lets a frozen server run again (SIGCONT). */
  thaw: () => void;
  stop: () => Promise<void>;
}

/**
 * A `redis-server` this test owns, for outage scenarios that `startTestRedis` cannot stage (a shared
 * `REDIS_URL` or a container must not be killed): killed and restarted on the same port, so clients
 * reconnect to it on their own. `extraArguments` configure it (e.g. `--rename-command SCRIPT ""`).
 */
export async function startRestartableRedis(extraArguments: string[] = []): Promise<RestartableRedis> {
  const binary = REDIS_SERVER_PATHS.find((path) => existsSync(path));
  if (!binary) throw new Error('This test kills and restarts Redis: install redis-server (apt-get install redis-server).');
  const port = await freePort();
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArguments], { stdio: 'ignore' });
    await waitForPort(port, child);
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
  };
  const signal = (name: NodeJS.Signals) => () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(name);
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, kill, restart: start, freeze: signal('SIGSTOP'), thaw: signal('SIGCONT'), stop: kill };
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with code ${child.exitCode}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ port, host: '127.0.0.1' });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not listen on ${port} within 10 s`);
}
