import { type Logger, type LoggerOptions, pino } from 'pino';
import { type Config, redactUrlCredentials } from './config.js';

export type { Logger };

const SECRET_KEYS = [
  'IMAP_PASSWORD',
  'IMAP_ACCESS_TOKEN',
  'SMTP_PASSWORD',
  'ADMIN_PASSWORD',
  'METRICS_TOKEN',
  'DATABASE_URL',
  'REDIS_URL',
  'password',
  'pass',
  'accessToken',
  'token',
  'authorization',
  'cookie',
];

/**
 * Fields never written to a log, at the top level or one level down (`config.SMTP_PASSWORD`, `auth.pass`),
 * and request headers that carry credentials.
 */
const REDACTED_PATHS = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`]),
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.headers.authorization',
  '*.headers.cookie',
];

/** An error as logged, with any password in a URL of its message or stack masked (drivers quote their URL). */
function errSerializer(err: Error) {
  const s = pino.stdSerializers.err(err);
  s.message = redactUrlCredentials(s.message);
  if (s.stack) s.stack = redactUrlCredentials(s.stack);
  return s;
}

/** The root logger's options (without its destination), also for tests that log to a stream of their own. */
export function loggerOptions(config: Pick<Config, 'LOG_LEVEL'>, name = 'reform'): LoggerOptions {
  return {
    name,
    level: config.LOG_LEVEL,
    base: { pid: process.pid },
    serializers: { err: errSerializer },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  };
}

/** The root logger: JSON lines, or pretty output in a terminal (LOG_PRETTY overrides the guess). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>, name = 'reform'): Logger {
  const pretty = config.LOG_PRETTY ?? Boolean(process.stderr.isTTY);
  return pino(
    {
      ...loggerOptions(config, name),
      transport: pretty
        ? { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss' } }
        : undefined,
    },
    pretty ? undefined : pino.destination(2),
  );
}
