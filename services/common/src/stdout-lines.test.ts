import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BUILT = fileURLToPath(new URL('../dist/create-logger.js', import.meta.url));
const STDOUT_LINES = fileURLToPath(new URL('../dist/stdout-lines.js', import.meta.url));

interface Run {
  /** The messages of the JSON lines on stdout, in the order they arrived. */
  messages: string[];
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Runs `body` in a real Node process with a JSON logger (`logger`) and `logLine` in scope, its stdout a
 * pipe or a file, as a service's is under a supervisor or redirected.
 */
function run(body: string, stdout: 'pipe' | 'file'): Run {
  const script = `
    const { createLogger, logLine } = await import(${JSON.stringify(BUILT)});
    const logger = createLogger({ service: 'gateway', env: { NODE_ENV: 'production' } });
    const line = (requestId) => logLine(logger, 'info', 'request', { requestId, status: 200 });
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    ${body}
  `;
  const args = ['--input-type=module', '-e', script];
  let written: string;
  let result: ReturnType<typeof spawnSync>;
  if (stdout === 'pipe') {
    result = spawnSync(process.execPath, args, { encoding: 'utf8' });
    written = String(result.stdout);
  } else {
    const folder = mkdtempSync(join(tmpdir(), 'stdout-lines-'));
    const path = join(folder, 'stdout');
    const fd = openSync(path, 'w');
    try {
      result = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', fd, 'pipe'] });
    } finally {
      closeSync(fd);
    }
    written = readFileSync(path, 'utf8');
    rmSync(folder, { recursive: true });
  }
  const messages = written
    .split('\n')
    .filter((text) => text !== '')
    .map((text) => {
      const entry = JSON.parse(text) as { message: string; requestId?: string };
      return entry.requestId ?? entry.message;
    });
  return { messages, stdout: written, stderr: String(result.stderr), status: result.status };
}

describe.each(['pipe', 'file'] as const)('request lines on stdout as a %s', (stdout) => {
  it("keep their order among winston's own lines, within a turn and across turns", () => {
    const written = run(
      `
      logger.info('listening');
      line('r1');
      line('r2');
      logger.warn('a warning');
      line('r3');
      await nextTurn();
      line('r4');
      logger.error('an error');
      line('r5');
      await nextTurn();
      logger.info('stopped');
      `,
      stdout,
    );
    expect(written.messages).toEqual(['listening', 'r1', 'r2', 'a warning', 'r3', 'r4', 'an error', 'r5', 'stopped']);
    expect(written.status).toBe(0);
  });

  it('are all written when the process exits in the turn they were logged in', () => {
    const written = run(`line('r1'); line('r2'); line('r3'); process.exit(0);`, stdout);
    expect(written.messages).toEqual(['r1', 'r2', 'r3']);
    expect(written.status).toBe(0);
  });

  it('are all written when the process dies of an uncaught exception right after them', () => {
    const written = run(
      `setTimeout(() => {
        line('r1');
        line('r2');
        throw new Error('crashed after two lines');
      });`,
      stdout,
    );
    expect(written.messages).toEqual(['r1', 'r2']);
    expect(written.stderr).toContain('crashed after two lines');
    expect(written.status).toBe(1);
  });

  it('are all written when the process dies of an unhandled rejection right after them', () => {
    const written = run(
      `setTimeout(() => {
        line('r1');
        void Promise.reject(new Error('rejected after a line'));
      });`,
      stdout,
    );
    expect(written.messages).toEqual(['r1']);
    expect(written.stderr).toContain('rejected after a line');
    expect(written.status).toBe(1);
  });

  it('logged in turns that follow one another, leave in one write', () => {
    // Counts the writes to stdout. Lines logged GATHER_MS or more apart may rightly leave apart: a run
    // the machine held up that long between the turns is tried again.
    const written = run(
      `
      const { GATHER_MS } = await import(${JSON.stringify(STDOUT_LINES)});
      const stdout = console._stdout;
      const write = stdout.write.bind(stdout);
      let writes = 0;
      stdout.write = (...args) => ((writes += 1), write(...args));
      for (let attempt = 0; attempt < 10; attempt += 1) {
        const startedAt = performance.now();
        line('r1');
        await nextTurn();
        line('r2');
        await nextTurn();
        line('r3');
        const quick = performance.now() - startedAt < GATHER_MS;
        await new Promise((resolve) => setTimeout(resolve, GATHER_MS * 2));
        if (quick) break;
        writes = 0;
      }
      process.stderr.write(String(writes));
      `,
      stdout,
    );
    expect(written.messages.slice(-3)).toEqual(['r1', 'r2', 'r3']);
    expect(written.stderr).toBe('1');
  });

  it('are written byte for byte as each would be alone, one line each', () => {
    const written = run(`for (let index = 0; index < 100; index += 1) line(\`r\${index}\`);`, stdout);
    expect(written.messages).toEqual(Array.from({ length: 100 }, (_, index) => `r${index}`));
    expect(written.stdout).toMatch(/^(\{"level":"info","message":"request","requestId":"r\d+","service":"gateway","status":200,"timestamp":"[^"]+"\}\n){100}$/);
  });
});
