import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { parseComposeText, repositoryRoot } from './compose-file.js';

/**
 * `docker stack config` runs the docker CLI's own stack loader (its v3 schema, interpolation and the
 * checks `docker stack deploy` makes before it talks to an engine), and it needs no engine. Without the
 * CLI these tests fail and say so: the stack file would otherwise go unchecked.
 */
const DEPLOY_ENVIRONMENT = { NACHOS_TAG: '1.0.0', NACHOS_DOMAIN: 'llm.example.com', ACME_EMAIL: 'ops@example.com' };

function stackConfig(file: string, environment: Record<string, string>) {
  const result = spawnSync('docker', ['stack', 'config', '-c', file], {
    cwd: repositoryRoot,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), ...environment },
    timeout: 20_000,
  });
  if ((result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
    throw new Error('the docker CLI is not installed, so the swarm stack file cannot be checked: install the docker CLI (no engine is needed)');
  }
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('docker stack config (the stack loader docker stack deploy uses)', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'nachos-stack-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('accepts docker-compose.swarm.yml and keeps what the deployment relies on', () => {
    const result = stackConfig('docker-compose.swarm.yml', DEPLOY_ENVIRONMENT);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const loaded = parseComposeText(result.stdout);
    expect(loaded.services.gateway?.image).toBe('nachos/gateway:1.0.0');
    expect(loaded.services.gateway?.deploy?.labels).toMatchObject({
      'traefik.http.routers.nachos.rule': 'Host(`llm.example.com`) && !PathPrefix(`/metrics`)',
    });
    expect(loaded.services['llm-proxy']?.extra_hosts).toEqual(['host.docker.internal:host-gateway']);
    expect(loaded.services['llm-proxy']?.stop_grace_period).toBe('1m5s');
    expect(loaded.networks?.['nachos-edge']).toMatchObject({ internal: true, driver: 'overlay' });
  });

  it('refuses to deploy without an image tag', () => {
    const result = stackConfig('docker-compose.swarm.yml', { NACHOS_DOMAIN: 'llm.example.com' });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/required variable NACHOS_TAG is missing a value/);
  });

  it('accepts the Traefik stack example', () => {
    const result = stackConfig('deploy/traefik/docker-compose.traefik.yml', DEPLOY_ENVIRONMENT);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('rejects what Compose accepts but a stack deploy does not (so the check above has teeth)', () => {
    const swarm = parse(readFileSync(join(repositoryRoot, 'docker-compose.swarm.yml'), 'utf8')) as {
      services: Record<string, Record<string, unknown>>;
    };
    swarm.services.gateway!.depends_on = { 'llm-proxy': { condition: 'service_healthy' } };
    const file = join(scratch, 'long-depends-on.yml');
    writeFileSync(file, stringify(swarm));
    const result = stackConfig(file, DEPLOY_ENVIRONMENT);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/depends_on must be a list/);
  });
});
