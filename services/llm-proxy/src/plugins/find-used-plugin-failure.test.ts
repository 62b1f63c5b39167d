import { findUsedPluginFailure } from './find-used-plugin-failure.js';
import { PluginLoadError } from './plugin-load-error.js';

const missing = (provider: string) => new Error(`endpoints.x.provider names provider "${provider}", but no such plugin is loaded (loaded: mock)`);

describe('findUsedPluginFailure', () => {
  const failures = [
    new PluginLoadError('broken', 'its default export is not made by defineProviderPlugin()', { declaredId: 'broken' }),
    new PluginLoadError('echo-provider', 'id "echo" must match /^[a-z][a-z0-9-]*$/ and equal the folder name', { declaredId: 'echo' }),
    new PluginLoadError('no-manifest-id', 'package.json "nachosPlugin" needs string fields "id" and "sdk"'),
  ];

  it('finds the failure of the plugin the configuration names, by folder or by declared id', () => {
    expect(findUsedPluginFailure(missing('broken'), failures)?.folder).toBe('broken');
    expect(findUsedPluginFailure(missing('echo'), failures)?.message).toBe(
      'plugin "echo-provider" failed to load: id "echo" must match /^[a-z][a-z0-9-]*$/ and equal the folder name',
    );
  });

  it('finds nothing for a provider no failed plugin answers to, nor for a mere prefix', () => {
    expect(findUsedPluginFailure(missing('acme'), failures)).toBeUndefined();
    expect(findUsedPluginFailure(missing('ech'), failures)).toBeUndefined();
  });
});
