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

/**
 * Drops entries below the logger's level before any other format runs: winston formats an entry
 * before its transports compare levels, and a skipped debug line should cost next to nothing.
 */
function belowLevel(level: string) {
  const threshold = winston.config.npm.levels[level] ?? winston.config.npm.levels.info!;
  return winston.format((info) => ((winston.config.npm.levels[info.level] ?? 0) <= threshold ? info : false))();
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

/** The loggers writing JSON lines to stdout, by the service they name: {@link logLine} writes theirs itself. */
const jsonLoggers = new WeakMap<Logger, string>();

/**
 * One entry of flat fields, as the logger would write it, for lines written once per request: a JSON
 * logger's line is built by {@link jsonLine}, byte for byte what winston writes, without its stream
 * pipeline, and leaves with the other lines of its event-loop turn in one write (see stdout-lines.ts);
 * any other logger gets the entry.
 */
export function logLine(logger: Logger, level: string, message: string, fields: LineFields): void {
  if (!logger.isLevelEnabled(level) || logger.silent) return;
  const service = jsonLoggers.get(logger);
  if (service === undefined || logger.transports.length !== 1) {
    logger.log(level, message, fields);
    return;
  }
  gatherStdoutLine(`${jsonLine(service, level, message, fields)}${EOL}`);
}

/**
 * The root logger of a service. JSON lines in production (NODE_ENV=production or no terminal), readable
 * lines in a terminal. `LOG_LEVEL` sets the level; `DEBUG` set to anything truthy means debug.
 * Modules receive `logger.child({ requestId })` rather than importing a singleton.
 */
export function createLogger(options: LoggerOptions): Logger {
  const { env } = options;
  const debug = env.DEBUG !== undefined && !['', '0', 'false'].includes(env.DEBUG.toLowerCase());
  const level = env.LOG_LEVEL?.toLowerCase() || (debug ? 'debug' : 'info');
  const json = env.NODE_ENV === 'production' || !(options.isTerminal ?? process.stdout.isTTY === true);
  const format = json
    ? winston.format.combine(belowLevel(level), redact(), winston.format.timestamp(), winston.format.json())
    : winston.format.combine(
        belowLevel(level),
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
  if (json) jsonLoggers.set(logger, options.service);
  return logger;
}
