import type { Migration } from 'kysely';
import * as initialSchema from './2026_11_26_1900_initial_schema.js';

/** Every migration, by name; the names sort in the order they run. */
export const migrations: Record<string, Migration> = {
  '2026_11_26_1900_initial_schema': initialSchema,
};
