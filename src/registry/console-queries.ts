import type { Db } from '../db/database.js';

// Read-only questions the staff console asks that no operation answers yet. Each is a thin call into a
// repository: no rule of the office lives here.

export type { Db };
