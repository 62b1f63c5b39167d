import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const BUILT = fileURLToPath(new URL('../dist/event-loop-lag.js', import.meta.url));

function processState(pid: number): string {
  // /proc/PID/stat: "pid (comm) S ...": the state follows the command's closing parenthesis.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
}

describe('EventLoopLag', () => {
  it('reads a stall as lag from the first timer that runs after it, before the histogram samples it', async () => {
    // The process stops itself (as a saturated machine or SIGSTOP would stall it) with a timer due 1 ms
    // later: after the stall that timer runs first, ahead of the histogram's next 20 ms sample, as the
    // first-token timeout that judges whose fault a late answer was may.
    const script = `
      import { EventLoopLag } from ${JSON.stringify(BUILT)};
      const lag = new EventLoopLag(500);
      setTimeout(() => {
        setTimeout(() => {
          console.log(JSON.stringify({ high: lag.high, lagMs: lag.lagMs }));
          lag.stop();
        }, 1);
        process.kill(process.pid, 'SIGSTOP');
      }, 1_200);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const pid = child.pid as number;
    while (processState(pid) !== 'T') await new Promise((resolve) => setTimeout(resolve, 20));
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    child.kill('SIGCONT');
    await once(child, 'exit');
    const reading = JSON.parse(output) as { high: boolean; lagMs: number };
    expect(reading.high).toBe(true);
    expect(reading.lagMs).toBeGreaterThan(1_000);
  });

  it('reads a quiet loop as low', async () => {
    const script = `
      import { EventLoopLag } from ${JSON.stringify(BUILT)};
      const lag = new EventLoopLag(500);
      setTimeout(() => {
        console.log(JSON.stringify({ high: lag.high, lagMs: lag.lagMs }));
        lag.stop();
      }, 2_500);
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    await once(child, 'exit');
    const reading = JSON.parse(output) as { high: boolean; lagMs: number };
    expect(reading.high).toBe(false);
    expect(reading.lagMs).toBeLessThan(100);
  });
});
