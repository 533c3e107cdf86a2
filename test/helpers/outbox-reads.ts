import type { Database } from '../../src/db/database.js';

// What the mail tests read of the outbox.

/** Where one outbox mail stands: its status, how many attempts it had and the last error. */
export const outboxAttempts = (db: Database, id: string) =>
  db
    .selectFrom('outbox')
    .select(['status', 'attempts', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
