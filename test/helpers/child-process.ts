import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { projectDir } from './paths.js';

/** A process entry point (workers/NAME.ts) run as its own process, configured by `env` alone. */
export function spawnProcess(
  name: 'poller' | 'parser' | 'mailer',
  env: Record<string, string>,
): ChildProcess {
  const child = spawn('node', ['--import', 'tsx', `workers/${name}.ts`], {
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_PRETTY: 'false', ...env },
    stdio: ['ignore', 'ignore', process.env.TEST_LOG_LEVEL ? 'inherit' : 'ignore'],
  });
  return child;
}

/** SIGKILL (or another signal) and wait until the process has gone. */
export async function stopProcess(
  child: ChildProcess,
  signal: NodeJS.Signals = 'SIGKILL',
): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  const exited = once(child, 'exit');
  child.kill(signal);
  const [code] = (await exited) as [number | null];
  return code;
}
