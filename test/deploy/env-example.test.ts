import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { environmentOf, loadComposeFile, repositoryRoot } from './compose-file.js';
import { GATEWAY_KEYS, PROVIDER_KEYS } from './key-placement-policy.js';

/** Variables the operator may set; those the compose files fix themselves need no entry. */
const documented = new Set(
  [...readFileSync(join(repositoryRoot, '.env.example'), 'utf8').matchAll(/^#?\s*([A-Z][A-Z0-9_]*(?:<NAME>[A-Z0-9_]*)?)=/gm)].map(
    (match) => match[1]!,
  ),
);

const interpolated = (path: string) =>
  [...readFileSync(join(repositoryRoot, path), 'utf8').matchAll(/\$\{([A-Z][A-Z0-9_]*)/g)].map((match) => match[1]!);

describe('.env.example', () => {
  it('documents every variable docker-compose.yml passes through or interpolates', () => {
    const compose = loadComposeFile('docker-compose.yml');
    const passedThrough = Object.values(compose.services).flatMap((service) =>
      [...environmentOf(service)].filter(([, value]) => value === undefined).map(([name]) => name),
    );
    const missing = [...passedThrough, ...interpolated('docker-compose.yml')].filter((name) => !documented.has(name));
    expect(missing).toEqual([]);
  });

  it('documents the variables a swarm deploy reads from the shell', () => {
    const missing = [...interpolated('docker-compose.swarm.yml'), ...interpolated('deploy/traefik/docker-compose.traefik.yml')].filter(
      (name) => !documented.has(name),
    );
    expect(missing).toEqual([]);
  });

  it('documents every provider key and gateway key, each base URL and the env-declared endpoints', () => {
    const expected = [
      ...PROVIDER_KEYS,
      ...GATEWAY_KEYS,
      'GEMINI_API_KEY',
      'AZURE_OPENAI_ENDPOINT',
      'AWS_SESSION_TOKEN',
      'AWS_REGION',
      'OLLAMA_HOST',
      'OPENAI_BASE_URL',
      'ANTHROPIC_BASE_URL',
      'GOOGLE_BASE_URL',
      'LLM_PROXY_ENDPOINT_<NAME>_URL',
      'LLM_PROXY_ENDPOINT_<NAME>_KEY',
      'LLM_PROXY_ENDPOINT_<NAME>_MODELS',
      'LLM_PROXY_ENDPOINT_<NAME>_PROVIDER',
      'LLM_PROXY_LOCAL_DISCOVERY',
      'LLM_PROXY_DISCOVERY_PEERS',
      'SHUTDOWN_GRACE_MS',
      'REDIS_URL',
      'NACHOS_CONFIG',
      'LOG_LEVEL',
    ];
    expect(expected.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('sets no value by default, so a copied file configures nothing by accident', () => {
    const active = readFileSync(join(repositoryRoot, '.env.example'), 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z]/.test(line));
    expect(active).toEqual([]);
  });
});
