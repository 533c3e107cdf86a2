import { join } from 'node:path';
import type { Redis } from 'ioredis';
import type { Config } from '../config.js';
import { type JobDeps, systemClock } from '../jobs/job-deps.js';
import { MailRenderer } from '../mail/render.js';
import { createMailTransport, type MailTransport } from '../mail/transport.js';
import { createRedis, openQueues } from '../queue/queues.js';
import { openAppContext, warnOfSenderCheck } from './app-context.js';
import { projectRoot } from './project-root.js';

/**
 * Everything a process of the pipeline needs: the app context, Redis and the queues, the mail transport and
 * templates. The mailer needs less (`openSendingContext`).
 */
export interface Runtime extends JobDeps {
  redis: Redis;
  close(): Promise<void>;
}

/** The app context and the rest a process needs; `close()` closes in reverse order of opening. */
export function openRuntime(config: Config, component: string): Runtime {
  const ctx = openAppContext(config, component);
  const { log } = ctx;
  warnOfSenderCheck(config, log);
  const redis = createRedis(config.REDIS_URL);
  redis.on('error', (err) => log.warn({ err }, 'redis connection error'));
  const queues = openQueues(redis, config.QUEUE_PREFIX, (err) =>
    log.debug({ err }, 'queue connection error'),
  );
  // Made when first used: the poller renders and sends nothing, the parser only renders.
  let transport: MailTransport | undefined;
  let renderer: MailRenderer | undefined;
  return {
    config,
    log,
    db: ctx.db,
    redis,
    queues,
    get transport() {
      transport ??= createMailTransport(config);
      return transport;
    },
    get renderer() {
      renderer ??= new MailRenderer(join(projectRoot(), 'templates'));
      return renderer;
    },
    clock: systemClock,
    close: async () => {
      transport?.close();
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
      await ctx.close();
    },
  };
}
