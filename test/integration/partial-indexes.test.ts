import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unansweredMessageIds } from '../../src/db/message.repository.js';
import { outboxBacklog } from '../../src/db/ops.repository.js';
import { claimDueOutbox, nextOutboxDue } from '../../src/db/outbox.repository.js';
import type { DB } from '../../src/db/schema.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

// Every statement is prepared once per connection, and after a few runs PostgreSQL may keep one generic plan for
// it, made without the values. A partial index (`where status = 'pending'`) can serve that plan only when the query
// itself states the predicate: with the value as a parameter, the mailer's claim read the whole outbox, sent mail
// and all, on every pass. Each statement that relies on a partial index is planned here as the generic plan would
// be, and must use its index.

describe('statements served by partial indexes', () => {
  let t: TestDatabase;
  let pool: pg.Pool;
  let db: Kysely<DB>;
  const statements: string[] = [];
  beforeAll(async () => {
    t = await createTestDatabase('partial-indexes');
    pool = new pg.Pool({ connectionString: t.url, max: 1 });
    db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool }),
      log: (event) => {
        if (event.level === 'query') statements.push(event.query.sql);
      },
    });
  });
  afterAll(async () => {
    await db.destroy();
    await t.drop();
  });

  /** The index names of the generic plan of the statement `run` sends (its last one). */
  async function genericPlanIndexes(run: () => Promise<unknown>): Promise<string[]> {
    statements.length = 0;
    await run();
    const text = statements.at(-1);
    if (!text) throw new Error('no statement was sent');
    const params = Math.max(0, ...[...text.matchAll(/\$(\d+)/g)].map((m) => Number(m[1])));
    const client = new pg.Client({ connectionString: t.url });
    await client.connect();
    try {
      await client.query('set plan_cache_mode = force_generic_plan');
      await client.query(`prepare probe as ${text}`);
      const args = params ? `(${Array.from({ length: params }, () => 'null').join(', ')})` : '';
      const plan = await client.query<{ 'QUERY PLAN': unknown }>(
        `explain (format json) execute probe${args}`,
      );
      return [...JSON.stringify(plan.rows[0]?.['QUERY PLAN']).matchAll(/"Index Name":"([^"]+)"/g)].map(
        (m) => m[1] as string,
      );
    } finally {
      await client.end();
    }
  }

  it('find the mail due to be sent through the index of pending mail, never the sent mail', async () => {
    expect(await genericPlanIndexes(() => claimDueOutbox(db, 10))).toContain('outbox_due');
    expect(await genericPlanIndexes(() => nextOutboxDue(db))).toContain('outbox_due');
    // What /metrics and the health check count, on every scrape.
    expect(await genericPlanIndexes(() => outboxBacklog(db))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^outbox_(due|pending)$/)]),
    );
  });

  it('look for settled messages left unanswered through the index of messages that may be answered', async () => {
    const hour = 3_600_000;
    expect(
      await genericPlanIndexes(() => unansweredMessageIds(db, new Date(Date.now() - hour), new Date())),
    ).toContain('messages_may_be_answered');
  });
});
