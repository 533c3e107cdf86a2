import type { Config } from '../config.js';
import type { Database } from '../db/database.js';
import type { Logger } from '../logger.js';
import type { MailRenderer } from '../mail/render.js';
import type { MailTransport } from '../mail/transport.js';
import type { Queues } from '../queue/queues.js';

export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What the job handlers use, passed in by the worker process (tests build their own). */
export interface JobDeps {
  config: Config;
  db: Database;
  log: Logger;
  queues: Queues;
  renderer: MailRenderer;
  transport: MailTransport;
  clock: Clock;
}
