import { loadConfig } from '../../src/config.js';
import { runCli } from '../../src/ops/cli.js';

/** Run the CLI in-process against a given database; returns its exit code and what it printed. */
export async function cli(databaseUrl: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    io: { out: (t) => void out.push(t), err: (t) => void err.push(t) },
    config: () => loadConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' }),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
