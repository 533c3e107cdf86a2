import type { Server } from 'node:http';
import { join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { isLoopbackHost } from '../../config.js';
import { ConfigError } from '../../errors.js';
import { createConsole } from '../../web/console.js';
import { projectRoot } from '../project-root.js';
import type { Runtime } from '../runtime.js';
import { hostAllowlist } from './host-allowlist.js';
import { createMetrics } from './metrics.js';
import { operatorAccess } from './operator-access.js';
import { opsHeaders } from './ops-headers.js';
import { readyzRoute } from './readiness.js';

/**
 * Refuse a changing request (anything but GET, HEAD, OPTIONS) whose Origin, or Referer when there is no
 * Origin, is not this server: a page elsewhere could otherwise make an operator's browser, which sends the
 * basic credentials by itself, retry or delete jobs (cross-site request forgery). Neither header: refused too.
 */
function sameOriginForChanges() {
  return (req: Request, res: Response, next: NextFunction) => {
    if (['GET', 'HEAD', 'OPTIONS'].includes(req.method)) return next();
    const claimed = req.get('origin') ?? req.get('referer');
    let host: string | null = null;
    try {
      host = claimed ? new URL(claimed).host.toLowerCase() : null;
    } catch {
      host = null;
    }
    if (host && host === (req.get('host') ?? '').toLowerCase()) return next();
    res.status(403).send('Cross-origin request refused');
  };
}

/**
 * The operators' HTTP surface: Bull Board at /admin/queues, /healthz, /readyz and /metrics, and the staff console
 * on every other path. Operators are the console's operator accounts (src/ops/http/operator-access.ts). Without
 * ADMIN_USER/ADMIN_PASSWORD it only starts on a loopback address.
 */
export function createOpsApp(runtime: Runtime): express.Express {
  const { config } = runtime;
  const hasCredentials = Boolean(config.ADMIN_USER && config.ADMIN_PASSWORD);
  if (!hasCredentials && !isLoopbackHost(config.HTTP_HOST)) {
    throw new ConfigError(
      'invalid_config',
      `Invalid configuration: ADMIN_USER and ADMIN_PASSWORD are required when HTTP_HOST (${config.HTTP_HOST}) is not a loopback address`,
    );
  }
  const app = express();
  app.disable('x-powered-by');
  // The client's address (what sign-in throttling counts by) from the proxies' X-Forwarded-For, as many as trusted.
  if (config.HTTP_TRUST_PROXY > 0) app.set('trust proxy', config.HTTP_TRUST_PROXY);
  app.use(opsHeaders(config));
  app.use(hostAllowlist(config, runtime.log));

  // Open and cheap: touches neither PostgreSQL nor Redis.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });

  const staffConsole = createConsole({
    db: runtime.db,
    config,
    log: runtime.log.child({ component: 'console' }),
    clock: runtime.clock,
    queues: runtime.queues,
    renderer: runtime.renderer,
    templatesDir: join(projectRoot(), 'templates', 'web'),
  });
  const access = operatorAccess({
    db: runtime.db,
    metricsToken: config.METRICS_TOKEN,
    log: runtime.log.child({ component: 'ops-auth' }),
    clock: runtime.clock,
    operatorSession: staffConsole.isOperator,
    operatorReady: staffConsole.operatorReady,
  });

  app.get('/readyz', readyzRoute(runtime, access.identify));
  // Each scrape runs database and Redis queries: for a scraper (METRICS_TOKEN) or an operator only, on any address.
  const metrics = createMetrics(runtime);
  app.get('/metrics', async (req, res) => {
    const who = await access.identify(req, res, { token: true });
    if (who.kind !== 'operator' && who.kind !== 'scraper')
      return access.refuse(res, who, 'Bearer realm="reform-inbox metrics", Basic realm="reform-inbox"');
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
    queues: [runtime.queues.parse, runtime.queues.acknowledge, runtime.queues.schedule].map(
      (q) => new BullMQAdapter(q),
    ),
    serverAdapter: board,
    options: { uiConfig: { boardTitle: 'reform-inbox' } },
  });
  // Bull Board is for an operator's console session, or an operator account by basic authentication (scripts).
  app.use('/admin', staffConsole.operatorOnly(access.basicOperator));
  app.use('/admin/queues', sameOriginForChanges(), board.getRouter());
  // The staff console owns every other path.
  app.use(staffConsole.router);
  return app;
}

export function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
