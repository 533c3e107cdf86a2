import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase } from '../../src/db/database.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// PostgreSQL restarted (or an administrator ending sessions) while a worker is in the middle of a transaction: the
// transaction fails and is retried by its job, the process lives on, and the pool's next connection works.

describe('a connection the server drops while it is in use', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase('database-dropped');
  });
  afterAll(() => database.drop());

  it('fails the transaction it was in, without ending the process, and is replaced', async () => {
    const db = createDatabase(database.url, 2);
    const uncaught: unknown[] = [];
    const record = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', record);
    try {
      const inTransaction = db.transaction().execute(async (trx) => {
        const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(trx);
        // Between two statements of the transaction, the server ends the session.
        await sql`select pg_terminate_backend(${rows[0]?.pid})`.execute(database.db);
        await new Promise((r) => setTimeout(r, 200));
        await sql`select 1`.execute(trx);
      });
      await expect(inTransaction).rejects.toThrow();
      const { rows } = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(rows).toEqual([{ one: 1 }]);
      expect(uncaught).toEqual([]);
    } finally {
      process.off('uncaughtException', record);
      await db.destroy();
    }
  });
});
