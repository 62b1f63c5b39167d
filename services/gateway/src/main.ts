import { createServer } from 'node:http';
import { createLogger, loadNachosConfig, logConfigSource, ReplicaDirectory, releaseMemoryWhenIdle } from '@nachos/common';
import { adminConsole } from './console/admin-console.js';
import { readConsoleFacts } from './console/console-facts.js';
import { createApp } from './create-app.js';
import { HTTP_STATUS } from './errors/http-status.js';
import { errorHandler } from './middleware/error-handler.js';
import { endOpenStreams, endStreamsOpenedBefore, openStreamCount } from './protocols/open-streams.js';
import { BodyDeadline } from './hygiene/body-deadline.js';
import { capConnectionsPerAddress } from './hygiene/cap-connections-per-address.js';
import { answerLateBody } from './hygiene/late-body-answer.js';
import { readTrustedProxies } from './hygiene/trusted-proxies.js';
import { LlmProxyClient } from './llm-proxy/llm-proxy-client.js';
import { RegistryClient } from './llm-proxy/registry-client.js';
import { resolvePassthroughUrl } from './passthrough/resolve-passthrough-url.js';
import { createGatewayPolicy } from './policy/create-gateway-policy.js';
import { createResponsesStore } from './responses-store/create-responses-store.js';
import { withExpressHelpers } from './routes/chat-dispatch.js';
import { protocolPrefixes } from './routes/protocol-prefixes.js';

/** After the grace period, how long streams' closing error events get to reach their clients. */
const STREAM_END_FLUSH_MS = 500;

/** Composition root: the only place that reads the environment and the config file. */
const logger = createLogger({ service: 'gateway', env: process.env });

try {
  const config = loadNachosConfig(process.env);
  logConfigSource(config, logger);
  const settings = config.gateway;
  const trustedProxies = readTrustedProxies(settings.trust_proxy);
  const policy = await createGatewayPolicy(config, process.env, logger);
  const client = new LlmProxyClient(settings.llm_proxy_url, { streamStallMs: settings.stream_stall_timeout_ms });
  const registry = new RegistryClient(settings.llm_proxy_url);
  const responsesStore = await createResponsesStore(settings, config.redis);
  logger.info(config.redis.url ? 'stored responses kept in Redis' : 'no REDIS_URL: stored responses kept in this process');
  let draining = false;
  const replicas = await ReplicaDirectory.start({
    redisUrl: config.redis.url,
    key: `${config.redis.key_prefix}gateway:replicas`,
    port: settings.port,
    status: () => (draining ? 'draining' : policy.lag.high ? 'lagging' : 'serving'),
  });
  const app = createApp({
    client,
    logger,
    bodyLimit: settings.body_limit,
    maxOpenRequests: settings.max_open_requests,
    isDraining: () => draining,
    policy,
    trustProxy: settings.trust_proxy,
    registry,
    adminConsole: adminConsole({
      client,
      registry,
      adminKey: policy.adminKey,
      adminGuard: policy.adminGuard,
      logger,
      readiness: policy.readiness,
      isDraining: () => draining,
      history: policy.usage.history,
      facts: readConsoleFacts(config),
      replicas,
      keys: policy.keys,
      perKey: policy.perKeyLimits,
      keyUse: policy.keyUse,
    }),
    passthrough: { target: resolvePassthroughUrl(config), keyHeaders: [...config.auth.header_names, config.auth.provider_key_header] },
    responsesStore,
    maxChoices: settings.max_choices,
    prefixes: protocolPrefixes(settings.protocols),
    defaultModel: config.llm.model,
  });
  // Slow clients may not hold a socket open while trickling headers or a body: headers must be in within
  // their time, and a body within its own from the moment the headers are (else 408 and the connection
  // closes); GATEWAY_REQUEST_TIMEOUT_MS caps receiving a request too. Node checks the headers timeout every
  // `connectionsCheckingInterval`, so that runs often enough for it to mean what it says.
  const bodyDeadline = new BodyDeadline(settings.body_timeout_ms, answerLateBody(errorHandler(logger), settings.body_timeout_ms));
  const server = createServer(
    {
      headersTimeout: settings.headers_timeout_ms,
      requestTimeout: settings.request_timeout_ms,
      connectionsCheckingInterval: Math.max(250, Math.min(5_000, Math.floor(settings.headers_timeout_ms / 2))),
      keepAliveTimeout: 65_000,
      ...withExpressHelpers(app),
    },
    (request, response) => {
      bodyDeadline.track(request);
      // What a request blocks (a huge body's parse) must show as lag even when it arrives at an idle gateway.
      policy.lag.noteWork();
      app(request, response);
    },
  );
  capConnectionsPerAddress(server, settings.max_connections_per_address, trustedProxies);
  // GATEWAY_REQUEST_TIMEOUT_MS bounds the whole exchange: a stream still open after it ends with its
  // protocol's timeout error. One sweep a second, no timer per stream.
  if (settings.request_timeout_ms > 0) {
    const tooLong = { kind: 'timeout', status: HTTP_STATUS.timeout, message: `The request took longer than the gateway allows (${settings.request_timeout_ms} ms).` } as const;
    setInterval(() => endStreamsOpenedBefore(Date.now() - settings.request_timeout_ms, tooLong), 1_000).unref();
  }
  server.listen(settings.port, settings.host, () => {
    logger.info('gateway listening', { address: `http://${settings.host}:${settings.port}`, llmProxy: settings.llm_proxy_url });
  });
  server.on('error', (error) => {
    logger.error(`gateway cannot listen: ${error.message}`);
    process.exit(1);
  });
  releaseMemoryWhenIdle(() => openStreamCount() > 0, { onRelease: (release) => logger.info('memory released when idle', release) });
  const stop = (signal: string) => {
    if (draining) return;
    draining = true;
    void replicas.beat();
    logger.info('draining', { signal, graceMs: settings.shutdown_grace_ms });
    server.close(() => {
      client.close();
      registry.close();
      responsesStore.close();
      void replicas.close();
      // Usage still queued for webhooks gets what is left of the grace period.
      void policy.close(Math.min(5_000, settings.shutdown_grace_ms)).finally(() => {
        logger.info('stopped');
        process.exit(0);
      });
    });
    // Keep-alive connections that finish their last response while draining are closed as they go idle.
    server.closeIdleConnections();
    setInterval(() => server.closeIdleConnections(), 100).unref();
    setTimeout(() => {
      // Streams still open get their protocol's error event first; the socket closes once it is out.
      const ended = endOpenStreams({ kind: 'unavailable', status: HTTP_STATUS.unavailable, message: 'The gateway is shutting down; retry the request.' });
      logger.warn('grace period over; closing open streams', { ended });
      setTimeout(() => {
        server.closeAllConnections();
        process.exit(0);
      }, STREAM_END_FLUSH_MS).unref();
    }, settings.shutdown_grace_ms).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
} catch (error) {
  logger.error(`gateway cannot start: ${(error as Error).message}`);
  process.exit(1);
}
