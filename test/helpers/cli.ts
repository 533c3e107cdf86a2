import { loadConfig } from '../../src/config.js';
import { runCli } from '../../src/ops/cli.js';

/** Run the CLI in-process against a given database; returns its exit code and what it printed. */
export async function cli(databaseUrl: string, ...args: string[]) {
  return cliWith({ DATABASE_URL: databaseUrl }, ...args);
}

/** Run the CLI in-process with the given environment (a PipelineEnv's, for commands that queue work). */
export async function cliWith(env: Record<string, string>, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t) },
    config: () => loadConfig({ ...env, LOG_LEVEL: 'silent' }),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
