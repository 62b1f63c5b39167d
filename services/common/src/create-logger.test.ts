import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BUILT = fileURLToPath(new URL('../dist/create-logger.js', import.meta.url));

/**
 * What a service process writes to stdout for the entries `calls` makes (statements using `logger`): a real
 * Node process, whose console writes to its own stdout as a service's does. Times are masked.
 */
function written(calls: string, env: Record<string, string> = { NODE_ENV: 'production' }, isTerminal = false): string {
  const script = `
    const { createLogger } = await import(${JSON.stringify(BUILT)});
    const logger = createLogger({ service: 'gateway', env: ${JSON.stringify(env)}, isTerminal: ${isTerminal} });
    ${calls}
  `;
  const stdout = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  return stdout.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z|\d\d:\d\d:\d\d\.\d{3}/g, '<time>');
}

const ACCESS_FIELDS = {
  requestId: 'req-1',
  method: 'POST',
  path: '/v1/chat/completions/sk-proj-abcdefghijklmnopqrstuvwxyz0123456789',
  status: 200,
  clientClosedEarly: false,
  provider: 'openai',
  durationMs: 12,
  error: undefined,
};

describe('createLogger', () => {
  // The lines winston wrote for the same entries, before the logger was written here.
  it.each<[string, Record<string, unknown>, string]>([
    [
      'an access line, with a secret in the path',
      ACCESS_FIELDS,
      '{"clientClosedEarly":false,"durationMs":12,"level":"info","message":"request","method":"POST","path":"/v1/chat/completions/[redacted]","provider":"openai","requestId":"req-1","service":"gateway","status":200,"timestamp":"<time>"}\n',
    ],
    [
      'odd strings and numbers',
      { requestId: 'quote " backslash \\ newline \n tab \t é 🐱 \u2028', status: 0, durationMs: 1.5, zebra: 'z', Alpha: 'A', _under: true, 'x-key': 'Bearer sk-ant-api03-abcdefghijklmnopqrstuvwxyz' },
      '{"Alpha":"A","_under":true,"durationMs":1.5,"level":"info","message":"request","requestId":"quote \\" backslash \\\\ newline \\n tab \\t é 🐱 \u2028","service":"gateway","status":0,"timestamp":"<time>","x-key":"Bearer [redacted]","zebra":"z"}\n',
    ],
    ['no fields at all', {}, '{"level":"info","message":"request","service":"gateway","timestamp":"<time>"}\n'],
  ])('writes %s as one JSON line, keys sorted, secrets scrubbed', (_name, fields, line) => {
    const fieldsSource = `{ ...${JSON.stringify(fields)}${'error' in fields ? ', error: undefined' : ''} }`;
    expect(written(`logger.log('info', 'request', ${fieldsSource});`)).toBe(line);
  });

  it('drops entries below LOG_LEVEL or while silent; DEBUG turns debug on', () => {
    expect(written(`logger.info('no'); logger.warn('yes'); logger.error('yes');`, { NODE_ENV: 'production', LOG_LEVEL: 'warn' }).split('\n')).toHaveLength(3);
    expect(written(`logger.debug('hidden');`)).toBe('');
    expect(written(`logger.debug('shown');`, { NODE_ENV: 'production', DEBUG: '1' })).toContain('"message":"shown"');
    expect(written(`logger.silent = true; logger.error('muted');`)).toBe('');
  });

  it("gives a child's fields to every entry, the entry's own fields winning", () => {
    const line = written(`logger.child({ requestId: 'r1', endpoint: 'child' }).warn('attempt failed', { endpoint: 'own' });`);
    expect(JSON.parse(line)).toEqual({ requestId: 'r1', endpoint: 'own', level: 'warn', message: 'attempt failed', service: 'gateway', timestamp: '<time>' });
  });

  it('writes a value by its toJSON, a circular reference as "[Circular]" and a bigint as a string', () => {
    const line = written(`const loop = { name: 'loop' }; loop.self = loop; logger.info('values', { loop, big: 10n, at: { toJSON: () => 'then' } });`);
    expect(JSON.parse(line)).toMatchObject({ loop: { name: 'loop', self: '[Circular]' }, big: '10', at: 'then' });
  });

  it('writes readable lines in a terminal', () => {
    expect(written(`logger.info('listening', { grpc: '0.0.0.0:50051' });`, {}, true)).toBe('<time> \u001b[32minfo\u001b[39m [gateway] listening grpc=0.0.0.0:50051\n');
  });
});
