import type { ComposeFile, ComposeService } from './compose-file.js';
import { EGRESS_SERVICE, PUBLIC_SERVICE } from './topology-policy.js';

/** Start order: each service waits for what it needs to be healthy, not merely started. */
const START_ORDER: Record<string, string[]> = { [EGRESS_SERVICE]: ['redis'], [PUBLIC_SERVICE]: ['redis', EGRESS_SERVICE] };

/**
 * docker-compose.yml specifics: health-gated start order, the host's model servers reachable from
 * llm-proxy as host.docker.internal, and the gateway's port published.
 */
export function checkComposeSpecifics(file: ComposeFile): string[] {
  const violations: string[] = [];
  for (const [serviceName, dependencies] of Object.entries(START_ORDER)) {
    const dependsOn = file.services[serviceName]?.depends_on;
    for (const dependency of dependencies) {
      const condition = Array.isArray(dependsOn) ? undefined : dependsOn?.[dependency]?.condition;
      if (condition !== 'service_healthy') violations.push(`${serviceName} does not wait for ${dependency} to be healthy`);
    }
  }
  if (!hostsOf(file.services[EGRESS_SERVICE]).includes('host.docker.internal:host-gateway')) {
    violations.push(`${EGRESS_SERVICE} cannot resolve host.docker.internal (extra_hosts host-gateway)`);
  }
  const published = (file.services[PUBLIC_SERVICE]?.ports ?? []).some((port) =>
    typeof port === 'string' ? port.endsWith(':8080') : (port as { target?: number }).target === 8080,
  );
  if (!published) violations.push(`${PUBLIC_SERVICE} does not publish its port 8080`);
  return violations;
}

function hostsOf(service: ComposeService | undefined): string[] {
  const hosts = service?.extra_hosts ?? [];
  return Array.isArray(hosts) ? hosts : Object.entries(hosts).map(([host, address]) => `${host}:${address}`);
}
