import { cloneComposeFile, loadComposeFile } from './compose-file.js';
import { composeSpecErrors } from './compose-schema.js';

const FILES = ['docker-compose.yml', 'docker-compose.swarm.yml', 'deploy/traefik/docker-compose.traefik.yml'];

describe('compose files against the compose-spec schema', () => {
  it.each(FILES)('%s is a valid compose file', (path) => {
    expect(composeSpecErrors(loadComposeFile(path))).toEqual([]);
  });

  it('reports every mistake in a broken file', () => {
    const broken = cloneComposeFile(loadComposeFile('docker-compose.yml'));
    (broken.services.gateway as Record<string, unknown>).stop_grace_periodd = '35s';
    broken.networks!['nachos-internal']!.internal = ['yes'];
    const errors = composeSpecErrors(broken);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/services\/gateway: must NOT have additional properties/),
        expect.stringMatching(/^\/networks\/nachos-internal\/internal: /),
      ]),
    );
  });
});
