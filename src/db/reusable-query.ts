import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import { AppError } from '../errors.js';
import type { Db } from './database.js';
import type { DB } from './schema.js';

/** Stands for one named value while a reusable query is built. */
class Slot {
  constructor(readonly key: string) {}
}

/** A reusable query was called without one of its values: a bug in the caller. */
export class ReusableQueryError extends AppError<'missing_query_value'> {}

/**
 * A query whose shape is fixed and whose values change from call to call: built and compiled by kysely once,
 * on first use, then run with each call's values put in their places. Kysely otherwise builds every query
 * afresh (an immutable tree of frozen nodes, then the SQL text), which for the statements run for every
 * message was a visible share of a worker's CPU.
 *
 * `build` receives stand-ins for the values: it may only use them as values (compared, inserted, set), never
 * to decide the query's shape, and every value must be given (null, not undefined). Queries whose shape
 * depends on the input (a list of rows, optional filters) are built the ordinary way. The SQL is the same for
 * every database the project opens (no kysely plugin rewrites queries), so one compiled form serves them all.
 */
export function reusableQuery<P extends Record<string, unknown>, O>(
  build: (db: Kysely<DB>, values: P) => Compilable<O>,
): (db: Db, values: P) => Promise<O[]> {
  let compiled: Compiled<O> | undefined;
  return async (db, values) => {
    compiled ??= compile(db, build);
    return run(db, compiled, values);
  };
}

/**
 * A reusable query whose shape is one of a few, named by the caller's `shape` (which columns a row has, how many
 * rows): each shape is built and compiled once, as `reusableQuery` does, and `build` receives the shape's name
 * with the stand-ins. Past `maxShapes` shapes, a new one is built for each call.
 */
export function reusableQueryByShape<P extends Record<string, unknown>, O>(
  build: (db: Kysely<DB>, values: P, shape: string) => Compilable<O>,
  maxShapes = 64,
): (db: Db, shape: string, values: P) => Promise<O[]> {
  const shapes = new Map<string, Compiled<O>>();
  return async (db, shape, values) => {
    let compiled = shapes.get(shape);
    if (!compiled) {
      compiled = compile(db, (k, standIns: P) => build(k, standIns, shape));
      if (shapes.size < maxShapes) shapes.set(shape, compiled);
    }
    return run(db, compiled, values);
  };
}

type Compiled<O> = { query: CompiledQuery<O>; slots: readonly (string | null)[] };

function compile<P extends Record<string, unknown>, O>(
  db: Db,
  build: (db: Kysely<DB>, values: P) => Compilable<O>,
): Compiled<O> {
  const standIns = new Proxy({} as P, { get: (_, key) => new Slot(String(key)) });
  const query = build(db, standIns).compile();
  return { query, slots: query.parameters.map((p) => (p instanceof Slot ? p.key : null)) };
}

async function run<P extends Record<string, unknown>, O>(db: Db, compiled: Compiled<O>, values: P) {
  const { query, slots } = compiled;
  const parameters = slots.map((key, i) => {
    if (key === null) return query.parameters[i];
    const value = values[key];
    if (value === undefined)
      throw new ReusableQueryError('missing_query_value', `no value for "${key}"`, {
        sql: query.sql.slice(0, 200),
      });
    return value;
  });
  const result = await db.executeQuery<O>({ ...query, parameters });
  return result.rows;
}
