import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { LineFields } from './create-logger.js';

const BUILT = fileURLToPath(new URL('../dist/create-logger.js', import.meta.url));

/**
 * What a service process writes to stdout for one entry, by winston (`logger.log`) or by `logLine`: a real
 * Node process, whose console writes to its own stdout as a service's does. Times are masked, since the
 * two entries are made a moment apart.
 */
function written(how: 'winston' | 'logLine', fields: LineFields | LineFields[], env: Record<string, string> = {}, isTerminal = false): string {
  const script = `
    const { createLogger, logLine } = await import(${JSON.stringify(BUILT)});
    const logger = createLogger({ service: 'gateway', env: ${JSON.stringify(env)}, isTerminal: ${isTerminal} });
    if (${JSON.stringify(env.SILENT ?? '')}) logger.silent = true;
    for (const fields of [${JSON.stringify(fields)}].flat()) {
      if (${JSON.stringify(how)} === 'winston') logger.log('info', 'request', { ...fields });
      else logLine(logger, 'info', 'request', fields);
    }
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return stdout.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z|\d\d:\d\d:\d\d\.\d{3}/g, '<time>');
}

const ACCESS_FIELDS: LineFields = {
  requestId: 'req-1',
  method: 'POST',
  path: '/v1/chat/completions/sk-proj-abcdefghijklmnopqrstuvwxyz0123456789',
  status: 200,
  clientClosedEarly: false,
  provider: 'openai',
  durationMs: 12,
};

describe('logLine', () => {
  it.each<[string, LineFields]>([
    ['an access line, with a secret in the path', ACCESS_FIELDS],
    ['odd strings and numbers', { requestId: 'quote " backslash \\ newline \n tab \t é 🐱 \u2028', status: 0, durationMs: 1.5, zebra: 'z', Alpha: 'A', _under: true, 'x-key': 'Bearer sk-ant-api03-abcdefghijklmnopqrstuvwxyz' }],
    ['numbers JSON writes its own way, and a lone surrogate', { negativeZero: -0, notANumber: Number.NaN, infinite: -Infinity, large: 1e21, small: 1e-7, lone: 'a\ud800b' }],
    ['no fields at all', {}],
    ['fields named as the keys the entry adds, and an undefined one', { service: 'other', level: 'warn', error: undefined, status: 500 }],
  ])('writes %s byte for byte as the winston logger does', (_name, fields) => {
    const byWinston = written('winston', fields);
    expect(byWinston).toMatch(/^\{.*"message":"request".*\}\n$/s);
    expect(written('logLine', fields)).toBe(byWinston);
    expect(byWinston).not.toContain('abcdefghijklmnopqrstuvwxyz');
  });

  it('writes entries of the same field names with other values, in another order, as many other names or one more, as winston does', () => {
    const entries: LineFields[] = [
      ACCESS_FIELDS,
      { ...ACCESS_FIELDS, requestId: 'req-2', path: '/v1/models', status: 404, durationMs: 3 },
      { durationMs: 5, status: 201, path: '/v1/embeddings', method: 'GET', requestId: 'req-3', clientClosedEarly: true, provider: 'openai' },
      { durationMs: 5, status: 201, path: '/v1/embeddings', method: 'GET', requestId: 'req-3', clientClosedEarly: true, model: 'sk-proj-abcdefghijklmnopqrstuvwxyz' },
      { ...ACCESS_FIELDS, requestId: 'req-4', error: 'upstream said Bearer abcdefghijklmnop' },
      { ...ACCESS_FIELDS, requestId: undefined, provider: undefined },
    ];
    const byWinston = written('winston', entries);
    expect(byWinston.split('\n')).toHaveLength(entries.length + 1);
    expect(written('logLine', entries)).toBe(byWinston);
  });

  it('writes nothing below the level or when silenced', () => {
    expect(written('logLine', ACCESS_FIELDS, { LOG_LEVEL: 'warn' })).toBe('');
    expect(written('logLine', ACCESS_FIELDS, { SILENT: '1' })).toBe('');
  });

  it.each(['warn', 'debug', 'no-such-level'])('writes the levels a logger made at LOG_LEVEL=%s writes, as winston does, and says when it does not know the level', (logLevel) => {
    const script = `
      const { createLogger, logLine } = await import(${JSON.stringify(BUILT)});
      const logger = createLogger({ service: 'gateway', env: { LOG_LEVEL: ${JSON.stringify(logLevel)} }, isTerminal: false });
      for (const level of ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly', 'unknown', 'constructor']) {
        logLine(logger, level, level + ' by logLine', {});
        logger.log(level, level + ' by winston');
      }
    `;
    const messages = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { message: string }).message);
    const byLogLine = messages.filter((message) => message.endsWith(' by logLine')).map((message) => message.split(' ')[0]);
    const byWinston = messages.filter((message) => message.endsWith(' by winston')).map((message) => message.split(' ')[0]);
    expect(byWinston).toEqual({ warn: ['error', 'warn'], debug: ['error', 'warn', 'info', 'http', 'verbose', 'debug'], 'no-such-level': ['error', 'warn', 'info'] }[logLevel]);
    expect(byLogLine).toEqual(byWinston);
    const warnings = messages.filter((message) => message.startsWith('LOG_LEVEL'));
    expect(warnings).toEqual(logLevel === 'no-such-level' ? ["LOG_LEVEL 'no-such-level' is not a level (error, warn, info, http, verbose, debug, silly); logging at info"] : []);
  });

  it('leaves a terminal logger its readable lines', () => {
    const byWinston = written('winston', ACCESS_FIELDS, {}, true);
    expect(byWinston).toContain('[gateway] request');
    expect(written('logLine', ACCESS_FIELDS, {}, true)).toBe(byWinston);
  });
});
