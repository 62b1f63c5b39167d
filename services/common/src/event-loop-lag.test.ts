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

/** How often the process's main thread has gone to sleep and been woken again (Linux counts it). */
function mainThreadWakeUps(pid: number): number {
  const status = readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  return Number(/^voluntary_ctxt_switches:\s+(\d+)$/m.exec(status)?.[1]);
}

async function runScript(script: string): Promise<string> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  await once(child, 'exit');
  return output;
}

describe('EventLoopLag', () => {
  it('reads a stall as lag from the first timer that runs after it, before any sample has taken it', async () => {
    // The process stops itself (as a saturated machine or SIGSTOP would stall it) with a timer due 1 ms
    // later: after the stall that timer runs first, ahead of the monitor's own timers, as the first-token
    // timeout that judges whose fault a late answer was may.
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
    const reading = JSON.parse(await runScript(script)) as { high: boolean; lagMs: number };
    expect(reading.high).toBe(false);
    expect(reading.lagMs).toBeLessThan(100);
  });

  it('lets an idle process sleep: about one wake-up a second, not one per sample', async () => {
    // Nothing else runs in the child; each 20 ms sample would be a wake-up of its own (fifty a second).
    const script = `
      import { EventLoopLag } from ${JSON.stringify(BUILT)};
      const lag = new EventLoopLag(500);
      process.stdin.resume();
      process.stdin.on('end', () => lag.stop());
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'inherit', 'inherit'] });
    const pid = child.pid as number;
    // The first windows hold start-up's work; the loop is quiet after them.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const before = mainThreadWakeUps(pid);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const wakeUps = mainThreadWakeUps(pid) - before;
    child.stdin?.end();
    await once(child, 'exit');
    expect(wakeUps).toBeLessThan(15);
  });

  it('samples a working loop finely: a 300 ms block between two windows reads as lag', async () => {
    // Busy for two windows (a few ms of work every 10 ms), then one block that no window's timer falls in:
    // only the fine sampler can see it.
    const reading = await lagAfterBlock({
      setup: 'const work = setInterval(() => { const until = Date.now() + 3; while (Date.now() < until); }, 10);',
      beforeBlock: 'clearInterval(work);',
    });
    expect(reading.high).toBe(true);
    expect(reading.lagMs).toBeGreaterThanOrEqual(250);
  });

  it('samples from the first piece of work after a quiet spell: a 300 ms block it causes reads as lag', async () => {
    // Quiet for two windows (the sampler stops), then work comes in and blocks the loop between two windows.
    const reading = await lagAfterBlock({ setup: '', beforeBlock: 'lag.noteWork();' });
    expect(reading.high).toBe(true);
    expect(reading.lagMs).toBeGreaterThanOrEqual(250);
  });
});

/**
 * The lag (limit 250 ms) read 50 ms after a 300 ms block that starts 2,150 ms after the monitor, inside its
 * third window: `setup` runs first, `beforeBlock` just before the block.
 */
async function lagAfterBlock({ setup, beforeBlock }: { setup: string; beforeBlock: string }): Promise<{ high: boolean; lagMs: number }> {
  const output = await runScript(`
    import { EventLoopLag } from ${JSON.stringify(BUILT)};
    const started = Date.now();
    const lag = new EventLoopLag(250);
    ${setup}
    setTimeout(() => {
      ${beforeBlock}
      const until = Date.now() + 300;
      while (Date.now() < until);
      setTimeout(() => {
        console.log(JSON.stringify({ high: lag.high, lagMs: lag.lagMs, blockEndedAt: until - started }));
        lag.stop();
      }, 50);
    }, 2_150);
  `);
  const reading = JSON.parse(output) as { high: boolean; lagMs: number; blockEndedAt: number };
  // The block lies inside the third window (the timers' own lateness could only push it later).
  expect(reading.blockEndedAt).toBeLessThan(3_000);
  return reading;
}
