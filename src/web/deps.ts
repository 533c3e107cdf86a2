import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { MailRenderer } from '../mail/render.js';
import type { Queues } from '../queue/queues.js';
import type { Database } from '../registry/views/console-queries.js';

/**
 * What the console needs from its process: the database, settings, a logger and the time; the queues and the
 * mail templates for the actions that send a mail or hand work to another process.
 */
export interface ConsoleDeps {
  db: Database;
  config: Config;
  log: Logger;
  clock: { now(): Date };
  queues: Queues;
  renderer: MailRenderer;
  /** Folder of the console's templates (templates/web). */
  templatesDir: string;
}
