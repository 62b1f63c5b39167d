import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { freePort } from './free-port.js';

export interface TestRedis {
  url: string;
  /** Where it came from, for the test log: `REDIS_URL`, `testcontainers` or `redis-server`. */
  source: 'REDIS_URL' | 'testcontainers' | 'redis-server';
  stop: () => Promise<void>;
}

const REDIS_SERVER_PATHS = ['/usr/bin/redis-server', '/usr/local/bin/redis-server', '/usr/sbin/redis-server'];

/**
 * A real Redis for tests, in the order the design fixes: `REDIS_URL` when set; else a container through
 * testcontainers when a Docker engine answers; else a `redis-server` binary started on a free port with
 * nothing persisted; else a loud failure saying how to get one. Never a mock.
 */
export async function startTestRedis(): Promise<TestRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'REDIS_URL', stop: async () => {} };
  const container = await startContainerIfEngine();
  if (container) return container;
  const binary = REDIS_SERVER_PATHS.find((path) => existsSync(path));
  if (binary) return startRedisServer(binary);
  throw new Error(
    'These tests need a real Redis: set REDIS_URL, run a Docker engine (testcontainers), or install redis-server (apt-get install redis-server).',
  );
}

async function startContainerIfEngine(): Promise<TestRedis | undefined> {
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    return undefined;
  }
  const { GenericContainer } = await import('testcontainers');
  const container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
  return {
    url: `redis://${container.getHost()}:${container.getMappedPort(6379)}`,
    source: 'testcontainers',
    stop: async () => {
      await container.stop();
    },
  };
}

/**
 * A `redis-server` of its own on `port` (a free one by default), for tests that must stop and restart
 * Redis under running services. Fails loudly when the binary is missing.
 */
export async function startRedisServerProcess(port?: number): Promise<TestRedis> {
  const binary = REDIS_SERVER_PATHS.find((path) => existsSync(path));
  if (!binary) throw new Error('This test stops and restarts Redis and needs a redis-server binary (apt-get install redis-server).');
  return startRedisServer(binary, port);
}

async function startRedisServer(binary: string, fixedPort?: number): Promise<TestRedis> {
  const port = fixedPort ?? (await freePort());
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  await waitForPort(port, child);
  return {
    url: `redis://127.0.0.1:${port}`,
    source: 'redis-server',
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
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
