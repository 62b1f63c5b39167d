/**
 * Every process the benchmark starts is registered here, so one call stops them all: at the end of a run,
 * on Ctrl-C, on SIGTERM and on any error. A benchmark that leaves a gateway or an nginx behind on a shared
 * machine would skew the next person's measurements.
 */
import { spawn } from 'node:child_process';
import { placed } from './cpu-placement.mjs';

const running = new Set();
const cleanups = [];
const OUTPUT_KEPT = 64 * 1024;

/**
 * Starts a process whose output is kept (the last 64 KB) so that a failure can show what it printed,
 * instead of letting service logs interleave with the report; the lines it writes are counted (log lines
 * per request is one of the benchmark's counts). `ipc` runs a Node script with an IPC channel (as fork
 * does); `cores` pins it (see cpu-placement.mjs); `openFiles` raises its descriptor limit.
 */
export function startProcess(name, command, args, { env, cwd, ipc = false, cores, openFiles } = {}) {
  const script = ipc ? [process.execPath, command, ...args] : [command, ...args];
  const limited = openFiles === undefined ? script : ['prlimit', `--nofile=${openFiles}:${openFiles}`, ...script];
  const launch = placed(cores, limited[0], limited.slice(1));
  const child = spawn(launch.command, launch.args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])] });
  let output = '';
  let lines = 0;
  const keep = (chunk) => {
    for (let index = chunk.indexOf(10); index !== -1; index = chunk.indexOf(10, index + 1)) lines += 1;
    output = (output + chunk.toString()).slice(-OUTPUT_KEPT);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const managed = { name, child, output: () => output, lines: () => lines };
  running.add(managed);
  child.once('exit', () => running.delete(managed));
  return managed;
}

/** Registers work (removing a temp dir) to run after every process is stopped. */
export function onCleanup(cleanup) {
  cleanups.push(cleanup);
}

/** SIGTERM, then SIGKILL after a grace period; resolves once the process is gone. */
export function stopProcess(managed, graceMs = 5_000) {
  const { child } = managed;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Stops everything still running (in parallel) and then runs the registered cleanups. */
export async function stopAll() {
  await Promise.all([...running].map((managed) => stopProcess(managed)));
  while (cleanups.length > 0) {
    try {
      await cleanups.pop()();
    } catch (error) {
      console.error(`cleanup failed: ${error.message}`);
    }
  }
}

/** Throws with the process's own words when it has already exited (it crashed or could not bind). */
export function assertRunning(managed) {
  const { child } = managed;
  if (child.exitCode === null && child.signalCode === null) return;
  throw new Error(`${managed.name} exited (${child.signalCode ?? child.exitCode})\n--- ${managed.name} output ---\n${managed.output()}`);
}

let interrupted = false;

/** True once Ctrl-C or SIGTERM arrived: failures after that are the stop itself, not worth reporting. */
export function wasInterrupted() {
  return interrupted;
}

/**
 * Ctrl-C and SIGTERM stop the children before the benchmark exits (130/143, as shells expect); so does a
 * crash. Whatever is somehow still running when the process exits gets SIGKILL, as a last resort.
 */
export function stopAllOnExit() {
  const stopThenExit = (reason, code) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n${reason}: stopping the benchmark's processes`);
    stopAll().finally(() => process.exit(code));
  };
  process.on('SIGINT', () => stopThenExit('SIGINT', 130));
  process.on('SIGTERM', () => stopThenExit('SIGTERM', 143));
  process.on('uncaughtException', (error) => stopThenExit(`crashed: ${error.stack}`, 1));
  process.on('unhandledRejection', (error) => stopThenExit(`crashed: ${error?.stack ?? error}`, 1));
  process.on('exit', () => {
    for (const managed of running) managed.child.kill('SIGKILL');
  });
}
