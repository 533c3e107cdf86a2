import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Database } from '../registry/console-queries.js';

/** What the console needs from its process: the database, settings, a logger and the time. */
export interface ConsoleDeps {
  db: Database;
  config: Config;
  log: Logger;
  clock: { now(): Date };
  /** Folder of the console's templates (templates/web). */
  templatesDir: string;
}
