/** What the report says about the run itself: when, how it was started, on what, at which commit. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release } from 'node:os';
import { fileURLToPath } from 'node:url';
import { describePlacement } from './cpu-placement.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const status = execFileSync('git', ['status', '--porcelain', '--', 'services', 'plugins', 'proto'], { cwd: ROOT, encoding: 'utf8' });
    return status.trim() === '' ? commit : `${commit} + uncommitted changes`;
  } catch {
    return 'unknown';
  }
}

export function describeMachine(nginxVersion, loadAverageAtStart) {
  const cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  const args = process.argv
    .slice(2)
    .map((arg) => (arg === '' || /\s/.test(arg) ? `"${arg}"` : arg))
    .join(' ');
  const settings = Object.entries(process.env)
    .filter(([name]) => name.startsWith('BENCH_'))
    .map(([name, value]) => `${name}=${value} `)
    .join('');
  return {
    date: new Date().toISOString(),
    command: `${settings}npm run bench${args ? ` -- ${args}` : ''}`,
    cpus: cpus().length,
    cpuModel,
    kernel: release(),
    node: process.version,
    nginx: nginxVersion ?? 'nginx not measured',
    commit: gitCommit(),
    placement: describePlacement(),
    loadAverageAtStart,
  };
}

