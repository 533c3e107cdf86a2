import { type Kysely, sql } from 'kysely';

// Password guessing is counted per address, per account and per pair of both, each attempt before its password
// is checked (one row per counter, updated under its row lock), instead of the failures per username and address
// counted after the check. Frozen: later changes go in new, later-dated migrations.
// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('login_throttle')
    // "user:<name>", "ip:<address>" or "pair:<name> <address>".
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('attempts', 'integer', (c) => c.notNull().check(sql`attempts >= 0`))
    .addColumn('last_attempt_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('login_throttle_last').on('login_throttle').column('last_attempt_at').execute();
  await db.schema.dropTable('staff_login_failures').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: a migration describes the past, not today's types
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('staff_login_failures')
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('staff_login_failures_pkey', ['username', 'ip'])
    .execute();
  await db.schema.dropTable('login_throttle').execute();
}
