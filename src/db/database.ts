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
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}

// The few hundred distinct statements the application runs are each prepared once per connection: the server
// parses and plans a statement once instead of on every call. Past the cap (a query whose text varies with its
// input, say), statements run unprepared.
const MAX_PREPARED = 500;
const statementNames = new Map<string, string>();
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED) {
    name = `reform_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

function preparingPool(pool: pg.Pool) {
  return {
    async connect() {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
      return Object.assign(Object.create(client) as pg.PoolClient, {
        query(text: unknown, values?: unknown[]) {
          if (typeof text !== 'string' || !values || values.length === 0) return query(text, values);
          const name = statementName(text);
          return query(name ? { name, text, values } : text, name ? undefined : values);
        },
      });
    },
    end: () => pool.end(),
  };
}
