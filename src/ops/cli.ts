import { Command, CommanderError } from 'commander';
import { type Config, loadConfig, readCliEnvironment } from '../config.js';
import { AppError, asError, OperationRefused } from '../errors.js';
import { openAppContext } from './app-context.js';
import type { CliDeps, WithContext } from './cli-context.js';
import { CliExit, processIo } from './cli-io.js';
import { registerAgencyCommands } from './commands/agencies.command.js';
import { registerCampaignCommands } from './commands/campaign.command.js';
import { registerDbCommands } from './commands/db.command.js';
import { registerDigestCommand } from './commands/digest.command.js';
import { registerEvidenceCommand } from './commands/evidence.command.js';
import { registerExportCommand } from './commands/export.command.js';
import { registerInboxCommands } from './commands/inbox.command.js';
import { registerOperatorCommands } from './commands/operator.command.js';
import { registerParseCommand } from './commands/parse.command.js';
import { registerRemindCommand } from './commands/remind.command.js';
import { registerReviewCommands } from './commands/review.command.js';
import { registerSeedCommand } from './commands/seed.command.js';
import { registerStaffCommands } from './commands/staff.command.js';
import { registerStatusCommands } from './commands/status.command.js';

export type { CliDeps, WithContext };

// Exit codes from sysexits.h, so scripts can tell a bad file from a bad environment.
const EXIT = { ok: 0, failure: 1, usage: 64, dataError: 65, config: 78 } as const;

function buildCli(deps: CliDeps): Command {
  const withContext: WithContext = async (component, fn) => {
    const ctx = openAppContext(deps.config(), component);
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  };
  const program = new Command('reform')
    .description('reform-inbox: the administrative-reform inbox as a structured registry')
    .configureOutput({ writeOut: (s) => deps.io.out(s), writeErr: (s) => deps.io.err(s) })
    .exitOverride()
    .showHelpAfterError();
  registerDbCommands(program, deps, withContext);
  registerAgencyCommands(program, deps, withContext);
  registerCampaignCommands(program, deps, withContext);
  registerSeedCommand(program, deps, withContext);
  registerParseCommand(program, deps);
  registerStatusCommands(program, deps, withContext);
  registerInboxCommands(program, deps, withContext);
  registerRemindCommand(program, deps);
  registerExportCommand(program, deps, withContext);
  registerEvidenceCommand(program, deps, withContext);
  registerDigestCommand(program, deps);
  registerReviewCommands(program, deps, withContext);
  registerOperatorCommands(program, deps, withContext);
  registerStaffCommands(program, deps, withContext);
  return program;
}

/** Parse argv (without the node and script entries) and run; returns the exit code instead of exiting. */
export async function runCli(args: readonly string[], deps: Partial<CliDeps> = {}): Promise<number> {
  const io = deps.io ?? processIo;
  let cached: Config | undefined;
  // With REFORM_DATA_DIR, that folder's services (or a refusal): never the default stack's by omission.
  const config = deps.config ?? (() => (cached ??= loadConfig(readCliEnvironment())));
  const program = buildCli({ io, config });
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (err) {
    if (err instanceof CliExit) return err.exitCode;
    if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const e = asError(err);
    io.err(`error: ${e.message}`);
    // A person's request the registry refused (no such item, wrong state): nothing was changed.
    if (e instanceof OperationRefused) return EXIT.dataError;
    if (e instanceof AppError) {
      if (e.code === 'invalid_config') return EXIT.config;
      if (['invalid_csv', 'invalid_campaign', 'file_unreadable', 'unknown_campaign'].includes(e.code))
        return EXIT.dataError;
    }
    return EXIT.failure;
  }
}
