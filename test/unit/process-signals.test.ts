import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { projectDir } from '../helpers/paths.js';

// A process using closeOnSignals whose shutdown takes long (jobs still finishing).
const SCRIPT = `
import { closeOnSignals } from './src/ops/process.ts';
import { createLogger } from './src/logger.ts';
const log = createLogger({ LOG_LEVEL: 'silent', LOG_PRETTY: false });
closeOnSignals(log, () => new Promise((resolve) => setTimeout(resolve, Number(process.env.CLOSE_MS))));
setInterval(() => {}, 1000);
process.stdout.write('ready\\n');
`;

async function run(closeMs: number, signals: number) {
  const child = spawn('node', ['--import', 'tsx', '--input-type=module', '-e', SCRIPT], {
    cwd: projectDir,
    env: { ...process.env, CLOSE_MS: String(closeMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await once(child.stdout, 'data');
  const started = Date.now();
  child.kill('SIGTERM');
  for (let i = 1; i < signals; i++) {
    await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
  }
  const [code] = (await once(child, 'exit')) as [number];
  return { code, ms: Date.now() - started };
}

describe('signals', () => {
  it('close cleanly on SIGTERM, waiting for the shutdown to finish', async () => {
    const r = await run(700, 1);
    expect(r.code).toBe(0);
    expect(r.ms).toBeGreaterThanOrEqual(650);
  });

  it('exit at once on a second SIGTERM, without waiting for the shutdown', async () => {
    const r = await run(30_000, 2);
    expect(r.code).toBe(130);
  });
});
