import { createLogger, loadNachosConfig, logConfigSource, releaseMemoryWhenIdle } from '@nachos/common';
import { startLlmProxy } from './start-llm-proxy.js';

/** Composition root: the only place that reads the environment and the config file. */
const logger = createLogger({ service: 'llm-proxy', env: process.env });

try {
  const config = loadNachosConfig(process.env);
  logConfigSource(config, logger);
  const running = await startLlmProxy(config, process.env, logger);
  releaseMemoryWhenIdle(() => running.live.upstreamCallRunning(), {
    onRelease: (release) => logger.info('memory released when idle', release),
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const graceMs = config.llm_proxy.shutdown_grace_ms;
    logger.info('draining', { signal, graceMs });
    running.health.setNotServing();
    const force = setTimeout(() => {
      logger.warn('grace period over; closing open streams');
      running.server.forceShutdown();
      process.exit(0);
    }, graceMs);
    force.unref();
    // Open chat streams (gRPC) and pass-through streams (HTTP) both get the grace period to finish.
    const httpServers = [running.internalServer, running.passthroughServer].filter((server) => server !== undefined);
    const drained = [
      new Promise<void>((resolve) => running.server.tryShutdown(() => resolve())),
      ...httpServers.map((server) => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        return closed;
      }),
    ];
    void Promise.all(drained).then(async () => {
      await running.replicas.close();
      logger.info('stopped');
      process.exit(0);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  logger.error(`llm-proxy cannot start: ${(error as Error).message}`);
  process.exit(1);
}
