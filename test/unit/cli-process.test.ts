import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectDir } from '../helpers/paths.js';

const run = promisify(execFile);

// The CLI as a process, the way an operator meets it (no services needed: it fails before connecting).
async function reform(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run('node', ['--import', 'tsx', 'workers/cli.ts', ...args], {
      cwd: projectDir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('reform CLI process', () => {
  it('stops with a one-line error naming a malformed variable', async () => {
    const r = await reform(['db', 'status'], { DATABASE_URL: 'mysql://nope' });
    expect(r.code).toBe(78);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('DATABASE_URL');
    expect(r.stderr).toContain('postgres://');
  });

  it('prints its help without any configuration', async () => {
    const r = await reform(['--help'], { IMAP_PORT: 'not-a-port' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('agencies');
    expect(r.stdout).toContain('campaign');
  });

  it('refuses an unknown command with the usage status', async () => {
    const r = await reform(['frobnicate']);
    expect(r.code).toBe(64);
    expect(r.stderr).toContain("unknown command 'frobnicate'");
  });
});
