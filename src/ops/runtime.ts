import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import type { JobDeps } from '../jobs/job-deps.js';
import { MailRenderer } from '../mail/render.js';
import { createRedis, openQueues } from '../queue/queues.js';
import { openSendingContext } from './app-context.js';
import { projectRoot } from './project-root.js';

/**
 * Everything a process of the pipeline needs: the app context, Redis and the queues, the mail transport and
 * templates. The mailer needs less (`openSendingContext`).
 */
export interface Runtime extends JobDeps {
  redis: Redis;
  close(): Promise<void>;
}

/**
 * The sending context (app context, mail transport, clock) and the rest a process needs: Redis, the queues, the
 * templates. `close()` closes in reverse order of opening.
 */
export function openRuntime(config: Config, component: string): Runtime {
  const sending = openSendingContext(config, component);
  const { log } = sending;
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const queues = openQueues(redis, config.QUEUE_PREFIX, (err) =>
    log.debug({ err }, 'queue connection error'),
  );
  // Made when first used: the poller renders and sends nothing, the parser only renders.
  let renderer: MailRenderer | undefined;
  return {
    config,
    log,
    db: sending.db,
    redis,
    queues,
    get transport() {
      return sending.transport;
    },
    get renderer() {
      renderer ??= new MailRenderer(join(projectRoot(), 'templates'));
      return renderer;
    },
    clock: sending.clock,
    close: async () => {
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await sending.close();
    },
  };
}
