import type { Logger } from '@nachos/common';
import { createPluginLogger } from './create-plugin-logger.js';

/** A logger at `info` that records what its child is asked to write. */
function recordingLogger() {
  const written: unknown[][] = [];
  const children: unknown[] = [];
  const levels = ['error', 'warn', 'info', 'debug'];
  const child = {
    isLevelEnabled: (level: string) => levels.indexOf(level) <= levels.indexOf('info'),
    ...Object.fromEntries(levels.map((level) => [level, (...entry: unknown[]) => written.push([level, ...entry])])),
  };
  const logger = {
    child: (meta: unknown) => {
      children.push(meta);
      return child;
    },
  } as unknown as Logger;
  return { logger, written, children };
}

describe('createPluginLogger', () => {
  it('names the plugin and endpoint in every line', () => {
    const { logger, children } = recordingLogger();
    createPluginLogger(logger, 'openai', 'openai-eu');
    expect(children).toEqual([{ plugin: 'openai', endpoint: 'openai-eu' }]);
  });

  it('passes lines at or above the level on as they were given', () => {
    const { logger, written } = recordingLogger();
    const plugin = createPluginLogger(logger, 'openai', 'openai-eu');
    plugin.info('listing models');
    plugin.warn('model listing failed', { error: 'refused' });
    plugin.error('broken', { status: 500 });
    expect(written).toEqual([
      ['info', 'listing models'],
      ['warn', 'model listing failed', { error: 'refused' }],
      ['error', 'broken', { status: 500 }],
    ]);
  });

  it('drops a line below the level before the logger sees it', () => {
    const { logger, written } = recordingLogger();
    createPluginLogger(logger, 'openai', 'openai-eu').debug('chat request upstream', { model: 'gpt-4o' });
    expect(written).toEqual([]);
  });
});
