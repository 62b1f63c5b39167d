import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { logEntries } from '../helpers/log-entries.js';
import { createPluginsFolder, type PluginsFolder } from '../helpers/plugins-folder.js';
import { startServices } from '../helpers/start-services.js';
import { writeConfigFile } from '../helpers/write-config-file.js';

const manifest = (id: string) => JSON.stringify({ name: `nachos-plugin-${id}`, type: 'module', main: 'index.js', nachosPlugin: { id, sdk: '^0.1.0' } });

/** A plugin whose import waits on a promise that never settles (and nothing else keeps Node busy). */
const NEVER_SETTLES = {
  'package.json': manifest('stuck'),
  'index.js': 'await new Promise(() => {});\nexport default undefined;\n',
};

/** A plugin made with defineProviderPlugin but without the configSchema the contract asks for. */
const NO_SCHEMA = {
  'package.json': manifest('schemaless'),
  'index.js': `import { defineProviderPlugin } from '@nachos/plugin-sdk';

export default defineProviderPlugin({
  id: 'schemaless',
  displayName: 'No schema',
  catalogue: [{ id: 'schemaless-model' }],
  createProvider: () => ({ async *chat() {} }),
});
`,
};

/** P1/P2 at start-up: llm-proxy says which plugin is at fault and what is wrong with it, and exits. */
describe('plugins that cannot start', () => {
  let folder: PluginsFolder;

  beforeAll(() => {
    folder = createPluginsFolder();
    folder.linkBuiltIn('mock');
  });

  afterAll(() => folder?.remove());

  const startFailure = (env: NodeJS.ProcessEnv) =>
    startServices({ LLM_PROXY_LOCAL_DISCOVERY: '0', NACHOS_PLUGINS_DIR: folder.path, ...env }).then(
      (started) => started.stop().then(() => new Error('the services started')),
      (error: unknown) => error as Error,
    );

  it('exits naming a plugin whose import never settles', async () => {
    folder.write('stuck', NEVER_SETTLES);
    try {
      const failure = await startFailure({ LLM_PROXY_PLUGIN_START_TIMEOUT_MS: '1000' });
      expect(failure.message).toMatch(/^a service exited with code 1/);
      expect(logEntries(failure.message)).toContainEqual(
        expect.objectContaining({
          level: 'error',
          service: 'llm-proxy',
          message: expect.stringMatching(/^llm-proxy cannot start: plugin "stuck" failed to load: importing .*index\.js did not finish within 1000 ms/),
        }),
      );
    } finally {
      rmSync(join(folder.path, 'stuck'), { recursive: true, force: true });
    }
  });

  it('says a used plugin has no configSchema, instead of a bare TypeError', async () => {
    folder.write('schemaless', NO_SCHEMA);
    const failure = await startFailure({ NACHOS_CONFIG: writeConfigFile('[endpoints.s]\nprovider = "schemaless"\nbase_url = "http://127.0.0.1:9"\n') });
    expect(logEntries(failure.message)).toContainEqual(
      expect.objectContaining({
        level: 'error',
        message: 'llm-proxy cannot start: plugin "schemaless" failed to load: it has no configSchema: defineProviderPlugin() needs one describing the settings an endpoint may give it (a convict schema; {} when it takes none)',
      }),
    );
    expect(failure.message).not.toContain('Cannot convert undefined or null to object');
  });
});
