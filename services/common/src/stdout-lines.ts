import { EOL } from 'node:os';

/** How long a request line waits for others to leave with it. */
export const GATHER_MS = 10;

/**
 * Log lines on their way to stdout, gathered so that the lines of a few milliseconds leave in one write.
 * Each write to stdout is a system call (a file's is `fs.writeSync`, a pipe's or a terminal's goes
 * straight to libuv when it has room) that wakes whoever reads the other end. Written at the end of each
 * turn, the line of a request llm-proxy has just answered went out while the gateway, on the same core,
 * was turning that answer into its HTTP response: at c=1 the write held the gateway back by about 40 µs a
 * request. Gathered for {@link GATHER_MS}, a line leaves later, with the lines of the requests around it.
 *
 * No line may be lost or reordered, so what is gathered leaves:
 * - {@link GATHER_MS} after the first of its lines (a timer, which also keeps the process alive until it has);
 * - before any other line, since {@link ConsoleAfterGatheredLines} flushes it before winston writes its own;
 * - on `exit`, which Node emits on `process.exit()` (the services' drain after SIGTERM/SIGINT ends there)
 *   and before dying of an uncaught exception or unhandled rejection.
 * Only a process killed outright (SIGKILL, V8 out of memory) loses what the last {@link GATHER_MS} gathered.
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

/** Gathers one whole line (ending in EOL) for the write {@link GATHER_MS} from the first line gathered. */
export function gatherStdoutLine(line: string): void {
  gathered += line;
  if (flushScheduled) return;
  flushScheduled = true;
  setTimeout(flushScheduledLines, GATHER_MS);
}

process.on('exit', flushStdoutLines);
