import { timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { databaseAnswers, lastPoll } from '../../db/ops.repository.js';
import { ConfigError } from '../../errors.js';
import { createConsole } from '../../web/console.js';
import { projectRoot } from '../project-root.js';
import type { Runtime } from '../runtime.js';
import { createMetrics } from './metrics.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/;

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Basic authentication with the configured operator credentials. */
function basicAuth(user: string, password: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const [scheme, encoded] = header.split(' ');
    if (scheme === 'Basic' && encoded) {
      const decoded = Buffer.from(encoded, 'base64').toString('utf8');
      const at = decoded.indexOf(':');
      if (at > 0 && sameSecret(decoded.slice(0, at), user) && sameSecret(decoded.slice(at + 1), password))
        return next();
    }
    res.setHeader('WWW-Authenticate', 'Basic realm="reform-inbox", charset="UTF-8"');
    res.status(401).send('Authentication required');
  };
}

export interface ReadyState {
  ready: boolean;
  checks: { postgres: boolean; redis: boolean; poller: boolean };
  lastPollAt: string | null;
}

/** Ready when PostgreSQL and Redis answer and a poller finished a pass within two poll intervals. */
export async function readiness(runtime: Runtime): Promise<ReadyState> {
  const within = <T>(p: Promise<T>) =>
    Promise.race([
      p,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000)),
    ]);
  const postgres = await within(databaseAnswers(runtime.db)).catch(() => false);
  const redis = await within(runtime.redis.ping()).then(
    (r) => r === 'PONG',
    () => false,
  );
  const at = postgres ? await lastPoll(runtime.db).catch(() => null) : null;
  const poller =
    at !== null && Date.now() - at.getTime() < 2 * runtime.config.IMAP_POLL_INTERVAL_SECONDS * 1000;
  return {
    ready: postgres && redis && poller,
    checks: { postgres, redis, poller },
    lastPollAt: at?.toISOString() ?? null,
  };
}

/**
 * The operators' HTTP surface: Bull Board at /admin/queues (behind basic auth), /healthz, /readyz and
 * /metrics. Without credentials it only starts on a loopback address.
 */
export function createOpsApp(runtime: Runtime): express.Express {
  const { config } = runtime;
  const hasCredentials = Boolean(config.ADMIN_USER && config.ADMIN_PASSWORD);
  if (!hasCredentials && !LOOPBACK.test(config.HTTP_HOST)) {
    throw new ConfigError(
      'invalid_config',
      `Invalid configuration: ADMIN_USER and ADMIN_PASSWORD are required when HTTP_HOST (${config.HTTP_HOST}) is not a loopback address`,
    );
  }
  const app = express();
  app.disable('x-powered-by');

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  app.get('/readyz', async (_req, res) => {
    const state = await readiness(runtime);
    res.status(state.ready ? 200 : 503).json(state);
  });
  const metrics = createMetrics(runtime);
  app.get('/metrics', async (_req, res) => {
    try {
      res.type(metrics.contentType).send(await metrics.metrics());
    } catch (err) {
      runtime.log.warn({ err }, 'metrics could not be collected');
      res.status(503).send('metrics unavailable');
    }
  });

  const board = new ExpressAdapter();
  board.setBasePath('/admin/queues');
  createBullBoard({
    queues: [
      runtime.queues.parse,
      runtime.queues.acknowledge,
      runtime.queues.mail,
      runtime.queues.schedule,
    ].map((q) => new BullMQAdapter(q)),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'reform-inbox' } },
  });
  // The staff console owns every other path; Bull Board is for an operator's console session, or for the
  // configured credentials by basic authentication (scripts, and browsers without a session).
  if (config.HTTP_TRUST_PROXY > 0) app.set('trust proxy', config.HTTP_TRUST_PROXY);
  const staffConsole = createConsole({
    db: runtime.db,
    config,
    log: runtime.log.child({ component: 'console' }),
    clock: runtime.clock,
    templatesDir: join(projectRoot(), 'templates', 'web'),
  });
  app.use(
    '/admin',
    staffConsole.operatorOnly(
      hasCredentials ? basicAuth(config.ADMIN_USER ?? '', config.ADMIN_PASSWORD ?? '') : undefined,
    ),
  );
  app.use('/admin/queues', board.getRouter());
  app.use(staffConsole.router);
  return app;
}

export function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
