import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import { migrations } from '../../src/db/migrations/index.js';
import { migrateDownAll, migrateToLatest, migrationStatus } from '../../src/db/migrator.js';
import { ReusableQueryError, reusableQuery, reusableQueryByShape } from '../../src/db/reusable-query.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { projectDir } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait-for.js';

const run = promisify(execFile);

async function tableNames(t: TestDatabase): Promise<string[]> {
  const r = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name`.execute(
    t.db,
  );
  return r.rows.map((x) => x.table_name);
}

describe('database migrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('migrations', { migrate: false });
  });
  afterAll(() => t.drop());

  it('create every table of the registry on a fresh database, and a second run does nothing', async () => {
    expect(await migrateToLatest(t.db)).toEqual(Object.keys(migrations));
    expect(await tableNames(t)).toEqual(
      expect.arrayContaining([
        'agencies',
        'agency_addresses',
        'attachments',
        'campaign_quotas',
        'campaigns',
        'initiative_results',
        'initiatives',
        'mailbox_state',
        'messages',
        'outbox',
        'submissions',
      ]),
    );
    expect(await migrateToLatest(t.db)).toEqual([]);
    expect((await migrationStatus(t.db)).every((m) => m.executedAt)).toBe(true);
    // The large values of every mail are compressed with lz4 (this server has it).
    const compression = await sql<{ column: string; method: string }>`
      select attrelid::regclass || '.' || attname as column, attcompression as method from pg_attribute
      where attrelid in ('messages'::regclass, 'attachments'::regclass, 'outbox'::regclass)
        and attname in ('raw', 'bytes', 'parse_result', 'html', 'text')`.execute(t.db);
    expect(compression.rows.map((r) => `${r.column} ${r.method}`).sort()).toEqual([
      'attachments.bytes l',
      'attachments.parse_result l',
      'messages.raw l',
      'outbox.html l',
      'outbox.text l',
    ]);
  });

  it('keep the committed Kysely types in step with the schema', async () => {
    // kysely-codegen --verify compares src/db/schema.ts with what it would generate from this database.
    const { stdout } = await run('npx', ['--no-install', 'kysely-codegen', '--verify', '--url', t.url], {
      cwd: projectDir,
    });
    expect(stdout).toMatch(/up-to-date/i);
  });

  it('enforce the idempotency keys and the closed vocabularies', async () => {
    const message = {
      mailbox: 'INBOX',
      uidvalidity: 7,
      uid: 1,
      message_id: '<a@x>',
      raw_sha256: 'a'.repeat(64),
      raw_size: 3,
    };
    await t.db.insertInto('messages').values(message).execute();
    // The same IMAP message again, and the same Message-ID under another UID: both refused by the keys.
    await expect(
      t.db
        .insertInto('messages')
        .values({ ...message, message_id: '<b@x>' })
        .execute(),
    ).rejects.toThrow(/messages_mailbox_uid/);
    await expect(
      t.db
        .insertInto('messages')
        .values({ ...message, uid: 2 })
        .execute(),
    ).rejects.toThrow(/messages_message_id/);
    await expect(
      t.db
        .insertInto('agencies')
        .values({ code: 'x', name: 'X', kind: 'province' as never })
        .execute(),
    ).rejects.toThrow(/check constraint/);
    await expect(
      t.db
        .insertInto('outbox')
        .values({ kind: 'digest', dedupe_key: 'k', to_addresses: [], subject: 's', html: 'h', text: 't' })
        .execute(),
    ).rejects.toThrow(/check constraint/);
  });

  it('survive the server dropping an idle connection: reported, replaced, no crash', async () => {
    const errors: Error[] = [];
    const db = createDatabase(t.url, 2, (err) => errors.push(err));
    await sql`select 1`.execute(db);
    await sql`select pg_terminate_backend(pid) from pg_stat_activity
      where datname = current_database() and pid <> pg_backend_pid() and application_name = ''`.execute(t.db);
    await waitFor(() => errors.length > 0, { what: 'the dropped connection to be reported' });
    expect(errors.length).toBeGreaterThan(0);
    expect((await sql<{ one: number }>`select 1 as one`.execute(db)).rows[0]?.one).toBe(1);
    await db.destroy();
  });

  it('prepare each statement once per connection, and recover when a migration changes a table under it', async () => {
    const db = createDatabase(t.url, 1);
    const agencyColumns = async () =>
      Object.keys(
        (await db.selectFrom('agencies').selectAll().where('id', '>', '0').limit(1).execute())[0] ?? {},
      );
    await db
      .insertInto('agencies')
      .values({ code: 'prep-test', name: 'Prepared', kind: 'department' })
      .execute();
    const before = await agencyColumns();
    expect(before).toContain('code');
    const prepared = await sql<{ n: string }>`select count(*) as n from pg_prepared_statements`.execute(db);
    expect(Number(prepared.rows[0]?.n)).toBeGreaterThan(0);

    await sql`alter table agencies add column prep_probe text`.execute(t.db);
    // At most one call fails (the server's "cached plan must not change result type"); the next is re-prepared.
    const after = await agencyColumns().catch(() => agencyColumns());
    expect(after).toEqual([...before, 'prep_probe']);
    await sql`alter table agencies drop column prep_probe`.execute(t.db);
    await db.deleteFrom('agencies').where('code', '=', 'prep-test').execute();
    await db.destroy();
  });

  it('run a reusable query with the values of each call, built once, alone or in a transaction', async () => {
    const db = createDatabase(t.url, 2);
    let builds = 0;
    const byCode = reusableQuery((q, p: { code: string; kind: 'department' | 'district' }) => {
      builds++;
      return q
        .selectFrom('agencies')
        .select(['code', 'name'])
        .where('code', '=', p.code)
        .where('kind', '=', p.kind)
        .where('active', '=', true);
    });
    const rename = reusableQuery((q, p: { code: string; name: string }) =>
      q.updateTable('agencies').set({ name: p.name }).where('code', '=', p.code).returning(['code', 'name']),
    );
    await db
      .insertInto('agencies')
      .values([
        { code: 'reuse-a', name: 'Sở A', kind: 'department' },
        { code: 'reuse-b', name: 'Quận B', kind: 'district' },
      ])
      .execute();
    expect(await byCode(db, { code: 'reuse-a', kind: 'department' })).toEqual([
      { code: 'reuse-a', name: 'Sở A' },
    ]);
    expect(await byCode(db, { code: 'reuse-b', kind: 'district' })).toEqual([
      { code: 'reuse-b', name: 'Quận B' },
    ]);
    expect(await byCode(db, { code: 'reuse-b', kind: 'department' })).toEqual([]);
    await db.transaction().execute(async (trx) => {
      expect(await rename(trx, { code: 'reuse-b', name: 'Quận Bê' })).toEqual([
        { code: 'reuse-b', name: 'Quận Bê' },
      ]);
      expect(await byCode(trx, { code: 'reuse-b', kind: 'district' })).toEqual([
        { code: 'reuse-b', name: 'Quận Bê' },
      ]);
    });
    expect(builds).toBe(1);
    // A missing value is refused, not sent as null.
    await expect(byCode(db, { code: 'reuse-a' } as never)).rejects.toThrow(ReusableQueryError);
    // A query of a few shapes (here: how many codes) is built once per shape.
    const shapesBuilt: string[] = [];
    const byCodes = reusableQueryByShape((q, p: Record<string, string>, shape) => {
      shapesBuilt.push(shape);
      const codes = Array.from({ length: Number(shape) }, (_, i) => p[`code${i}`] as string);
      return q.selectFrom('agencies').select('code').where('code', 'in', codes).orderBy('code');
    });
    expect(await byCodes(db, '1', { code0: 'reuse-a' })).toEqual([{ code: 'reuse-a' }]);
    expect(await byCodes(db, '2', { code0: 'reuse-b', code1: 'reuse-a' })).toEqual([
      { code: 'reuse-a' },
      { code: 'reuse-b' },
    ]);
    expect(await byCodes(db, '1', { code0: 'reuse-b' })).toEqual([{ code: 'reuse-b' }]);
    expect(shapesBuilt).toEqual(['1', '2']);
    await db.deleteFrom('agencies').where('code', 'in', ['reuse-a', 'reuse-b']).execute();
    await db.destroy();
  });

  it('roll back to an empty database and forward again', async () => {
    await migrateDownAll(t.db);
    expect(await tableNames(t)).toEqual(['kysely_migration', 'kysely_migration_lock']);
    expect(await migrateToLatest(t.db)).toHaveLength(Object.keys(migrations).length);
    expect(await tableNames(t)).toContain('initiatives');
  });
});
