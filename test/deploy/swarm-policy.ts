import { type ComposeFile, durationMs, labelMap, networksOf } from './compose-file.js';
import { NACHOS_SERVICES } from './service-policy.js';
import { PUBLIC_SERVICE } from './topology-policy.js';

/**
 * Rolling updates that never drop capacity and undo themselves: start-first with rollback, a monitor
 * window long enough for a new task's health check to fail (start_period + interval × retries), a restart
 * policy and resource limits (`cpus` as a string: the stack loader rejects a number).
 */
export function checkSwarmDeploy(file: ComposeFile): string[] {
  const violations: string[] = [];
  for (const serviceName of NACHOS_SERVICES) {
    const service = file.services[serviceName];
    const deploy = service?.deploy;
    if (!service || !deploy) {
      violations.push(`${serviceName} has no deploy section`);
      continue;
    }
    if ((deploy.replicas ?? 1) < 2) violations.push(`${serviceName} runs fewer than 2 replicas`);
    if (deploy.update_config?.order !== 'start-first') violations.push(`${serviceName} does not update start-first`);
    if (deploy.update_config?.failure_action !== 'rollback') violations.push(`${serviceName} does not roll back a failed update`);
    if (!deploy.rollback_config) violations.push(`${serviceName} has no rollback_config`);
    if (!deploy.restart_policy?.condition) violations.push(`${serviceName} has no restart policy`);
    const limits = deploy.resources?.limits;
    if (typeof limits?.cpus !== 'string' || !limits.memory) violations.push(`${serviceName} needs resource limits (cpus as a string, memory)`);
    const healthcheck = service.healthcheck ?? {};
    const needed =
      durationMs(healthcheck.start_period) + durationMs(healthcheck.interval ?? '30s') * (healthcheck.retries ?? 3);
    if (durationMs(deploy.update_config?.monitor) < needed) {
      violations.push(`${serviceName}: update monitor ${deploy.update_config?.monitor ?? '5s (default)'} is shorter than the ${needed} ms a failing task needs to show`);
    }
  }
  return violations;
}

/**
 * Traefik reads service labels (deploy.labels) in swarm and nothing else. The gateway alone is routed; the
 * network Traefik uses to reach it must be one the gateway joins and must be internal (a routed one would
 * give the gateway egress); streams must not meet a buffering or compress middleware.
 */
export function checkTraefikLabels(file: ComposeFile): string[] {
  const violations: string[] = [];
  for (const [serviceName, service] of Object.entries(file.services)) {
    const containerLabels = [...labelMap(service.labels).keys()].filter((name) => name.startsWith('traefik.'));
    if (containerLabels.length > 0) violations.push(`${serviceName} has Traefik labels on the container, which swarm ignores`);
    const serviceLabels = [...labelMap(service.deploy?.labels).keys()].filter((name) => name.startsWith('traefik.'));
    if (serviceName !== PUBLIC_SERVICE && serviceLabels.length > 0) violations.push(`${serviceName} carries Traefik labels; only the gateway is public`);
  }
  const gateway = file.services[PUBLIC_SERVICE];
  const labels = labelMap(gateway?.deploy?.labels);
  const find = (pattern: RegExp) => [...labels].find(([name]) => pattern.test(name));

  if (labels.get('traefik.enable') !== 'true') violations.push('gateway: traefik.enable is not true');
  if (!/Host\(`[^`]+`\)/.test(find(/^traefik\.http\.routers\.[^.]+\.rule$/)?.[1] ?? '')) violations.push('gateway: no router rule with Host(`…`)');
  if (!find(/^traefik\.http\.routers\.[^.]+\.entrypoints$/)?.[1]) violations.push('gateway: no router entrypoints');
  if (!find(/^traefik\.http\.routers\.[^.]+\.tls\.certresolver$/)?.[1]) violations.push('gateway: no TLS certificate resolver');
  if (find(/^traefik\.http\.services\.[^.]+\.loadbalancer\.server\.port$/)?.[1] !== '8080') {
    violations.push('gateway: loadbalancer.server.port must be 8080 (swarm has no port detection)');
  }
  const network = labels.get('traefik.swarm.network');
  if (!network) violations.push('gateway: traefik.swarm.network is not set');
  else if (!networksOf(gateway ?? {}).includes(network)) violations.push(`gateway: traefik.swarm.network ${network} is not one of its networks`);
  else if (file.networks?.[network]?.internal !== true) violations.push(`gateway: Traefik network ${network} is not internal, so the gateway would gain egress`);
  const streamBreakers = new Set<string>();
  for (const name of labels.keys()) {
    const defined = name.match(/^traefik\.http\.middlewares\.([^.]+)\.(compress|buffering)\b/);
    if (defined) streamBreakers.add(defined[1]!);
  }
  for (const [name, value] of labels) {
    if (!/^traefik\.http\.routers\.[^.]+\.middlewares$/.test(name)) continue;
    const used = value.split(',').map((middleware) => middleware.trim().replace(/@.*$/, ''));
    if (used.some((middleware) => streamBreakers.has(middleware) || /compress|buffer/i.test(middleware))) {
      violations.push(`gateway: ${name} puts compression or buffering in front of streams`);
    }
  }
  return violations;
}
