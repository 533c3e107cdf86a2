import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { createDatabase, type Database } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrator.js';

export interface TestDatabase {
  url: string;
  db: Database;
  drop(): Promise<void>;
}

/** The services' database URL (the default config, or DATABASE_URL from the environment). */
export const baseDatabaseUrl = () => loadConfig({ DATABASE_URL: process.env.DATABASE_URL }).DATABASE_URL;

function withDatabaseName(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>, base = baseDatabaseUrl()): Promise<T> {
  const client = new pg.Client({ connectionString: withDatabaseName(base, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database of its own for one test file; migrated unless `migrate: false`. */
export async function createTestDatabase(
  label: string,
  opts: { migrate?: boolean; baseUrl?: string } = {},
): Promise<TestDatabase> {
  const base = opts.baseUrl ?? baseDatabaseUrl();
  const name = `t_${label.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${randomBytes(4).toString('hex')}`;
  await admin((c) => c.query(`create database "${name}"`), base);
  const url = withDatabaseName(base, name);
  const db = createDatabase(url, 4);
  if (opts.migrate !== false) await migrateToLatest(db);
  return {
    url,
    db,
    drop: async () => {
      await db.destroy();
      await admin((c) => c.query(`drop database if exists "${name}" with (force)`), base).catch(
        () => undefined,
      );
    },
  };
}
