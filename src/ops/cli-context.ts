import { userInfo } from 'node:os';
import type { Config } from '../config.js';
import { type Actor, cliActor } from '../registry/audit.js';
import type { AppContext } from './app-context.js';
import type { CliIo } from './cli-io.js';

/** What every command is given: where to print, and the configuration (loaded on first use). */
export interface CliDeps {
  io: CliIo;
  /** Config for commands that need one, loaded on first use so `--help` works without a valid environment. */
  config: () => Config;
}

/** Run a command body with an open context, closing it whatever happens. */
export type WithContext = <T>(component: string, fn: (ctx: AppContext) => Promise<T>) => Promise<T>;

/** The option every command that changes the registry takes: who is making the change. */
export const BY = ['--by <name>', 'who is making the change (default: the operating-system user)'] as const;
/** The person behind a command: `--by NAME`, else the operating-system user. */
export const actor = (by: string | undefined): Actor => cliActor(by, userInfo().username);
