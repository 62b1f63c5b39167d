import { EOL } from 'node:os';

/**
 * Log lines on their way to stdout, gathered so that the lines of one event-loop turn leave in one write.
 * Each write to stdout is a system call (a file's is `fs.writeSync`, a pipe's or a terminal's goes
 * straight to libuv when it has room), and profiles put one per request line at 2-4 % of a service's CPU
 * at c=32; several requests finish in one turn under load, and their lines now share a write.
 *
 * No line may be lost or reordered, so what is gathered leaves:
 * - in the check phase of the turn it was written in (`setImmediate`, which also keeps the process alive
 *   until it has);
 * - before any other line, since {@link ConsoleAfterGatheredLines} flushes it before winston writes its own;
 * - on `exit`, which Node emits on `process.exit()` (the services' drain after SIGTERM/SIGINT ends there)
 *   and before dying of an uncaught exception or unhandled rejection.
 * Only a process killed outright (SIGKILL, V8 out of memory) loses what its last turn gathered.
 */
let gathered = '';
let flushScheduled = false;

/** Where winston's console transport writes: Node's console's stdout, else (a console replaced, as test runners do) console.log. */
function writeOut(text: string): void {
  const stdout = (console as { _stdout?: NodeJS.WritableStream })._stdout;
  if (stdout) stdout.write(text);
  else console.log(text.slice(0, -EOL.length));
}

/** Writes what has been gathered, now. */
export function flushStdoutLines(): void {
  if (gathered === '') return;
  const text = gathered;
  gathered = '';
  writeOut(text);
}

function flushScheduledLines(): void {
  flushScheduled = false;
  flushStdoutLines();
}

/** Gathers one whole line (ending in EOL) for the write at the end of this turn. */
export function gatherStdoutLine(line: string): void {
  gathered += line;
  if (flushScheduled) return;
  flushScheduled = true;
  setImmediate(flushScheduledLines);
}

process.on('exit', flushStdoutLines);
