import type { Config } from '../config.js';
import type { CliIo } from './cli-io.js';
import type { AppContext } from './runtime.js';

/** What every command is given: where to print, and the configuration (loaded on first use). */
export interface CliDeps {
  io: CliIo;
  /** Config for commands that need one, loaded on first use so `--help` works without a valid environment. */
  config: () => Config;
}

/** Run a command body with an open context, closing it whatever happens. */
export type WithContext = <T>(component: string, fn: (ctx: AppContext) => Promise<T>) => Promise<T>;
