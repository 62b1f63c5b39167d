import { EOL } from 'node:os';
import { redactSecrets } from '@nachos/plugin-sdk';
import type { Environment } from './read-secret-env.js';
import { stableStringify } from './stable-stringify.js';

/** npm's levels: the lower, the more severe. */
const LEVELS: Readonly<Record<string, number>> = { error: 0, warn: 1, info: 2, http: 3, verbose: 4, debug: 5, silly: 6 };
/** ANSI colours of the level in a terminal. */
const LEVEL_COLOURS: Readonly<Record<string, number>> = { error: 31, warn: 33, info: 32, http: 32, verbose: 36, debug: 34, silly: 35 };

export type LogLevel = 'error' | 'warn' | 'info' | 'http' | 'verbose' | 'debug' | 'silly';
export type LogMeta = Record<string, unknown>;

export interface Logger {
  error(message: string, meta?: LogMeta): void;
  warn(message: string, meta?: LogMeta): void;
  info(message: string, meta?: LogMeta): void;
  http(message: string, meta?: LogMeta): void;
  verbose(message: string, meta?: LogMeta): void;
  debug(message: string, meta?: LogMeta): void;
  silly(message: string, meta?: LogMeta): void;
  log(level: LogLevel, message: string, meta?: LogMeta): void;
  /** A logger that adds `fields` to every entry (an entry's own fields win). */
  child(fields: LogMeta): Logger;
  isLevelEnabled(level: LogLevel): boolean;
  /** Set to drop every entry (tests). */
  silent: boolean;
}

export interface LoggerOptions {
  /** Names the process in every line (`gateway`, `llm-proxy`). */
  service: string;
  env: Environment;
  /** Whether stdout is a terminal; readable lines there, JSON everywhere else. */
  isTerminal?: boolean;
}

/**
 * Fields whose values nachos makes itself (enums, numbers, names from its own configuration):
 * no secret can reach them, so the per-request access line scrubs only its id and path.
 */
const TRUSTED_FIELDS = new Set(['level', 'service', 'timestamp', 'method', 'status', 'durationMs', 'clientClosedEarly', 'provider', 'endpoint']);

/** What a root logger and all its children share. */
interface Sink {
  threshold: number;
  silent: boolean;
  render(entry: LogMeta): string;
}

/**
 * The root logger of a service, one line per entry on stdout: JSON with sorted keys in production
 * (NODE_ENV=production or no terminal), readable lines in a terminal. `LOG_LEVEL` sets the level; `DEBUG`
 * set to anything truthy means debug. Modules receive `logger.child({ requestId })` rather than importing a
 * singleton. Written here rather than with a logging library: these two formats are all nachos needs, and
 * winston with its streams and formats held ~1.7 MB of heap in each service from start-up on.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { env } = options;
  const debug = env.DEBUG !== undefined && !['', '0', 'false'].includes(env.DEBUG.toLowerCase());
  const level = env.LOG_LEVEL?.toLowerCase() || (debug ? 'debug' : 'info');
  const json = env.NODE_ENV === 'production' || !(options.isTerminal ?? process.stdout.isTTY === true);
  const sink: Sink = { threshold: LEVELS[level] ?? (LEVELS.info as number), silent: false, render: json ? renderJson : renderTerminal };
  return new LineLogger(sink, { service: options.service }, {});
}

class LineLogger implements Logger {
  readonly #sink: Sink;
  readonly #defaults: LogMeta;
  readonly #inherited: LogMeta;

  constructor(sink: Sink, defaults: LogMeta, inherited: LogMeta) {
    this.#sink = sink;
    this.#defaults = defaults;
    this.#inherited = inherited;
  }

  get silent(): boolean {
    return this.#sink.silent;
  }

  set silent(value: boolean) {
    this.#sink.silent = value;
  }

  error(message: string, meta?: LogMeta): void {
    this.log('error', message, meta);
  }

  warn(message: string, meta?: LogMeta): void {
    this.log('warn', message, meta);
  }

  info(message: string, meta?: LogMeta): void {
    this.log('info', message, meta);
  }

  http(message: string, meta?: LogMeta): void {
    this.log('http', message, meta);
  }

  verbose(message: string, meta?: LogMeta): void {
    this.log('verbose', message, meta);
  }

  debug(message: string, meta?: LogMeta): void {
    this.log('debug', message, meta);
  }

  silly(message: string, meta?: LogMeta): void {
    this.log('silly', message, meta);
  }

  isLevelEnabled(level: LogLevel): boolean {
    return (LEVELS[level] ?? 0) <= this.#sink.threshold;
  }

  /** Entries below the level are dropped before anything is built, so a skipped debug line costs next to nothing. */
  log(level: LogLevel, message: string, meta?: LogMeta): void {
    if (this.#sink.silent || !this.isLevelEnabled(level)) return;
    const entry: LogMeta = { ...this.#inherited, ...this.#defaults, ...meta, level, message };
    // An error given as the fields (its message and stack are not enumerable) still says what it was.
    if (meta?.message) entry.message = `${message} ${String(meta.message)}`;
    if (meta?.stack) entry.stack = meta.stack;
    if (meta?.cause) entry.cause = meta.cause;
    for (const key in entry) {
      const value = entry[key];
      if (typeof value === 'string' && !TRUSTED_FIELDS.has(key)) entry[key] = redactSecrets(value);
    }
    writeLine(this.#sink.render(entry));
  }

  child(fields: LogMeta): Logger {
    return new LineLogger(this.#sink, this.#defaults, { ...this.#inherited, ...fields });
  }
}

/**
 * Where Node's console writes (stdout, synchronously for files and pipes, so the last line before an exit
 * is kept), else, when a test runner has replaced the console, its console.log.
 */
function writeLine(line: string): void {
  const stdout = (console as { _stdout?: NodeJS.WritableStream })._stdout;
  if (stdout) stdout.write(`${line}${EOL}`);
  else console.log(line);
}

function renderJson(entry: LogMeta): string {
  entry.timestamp = new Date().toISOString();
  return stableStringify(entry);
}

function renderTerminal(entry: LogMeta): string {
  const { level, message, service, ...rest } = entry;
  const fields = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  const now = new Date();
  const time = `${now.toTimeString().slice(0, 8)}.${String(now.getMilliseconds()).padStart(3, '0')}`;
  return `${time} \u001b[${LEVEL_COLOURS[level as string] ?? 39}m${String(level)}\u001b[39m [${String(service)}] ${String(message)}${fields ? ` ${fields}` : ''}`;
}
