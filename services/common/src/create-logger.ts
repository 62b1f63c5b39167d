import winston from 'winston';
import { redactSecrets } from '@nachos/plugin-sdk';
import type { Environment } from './read-secret-env.js';

export type Logger = winston.Logger;

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

/**
 * Fields whose values nachos makes itself (enums, numbers, names from its own configuration):
 * no secret can reach them, so the per-request access line scrubs only its id and path.
 */
const TRUSTED_FIELDS = new Set(['level', 'service', 'timestamp', 'method', 'status', 'durationMs', 'clientClosedEarly', 'provider', 'endpoint']);

/** Applies {@link redactSecrets} to the message and every other string field that could carry a secret. */
const redact = winston.format((info) => {
  for (const key in info) {
    const value = info[key];
    if (typeof value === 'string' && !TRUSTED_FIELDS.has(key)) info[key] = redactSecrets(value);
  }
  return info;
});

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
  return winston.createLogger({
    level,
    levels: winston.config.npm.levels,
    defaultMeta: { service: options.service },
    format,
    transports: [new winston.transports.Console()],
  });
}
