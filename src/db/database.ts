import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { DB } from './schema.js';

export type Database = Kysely<DB>;
/** A database or a transaction on it: what repository functions take, so a caller can pass a transaction. */
export type Db = Database | Transaction<DB>;

// `date` columns are calendar days in the campaign's time zone: keep them as 'YYYY-MM-DD' strings instead of
// letting pg turn them into a Date at the server's local midnight.
const DATE_OID = 1082;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === DATE_OID
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A Kysely instance over a pg pool; the caller owns it and calls `destroy()`. An idle connection the server
 * drops (a restart, an administrator) is reported to `onIdleError` and replaced: it must not crash the process.
 */
export function createDatabase(
  url: string,
  poolSize = 10,
  onIdleError: (err: Error) => void = () => undefined,
): Database {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  pool.on('error', onIdleError);
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}
