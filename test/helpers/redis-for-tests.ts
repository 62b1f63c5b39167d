import { existsSync } from 'node:fs';
import { startRestartableRedis } from './restartable-redis.js';

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
  if (REDIS_SERVER_PATHS.some((path) => existsSync(path))) {
    const server = await startRestartableRedis();
    return { url: server.url, source: 'redis-server', stop: server.stop };
  }
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
