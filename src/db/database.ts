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
  // A connection in use but between two statements (in a transaction, or held for a mail's sending) has no
  // listener of the pool's: the server dropping it then would be an unhandled 'error' that ends the process.
  // The error is the failure of the connection's next statement instead (the transaction fails, its job is
  // retried), and the pool discards the dead connection when it is given back.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: preparingPool(pool) }) });
}

// The few hundred distinct statements the application runs are each prepared once per connection: the server
// parses and plans a statement once instead of on every call. Past the cap (a query whose text varies with its
// input, say), statements run unprepared.
const MAX_PREPARED = 500;
const statementNames = new Map<string, string>();
let generation = 0;
function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (!name && statementNames.size < MAX_PREPARED) {
    name = `reform_${++generation}`;
    statementNames.set(text, name);
  }
  return name;
}

/** Postgres refuses a prepared `select *` whose table changed under it (a migration while workers run). */
const isStalePlan = (err: unknown) =>
  (err as { code?: string }).code === '0A000' && /cached plan must not change result type/.test(String(err));

/** A pooled client whose parameterized queries run as named (prepared) statements; made once per connection. */
function preparingClient(client: pg.PoolClient): pg.PoolClient {
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  return Object.assign(Object.create(client) as pg.PoolClient, {
    async query(text: unknown, values?: unknown[]) {
      const name = typeof text === 'string' && values?.length ? statementName(text) : undefined;
      if (!name) return query(text, values);
      try {
        return await query({ name, text, values });
      } catch (err) {
        // This call fails (its transaction is aborted anyway); the statement is prepared afresh next time.
        if (isStalePlan(err) && statementNames.get(text as string) === name)
          statementNames.set(text as string, `reform_${++generation}`);
        throw err;
      }
    },
  });
}

function preparingPool(pool: pg.Pool) {
  const wrapped = new WeakMap<pg.PoolClient, pg.PoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let prepared = wrapped.get(client);
      if (!prepared) {
        prepared = preparingClient(client);
        wrapped.set(client, prepared);
      }
      return prepared;
    },
    end: () => pool.end(),
  };
}
