import { EOL } from 'node:os';
import winston from 'winston';
import { redactSecrets } from '@nachos/plugin-sdk';
import { ConsoleAfterGatheredLines } from './console-after-gathered-lines.js';
import { jsonLine, TRUSTED_FIELDS, type LineFields } from './json-line.js';
import type { Environment } from './read-secret-env.js';
import { gatherStdoutLine } from './stdout-lines.js';

export type Logger = winston.Logger;
export type { LineFields } from './json-line.js';

export interface LoggerOptions {
  /** Names the process in every line (`gateway`, `llm-proxy`). */
  service: string;
  env: Environment;
  /** Whether stdout is a terminal; readable lines there, JSON everywhere else. */
  isTerminal?: boolean;
}

const LEVELS: Readonly<Record<string, number>> = winston.config.npm.levels;

/**
 * Whether a logger writing down to `threshold` writes an entry of `level`. An unknown level counts as the
 * most severe for winston's entries (winston itself then reports it), and is not written by {@link logLine}.
 */
function within(level: string, threshold: number, unknown: number | undefined): boolean {
  const value = Object.hasOwn(LEVELS, level) ? LEVELS[level] : unknown;
  return value !== undefined && value <= threshold;
}

/**
 * Drops entries below the logger's level before any other format runs: winston formats an entry
 * before its transports compare levels, and a skipped debug line should cost next to nothing.
 */
function belowLevel(threshold: number) {
  return winston.format((info) => (within(info.level, threshold, 0) ? info : false))();
}

/** Applies {@link redactSecrets} to the message and every other string field that could carry a secret. */
function redactFields<Entry extends Record<string, unknown>>(info: Entry): Entry {
  for (const key in info) {
    const value = info[key];
    if (typeof value === 'string' && !TRUSTED_FIELDS.has(key)) (info as Record<string, unknown>)[key] = redactSecrets(value);
  }
  return info;
}

const redact = winston.format((info) => redactFields(info));

/** The loggers writing JSON lines to stdout, with the service they name and their threshold: {@link logLine} writes theirs itself. */
const jsonLoggers = new WeakMap<Logger, { service: string; threshold: number }>();

/**
 * One entry of flat fields, as the logger would write it, for lines written once per request: a JSON
 * logger's line is built by {@link jsonLine}, byte for byte what winston writes, without its stream
 * pipeline, and leaves with the other lines of its event-loop turn in one write (see stdout-lines.ts);
 * any other logger gets the entry. The level is judged as the logger's own first format judges it
 * (winston's `isLevelEnabled` makes a closure per call, which showed in the per-request profile).
 */
export function logLine(logger: Logger, level: string, message: string, fields: LineFields): void {
  if (logger.silent) return;
  const json = jsonLoggers.get(logger);
  if (json === undefined || logger.transports.length !== 1) {
    if (logger.isLevelEnabled(level)) logger.log(level, message, fields);
    return;
  }
  if (!within(level, json.threshold, undefined)) return;
  gatherStdoutLine(`${jsonLine(json.service, level, message, fields)}${EOL}`);
}

/**
 * The root logger of a service. JSON lines in production (NODE_ENV=production or no terminal), readable
 * lines in a terminal. `LOG_LEVEL` sets the level; `DEBUG` set to anything truthy means debug.
 * Modules receive `logger.child({ requestId })` rather than importing a singleton.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { env } = options;
  const debug = env.DEBUG !== undefined && !['', '0', 'false'].includes(env.DEBUG.toLowerCase());
  const asked = env.LOG_LEVEL?.toLowerCase() || (debug ? 'debug' : 'info');
  // winston given a level it does not know writes nothing at all: a misspelt LOG_LEVEL would silence the service.
  const level = Object.hasOwn(LEVELS, asked) ? asked : 'info';
  const threshold = LEVELS[level] as number;
  const json = env.NODE_ENV === 'production' || !(options.isTerminal ?? process.stdout.isTTY === true);
  const format = json
    ? winston.format.combine(belowLevel(threshold), redact(), winston.format.timestamp(), winston.format.json())
    : winston.format.combine(
        belowLevel(threshold),
        redact(),
        winston.format.timestamp({ format: 'HH:mm:ss.SSS' }),
        winston.format.colorize(),
        winston.format.printf(({ timestamp, level: entryLevel, message, service, ...rest }) => {
          const fields = Object.entries(rest)
            .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
            .join(' ');
          return `${String(timestamp)} ${entryLevel} [${String(service)}] ${String(message)}${fields ? ` ${fields}` : ''}`;
        }),
      );
  const logger = winston.createLogger({
    level,
    levels: winston.config.npm.levels,
    defaultMeta: { service: options.service },
    format,
    transports: [new ConsoleAfterGatheredLines()],
  });
  if (json) jsonLoggers.set(logger, { service: options.service, threshold });
  if (level !== asked) logger.warn(`LOG_LEVEL '${asked}' is not a level (${Object.keys(LEVELS).join(', ')}); logging at info`);
  return logger;
}
