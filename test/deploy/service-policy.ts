import { type ComposeFile, durationMs, environmentOf } from './compose-file.js';

/** The services' own default for SHUTDOWN_GRACE_MS, used where a file leaves it to the environment. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;
export const NACHOS_SERVICES = ['gateway', 'llm-proxy'] as const;

/**
 * What every deployment needs whatever the orchestrator: a health check on each service, a stop grace
 * period longer than the services' own drain (or the engine kills streams the service meant to finish),
 * and Redis persisting its append-only file to a volume.
 */
export function checkServiceLifecycle(file: ComposeFile): string[] {
  const violations: string[] = [];
  for (const [serviceName, service] of Object.entries(file.services)) {
    const test = service.healthcheck?.test;
    if (!test || (Array.isArray(test) && test[0] === 'NONE')) violations.push(`${serviceName} has no health check`);
  }
  for (const serviceName of NACHOS_SERVICES) {
    const service = file.services[serviceName];
    if (!service) {
      violations.push(`${serviceName} is missing`);
      continue;
    }
    const configured = environmentOf(service).get('SHUTDOWN_GRACE_MS');
    const drainMs = configured === undefined ? DEFAULT_SHUTDOWN_GRACE_MS : Number(configured);
    const graceMs = durationMs(service.stop_grace_period ?? '10s');
    if (!(graceMs > drainMs)) {
      violations.push(`${serviceName}: stop_grace_period ${service.stop_grace_period ?? '10s (default)'} does not exceed its ${drainMs} ms drain`);
    }
  }
  const redis = file.services.redis;
  if (!redis) return [...violations, 'redis is missing'];
  const command = Array.isArray(redis.command) ? redis.command.join(' ') : (redis.command ?? '');
  if (!/--appendonly yes\b/.test(command)) violations.push('redis does not enable the append-only file (--appendonly yes)');
  const dataVolume = (redis.volumes ?? []).find((volume) =>
    typeof volume === 'string' ? volume.split(':')[1] === '/data' : volume.target === '/data',
  );
  const volumeName = typeof dataVolume === 'string' ? dataVolume.split(':')[0] : dataVolume?.source;
  if (!volumeName || !(volumeName in (file.volumes ?? {}))) violations.push('redis /data is not on a named volume');
  return violations;
}
