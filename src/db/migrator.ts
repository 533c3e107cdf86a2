import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { AppError } from '../errors.js';
import { migrations } from './migrations/index.js';

class MigrationError extends AppError<'migration_failed'> {}

// Migrations work below the app's table types: any Kysely instance will do.
// biome-ignore lint/suspicious/noExplicitAny: the Migrator itself takes Kysely<any>
type AnyDb = Kysely<any>;

function migrator(db: AnyDb): Migrator {
  return new Migrator({ db, provider: { getMigrations: async () => migrations } });
}

function check(result: MigrationResultSet, direction: string): string[] {
  const failed = result.results?.find((r) => r.status === 'Error');
  if (result.error || failed) {
    throw new MigrationError(
      'migration_failed',
      `Migration ${direction} failed${failed ? ` at ${failed.migrationName}` : ''}`,
      { migration: failed?.migrationName },
      { cause: result.error },
    );
  }
  return (result.results ?? []).map((r) => r.migrationName);
}

/** Bring the schema to the latest migration; returns the names applied now (empty when up to date). */
export async function migrateToLatest(db: AnyDb): Promise<string[]> {
  return check(await migrator(db).migrateToLatest(), 'up');
}

/** Undo every migration (tests and `reform db reset`). */
export async function migrateDownAll(db: AnyDb): Promise<string[]> {
  const m = migrator(db);
  const names: string[] = [];
  for (;;) {
    const applied = (await m.getMigrations()).filter((x) => x.executedAt);
    if (applied.length === 0) return names;
    names.push(...check(await m.migrateDown(), 'down'));
  }
}

/** Names of the migrations and whether each has run. */
export async function migrationStatus(db: AnyDb): Promise<{ name: string; executedAt: Date | null }[]> {
  return (await migrator(db).getMigrations()).map((m) => ({
    name: m.name,
    executedAt: m.executedAt ?? null,
  }));
}
