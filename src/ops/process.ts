import { type Config, loadConfig, readEnvironment } from '../config.js';
import { ConfigError } from '../errors.js';
import type { Logger } from '../logger.js';

/** sysexits.h EX_CONFIG: the process cannot run with the settings it was given. */
const EXIT_CONFIG = 78;

/**
 * Run a step of a process's start that reads the settings; a configuration error ends the process with one line
 * naming the setting (never its secret value) and status 78, as the `reform` command does.
 */
export function orExitOnConfigError<T>(step: () => T): T {
  try {
    return step();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`error: ${err.message}\n`);
    process.exit(EXIT_CONFIG);
  }
}

/** The process's settings (environment over `.env`), or an exit with status 78 naming what is wrong. */
export const startupConfig = (): Config => orExitOnConfigError(() => loadConfig(readEnvironment()));

/**
 * Close on SIGTERM or SIGINT (finishing or handing back jobs in hand), exit at once on a second signal.
 */
export function closeOnSignals(log: Logger, close: () => Promise<void>): void {
  let closing = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (closing) {
      log.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    closing = true;
    log.info({ signal }, 'shutting down');
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
