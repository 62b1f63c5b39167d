import * as grpc from '@grpc/grpc-js';
import { HealthCheckResponse_ServingStatus, HealthClient } from '@nachos/proto';

/**
 * Container health check: asks the standard gRPC health service on this host and exits 0 only when it
 * answers SERVING. Used by the Dockerfile's HEALTHCHECK, which has no gRPC client of its own.
 */
const port = process.env.LLM_PROXY_GRPC_PORT || '50051';
const client = new HealthClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
client.check({ service: '' }, { deadline: Date.now() + 3_000 }, (error, response) => {
  client.close();
  if (error || response?.status !== HealthCheckResponse_ServingStatus.SERVING) {
    process.stderr.write(`unhealthy: ${error ? error.message : 'not serving'}\n`);
    process.exit(1);
  }
  process.exit(0);
});
