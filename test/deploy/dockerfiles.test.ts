import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from 'dockerfile-utils';
import { repositoryRoot } from './compose-file.js';
import { checkDockerfile, type DockerfileExpectations } from './dockerfile-policy.js';

const IMAGES: Array<[string, DockerfileExpectations & { environment: string[] }]> = [
  [
    'deploy/gateway.Dockerfile',
    {
      entryPoint: 'services/gateway/dist/main.js',
      healthProbe: '/health',
      workspace: '@nachos/gateway',
      environment: ['NODE_ENV=production', 'HOST=0.0.0.0', 'PORT=8080'],
    },
  ],
  [
    'deploy/llm-proxy.Dockerfile',
    {
      entryPoint: 'services/llm-proxy/dist/main.js',
      healthProbe: 'services/llm-proxy/dist/healthcheck.js',
      workspace: '@nachos/llm-proxy',
      environment: ['NODE_ENV=production', 'LLM_PROXY_HOST=0.0.0.0', 'NACHOS_PLUGINS_DIR=/app/plugins'],
    },
  ],
];

const read = (path: string) => readFileSync(join(repositoryRoot, path), 'utf8');

describe.each(IMAGES)('%s', (path, expectations) => {
  const text = read(path);

  it('passes the Dockerfile linter', () => {
    expect(validate(text).map((diagnostic) => `${diagnostic.range.start.line + 1}: ${diagnostic.message}`)).toEqual([]);
  });

  it('has a linter that would flag a malformed instruction', () => {
    const broken = text.replace(/--interval=10s/, '--interval=10').replace(/^EXPOSE /m, 'EXPSE ');
    expect(validate(broken).length).toBeGreaterThanOrEqual(2);
  });

  it('runs as non-root under tini, starts node directly, checks its health, ships production dependencies only', () => {
    expect(checkDockerfile(text, expectations)).toEqual([]);
  });

  it('configures the service for a container', () => {
    const runtime = text.slice(text.lastIndexOf('\nFROM '));
    for (const setting of expectations.environment) expect(runtime).toMatch(new RegExp(`\\b${setting}\\b`));
  });

  it('starts and probes files the build produces', () => {
    for (const script of [expectations.entryPoint, expectations.healthProbe].filter((file) => file.endsWith('.js'))) {
      expect(existsSync(join(repositoryRoot, script.replace('/dist/', '/src/').replace(/\.js$/, '.ts')))).toBe(true);
    }
  });

  it('catches an image that runs as root, without init, through npm and without a health check', () => {
    const broken = text
      .replace(/^USER node$/m, '')
      .replace(/^ENTRYPOINT .*$/m, '')
      .replace(/^CMD .*$/m, 'CMD ["npm", "start"]')
      .replace(/^HEALTHCHECK [\s\S]*?\n(?=ENTRYPOINT|\n)/m, 'HEALTHCHECK NONE\n');
    expect(checkDockerfile(broken, expectations)).toEqual([
      'runtime stage runs as root (no USER)',
      'runtime stage has no init process (tini) as its ENTRYPOINT',
      `CMD must start node on ${expectations.entryPoint} in exec form, got ["npm", "start"]`,
      'runtime stage has no HEALTHCHECK',
    ]);
  });

  it('catches dependencies taken from the build stage', () => {
    const broken = text.replace(/^COPY --from=prod-deps \/app\/ \.\/$/m, 'COPY --from=build /app/ ./');
    expect(checkDockerfile(broken, expectations)).toEqual([
      'runtime stage does not take its dependencies from the production install stage',
      'runtime stage copies node_modules from a stage other than the production install',
    ]);
  });
});

describe('.dockerignore', () => {
  const patterns = read('.dockerignore')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));

  it('keeps local dependencies, build output, history and local secrets out of the build context', () => {
    expect(patterns).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git', '.env', '.env.*', 'llm-proxy.env']));
    expect(patterns).toContain('!.env.example');
  });
});
