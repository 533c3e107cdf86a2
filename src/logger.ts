import { type Logger, pino } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** The root logger: JSON lines, or pretty output in a terminal (LOG_PRETTY overrides the guess). */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>, name = 'reform'): Logger {
  const pretty = config.LOG_PRETTY ?? Boolean(process.stderr.isTTY);
  return pino(
    {
      name,
      level: config.LOG_LEVEL,
      base: { pid: process.pid },
      serializers: { err: pino.stdSerializers.err },
      transport: pretty
        ? { target: 'pino-pretty', options: { destination: 2, translateTime: 'SYS:yyyy-mm-dd HH:MM:ss' } }
        : undefined,
    },
    pretty ? undefined : pino.destination(2),
  );
}
