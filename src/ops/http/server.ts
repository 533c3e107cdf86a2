import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { isLoopbackHost } from '../../config.js';
import { databaseAnswers, lastPoll } from '../../db/ops.repository.js';
import { ConfigError } from '../../errors.js';
import { senderAuthWarning } from '../../mail/auth-results.js';
import { createConsole } from '../../web/console.js';
import { projectRoot } from '../project-root.js';
import type { Runtime } from '../runtime.js';
import { createMetrics } from './metrics.js';

/**
 * Compare a secret in constant time, whatever the lengths: both sides are hashed to 32 bytes first, so neither
 * the length nor the first differing byte shows in the time taken.
 */
export function sameSecret(given: string, expected: string): boolean {
  const x = createHash('sha256').update(given).digest();
  const y = createHash('sha256').update(expected).digest();
  return timingSafeEqual(x, y);
}

/** The user and password of an `Authorization: Basic` header, or null. */
function basicCredentials(req: Request): { user: string; password: string } | null {
  const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
  if (scheme?.toLowerCase() !== 'basic' || !encoded) return null;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? null : { user: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

/** Whether the request carries the operators' credentials. Both fields are always compared (no early exit). */
function hasOperatorCredentials(req: Request, user: string, password: string): boolean {
  const given = basicCredentials(req);
  if (!given || !user || !password) return false;
  const userMatches = sameSecret(given.user, user);
  const passwordMatches = sameSecret(given.password, password);
  return userMatches && passwordMatches;
}

/** Whether the request carries `Authorization: Bearer <METRICS_TOKEN>`. */
function hasMetricsToken(req: Request, token: string | undefined): boolean {
  const [scheme, given] = (req.headers.authorization ?? '').split(' ');
  return Boolean(token) && scheme?.toLowerCase() === 'bearer' && sameSecret(given ?? '', token ?? '');
}

/** Basic authentication with the configured operator credentials. */
function basicAuth(user: string, password: string) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (hasOperatorCredentials(req, user, password)) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="reform-inbox", charset="UTF-8"');
    res.status(401).send('Authentication required');
  };
}

/**
 * Refuse a changing request (anything but GET, HEAD, OPTIONS) whose Origin, or Referer when there is no
 * Origin, is not this server: a page elsewhere could otherwise make an operator's browser, which sends the
 * basic credentials by itself, retry or delete jobs (cross-site request forgery). Neither header: refused too.
 */
export function sameOriginForChanges() {
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

/** Readiness at most once a second, however many callers ask (the checks query PostgreSQL and Redis). */
function cachedReadiness(runtime: Runtime): () => Promise<ReadyState> {
  let last: { at: number; state: Promise<ReadyState> } | null = null;
  return () => {
    if (!last || Date.now() - last.at >= 1000) last = { at: Date.now(), state: readiness(runtime) };
    return last.state;
  };
}

/**
 * The operators' HTTP surface: Bull Board at /admin/queues (behind basic auth), /healthz, /readyz and
 * /metrics. Without credentials it only starts on a loopback address.
 */
export function createOpsApp(runtime: Runtime): express.Express {
  const { config } = runtime;
  const hasCredentials = Boolean(config.ADMIN_USER && config.ADMIN_PASSWORD);
  const loopback = isLoopbackHost(config.HTTP_HOST);
  if (!hasCredentials && !loopback) {
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
  // On a loopback-bound server every caller is on this machine; elsewhere details and metrics are for
  // operators (basic credentials) or a scraper (METRICS_TOKEN): each scrape runs database and Redis queries.
  const operator = (req: Request) =>
    loopback ||
    hasOperatorCredentials(req, config.ADMIN_USER ?? '', config.ADMIN_PASSWORD ?? '') ||
    hasMetricsToken(req, config.METRICS_TOKEN);
  const ready = cachedReadiness(runtime);
  const warning = senderAuthWarning(config);
  app.get('/readyz', async (req, res) => {
    const state = await ready();
    res.status(state.ready ? 200 : 503);
    if (!operator(req)) return void res.json({ ready: state.ready });
    res.json({ ...state, warnings: warning ? [warning] : [] });
  });
  const metrics = createMetrics(runtime);
  app.get('/metrics', async (req, res) => {
    if (!operator(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="reform-inbox metrics", Basic realm="reform-inbox"');
      return void res.status(401).send('Authentication required');
    }
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
    queues: runtime.queues,
    renderer: runtime.renderer,
    templatesDir: join(projectRoot(), 'templates', 'web'),
  });
  app.use(
    '/admin',
    staffConsole.operatorOnly(
      hasCredentials ? basicAuth(config.ADMIN_USER ?? '', config.ADMIN_PASSWORD ?? '') : undefined,
    ),
  );
  app.use('/admin/queues', sameOriginForChanges(), board.getRouter());
  app.use(staffConsole.router);
  return app;
}

export function listen(app: express.Express, host: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(server)));
  });
}
