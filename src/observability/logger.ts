import pino, { DestinationStream, Logger } from 'pino';

export type { Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Fields that may carry a credential or a signature wherever they appear in a logged object.
 * Nothing logs them on purpose (requests are logged field by field, never with headers or
 * bodies); this is the net under a careless `log.info({ req })` or an error that carries them.
 */
export const REDACTED_PATHS = [
  'authorization',
  'cookie',
  'token',
  'password',
  'signature',
  'signedData',
  'csrfToken',
  'headers.authorization',
  'headers.cookie',
  'headers["set-cookie"]',
  'headers["x-csrf-token"]',
  '*.authorization',
  '*.cookie',
  '*.token',
  '*.password',
  '*.signature',
  '*.signedData',
  '*.csrfToken',
  '*.headers.authorization',
  '*.headers.cookie',
  '*.headers["set-cookie"]',
  '*.headers["x-csrf-token"]',
];

export interface LoggerOptions {
  level: LogLevel;
  /** Where the JSON lines go (default: stdout, human-readable through pino-pretty when stdout is a terminal). */
  destination?: DestinationStream;
}

/**
 * The server's logger: one JSON object per line (time in ISO 8601, level as a word) so that a log
 * collector parses it as it is. In a terminal it is printed by pino-pretty when that is installed
 * (a devDependency: a production install has no terminal to read it in, and logs JSON).
 */
export function createLogger(options: LoggerOptions): Logger {
  const base = {
    level: options.level,
    base: { service: 'reglament' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
  if (options.destination) return pino(base, options.destination);
  const pretty = process.stdout.isTTY ? prettyStream() : undefined;
  return pretty ? pino(base, pretty) : pino(base);
}

function prettyStream(): DestinationStream | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pretty = require('pino-pretty') as (options: object) => DestinationStream;
    return pretty({ colorize: true, translateTime: 'SYS:standard', ignore: 'pid,hostname,service' });
  } catch {
    return undefined;
  }
}

/** A logger that writes nothing (tests, tools). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
