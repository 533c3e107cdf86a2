import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

const run = promisify(execFile);

/** Debian's newest PostgreSQL client programs, found as scripts/services.sh finds the server's. */
function pgProgram(name: 'pg_dump' | 'pg_restore'): string {
  const versions = readdirSync('/usr/lib/postgresql')
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(a) - Number(b));
  const newest = versions.at(-1);
  if (!newest) throw new Error('no PostgreSQL under /usr/lib/postgresql (apt-get install postgresql)');
  return join('/usr/lib/postgresql', newest, 'bin', name);
}

/** What a person would compare after a restore: the status table, and every raw mail byte for byte. */
async function snapshot(url: string, db: TestDatabase['db']) {
  const status = await cli(url, 'status');
  const json = await cli(url, 'status', '--json');
  const mails = await sql<{ n: number; digest: string | null }>`
    select count(*)::int as n, md5(string_agg(md5(raw), ',' order by id)) as digest from messages`.execute(
    db,
  );
  const files = await sql<{ n: number; digest: string | null }>`
    select count(*)::int as n, md5(string_agg(sha256 || ':' || state, ',' order by id)) as digest
    from attachments`.execute(db);
  return { status, json, mails: mails.rows[0], files: files.rows[0] };
}

describe('backing up the registry with pg_dump and restoring it with pg_restore', () => {
  const env = new PipelineEnv('backup');
  let restored: TestDatabase | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'reform-backup-'));

  beforeAll(async () => {
    await env.start();
    for (const name of [
      '01-so-tu-phap-dang-ky.eml',
      '08-so-tttt-dang-ky.eml',
      '10-so-tu-phap-bao-cao-ket-qua.eml',
      '14-so-gtvt-file-macro.eml',
    ])
      await env.deliverAndSettle(readFileSync(fixture('emails', name)));
  });
  afterAll(async () => {
    await restored?.drop();
    await env.tearDown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('restores into a fresh database that shows the same status, mails and files', async () => {
    const before = await snapshot(env.database.url, env.database.db);
    expect(before.status.code).toBe(0);
    expect(before.mails?.n).toBe(4);
    expect(before.status.stdout).toContain('Inbox: 4 messages');

    // The commands of docs/operations.md, against the local services instead of the compose ones.
    const dump = join(dir, 'reform.dump');
    await run(pgProgram('pg_dump'), ['--format=custom', `--file=${dump}`, `--dbname=${env.database.url}`]);
    restored = await createTestDatabase('restored', { migrate: false });
    await run(pgProgram('pg_restore'), [
      '--no-owner',
      '--no-privileges',
      '--exit-on-error',
      `--dbname=${restored.url}`,
      dump,
    ]);

    // The restored schema is current: nothing left for the migrations to do.
    expect(await cli(restored.url, 'db', 'migrate')).toMatchObject({
      code: 0,
      stdout: 'schema is up to date',
    });
    const after = await snapshot(restored.url, restored.db);
    expect(after.status).toEqual(before.status);
    expect(after.json).toEqual(before.json);
    expect(after.mails).toEqual(before.mails);
    expect(after.files).toEqual(before.files);
  });
});
