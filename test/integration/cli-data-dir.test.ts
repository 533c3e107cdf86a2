import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCliEnvironment } from '../../src/config.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixture, projectDir } from '../helpers/paths.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6390';
// Another stack's database, as a .env copied from .env.example would name it (absent here: were the command to
// go there, it would fail rather than write into a database other tests use).
const OTHER_DB = 'postgres://reform@127.0.0.1:54329/reform_another_stack';

/** `reform ARGS` as its own process, from the sources, in `cwd` (where a `.env` may lie), with `env` alone. */
function reform(cwd: string, env: Record<string, string>, ...args: string[]) {
  const tsx = pathToFileURL(join(projectDir, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
  const child = spawn('node', ['--import', tsx, join(projectDir, 'workers', 'cli.ts'), ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b) => {
    stdout += b;
  });
  child.stderr.on('data', (b) => {
    stderr += b;
  });
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

describe('the reform command with REFORM_DATA_DIR', () => {
  let stack: TestDatabase;
  const dirs: string[] = [];
  const tempDir = () => {
    const d = mkdtempSync('/var/tmp/reform-datadir-');
    dirs.push(d);
    return d;
  };
  beforeAll(async () => {
    stack = await createTestDatabase('clidatadir');
  }, 60_000);
  afterAll(async () => {
    await stack?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it("uses that folder's services, not the default stack, even with a .env naming another", async () => {
    const dataDir = tempDir();
    // As `scripts/services.sh env` writes it for a stack of its own.
    writeFileSync(
      join(dataDir, 'services.env'),
      [
        `DATABASE_URL=${stack.url}`,
        `REDIS_URL=${REDIS_URL}`,
        'IMAP_PORT=11143',
        `REFORM_DATA_DIR=${dataDir}`,
      ].join('\n'),
    );
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), `DATABASE_URL=${OTHER_DB}\nREDIS_URL=redis://127.0.0.1:6390\n`);
    const imported = await reform(
      cwd,
      { REFORM_DATA_DIR: dataDir },
      'agencies',
      'import',
      fixture('agencies-hanoi-2021.csv'),
    );
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    // Written into that stack's database.
    const agencies = await stack.db.selectFrom('agencies').select('code').execute();
    expect(agencies.length).toBeGreaterThan(10);
  }, 60_000);

  it('refuses a folder whose services were never started, naming it and what to do', async () => {
    const dataDir = tempDir();
    const cwd = tempDir();
    writeFileSync(join(cwd, '.env'), `DATABASE_URL=${OTHER_DB}\n`);
    const r = await reform(cwd, { REFORM_DATA_DIR: dataDir }, 'agencies', 'list');
    expect(r.code).toBe(78);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`REFORM_DATA_DIR: ${dataDir} has no services.env`);
    expect(r.stderr).toContain('npm run services:up');
  }, 60_000);

  it('lets the environment itself name the services (it outranks the folder)', () => {
    const dataDir = tempDir();
    const none = join(tempDir(), '.env');
    expect(() => readCliEnvironment(none, { REFORM_DATA_DIR: dataDir })).toThrow(/has no services\.env/);
    // Both services named in the environment: nothing is left to a default.
    expect(
      readCliEnvironment(none, { REFORM_DATA_DIR: dataDir, DATABASE_URL: stack.url, REDIS_URL }).DATABASE_URL,
    ).toBe(stack.url);
    writeFileSync(
      join(dataDir, 'services.env'),
      `DATABASE_URL=${stack.url}\nREDIS_URL=${REDIS_URL}\nSMTP_PORT=2626\n`,
    );
    const env = readCliEnvironment(none, {
      REFORM_DATA_DIR: dataDir,
      SMTP_PORT: '2727',
      DATABASE_URL: '',
    });
    expect(env).toMatchObject({ DATABASE_URL: stack.url, REDIS_URL, SMTP_PORT: '2727' });
    // Without REFORM_DATA_DIR, as before: the environment over .env.
    expect(readCliEnvironment(none, { SMTP_PORT: '2727' })).toEqual({ SMTP_PORT: '2727' });
  });
});
