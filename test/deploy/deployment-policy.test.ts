import { cloneComposeFile, loadComposeFile } from './compose-file.js';
import { checkComposeSpecifics } from './compose-policy.js';
import { checkServiceLifecycle } from './service-policy.js';
import { checkSwarmDeploy, checkTraefikLabels } from './swarm-policy.js';

const compose = loadComposeFile('docker-compose.yml');
const swarm = loadComposeFile('docker-compose.swarm.yml');
const traefik = loadComposeFile('deploy/traefik/docker-compose.traefik.yml');

describe('service lifecycle: health checks, drain before kill, persistent Redis', () => {
  it.each([
    ['docker-compose.yml', compose],
    ['docker-compose.swarm.yml', swarm],
  ])('holds in %s', (_name, file) => {
    expect(checkServiceLifecycle(file)).toEqual([]);
  });

  it('catches a stop grace period that would cut streams, a missing health check and a Redis without AOF', () => {
    const broken = cloneComposeFile(swarm);
    broken.services.gateway!.stop_grace_period = '30s';
    delete broken.services['llm-proxy']!.healthcheck;
    broken.services.redis!.command = ['redis-server'];
    expect(checkServiceLifecycle(broken)).toEqual([
      'llm-proxy has no health check',
      'gateway: stop_grace_period 30s does not exceed its 55000 ms drain',
      'redis does not enable the append-only file (--appendonly yes)',
    ]);
  });
});

describe('docker-compose.yml: start order, host model servers, published port', () => {
  it('holds', () => {
    expect(checkComposeSpecifics(compose)).toEqual([]);
  });

  it('catches a start order that only waits for containers to start', () => {
    const broken = cloneComposeFile(compose);
    broken.services.gateway!.depends_on = ['redis', 'llm-proxy'];
    delete broken.services['llm-proxy']!.extra_hosts;
    expect(checkComposeSpecifics(broken)).toEqual([
      'gateway does not wait for redis to be healthy',
      'gateway does not wait for llm-proxy to be healthy',
      'llm-proxy cannot resolve host.docker.internal (extra_hosts host-gateway)',
    ]);
  });
});

describe('docker-compose.swarm.yml: rolling updates and Traefik', () => {
  it('updates start-first with rollback, restarts, limits resources', () => {
    expect(checkSwarmDeploy(swarm)).toEqual([]);
  });

  it('routes the gateway alone through Traefik, over an internal network, with nothing buffering streams', () => {
    expect(checkTraefikLabels(swarm)).toEqual([]);
  });

  it('catches a stop-first update, a numeric cpus limit and a monitor window too short to see a failure', () => {
    const broken = cloneComposeFile(swarm);
    const deploy = broken.services['llm-proxy']!.deploy!;
    deploy.update_config = { ...deploy.update_config, order: 'stop-first', monitor: '10s' };
    deploy.resources = { limits: { cpus: 2, memory: '768M' } };
    expect(checkSwarmDeploy(broken)).toEqual([
      'llm-proxy does not update start-first',
      'llm-proxy needs resource limits (cpus as a string, memory)',
      'llm-proxy: update monitor 10s is shorter than the 50000 ms a failing task needs to show',
    ]);
  });

  it('catches Traefik labels in the wrong place, a compress middleware and a missing server port', () => {
    const broken = cloneComposeFile(swarm);
    broken.services['llm-proxy']!.deploy!.labels = ['traefik.enable=true'];
    broken.services.redis!.labels = ['traefik.enable=true'];
    const labels = (broken.services.gateway!.deploy!.labels as string[]).filter((label) => !label.includes('server.port'));
    labels.push('traefik.http.middlewares.gzip.compress=true', 'traefik.http.routers.nachos.middlewares=gzip');
    broken.services.gateway!.deploy!.labels = labels;
    expect(checkTraefikLabels(broken)).toEqual([
      'redis has Traefik labels on the container, which swarm ignores',
      'llm-proxy carries Traefik labels; only the gateway is public',
      'gateway: loadbalancer.server.port must be 8080 (swarm has no port detection)',
      'gateway: traefik.http.routers.nachos.middlewares puts compression or buffering in front of streams',
    ]);
  });
});

describe('deploy/traefik/docker-compose.traefik.yml', () => {
  const service = traefik.services.traefik!;
  const command = service.command as string[];

  it('uses the v3 swarm provider and lets streams run past the 60 s v3 read timeout', () => {
    expect(service.image).toMatch(/^traefik:v3/);
    expect(command).toContain('--providers.swarm.endpoint=unix:///var/run/docker.sock');
    expect(command).toContain('--providers.swarm.exposedByDefault=false');
    expect(command.some((argument) => argument.includes('swarmMode'))).toBe(false);
    expect(command).toContain('--entrypoints.websecure.transport.respondingTimeouts.readTimeout=0');
  });

  it('reaches the gateway over the nachos stack’s internal edge network and has a way out of its own', () => {
    expect(traefik.networks?.['nachos-edge']).toEqual({ external: true });
    expect(swarm.networks?.['nachos-edge']).toMatchObject({ name: 'nachos-edge', internal: true, driver: 'overlay' });
    expect(command).toContain('--providers.swarm.network=nachos-edge');
    expect(traefik.networks?.['traefik-public']?.internal).toBeUndefined();
  });
});
