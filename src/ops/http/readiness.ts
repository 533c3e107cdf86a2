import type { Request, RequestHandler, Response } from 'express';
import { databaseAnswers, lastPoll } from '../../db/ops.repository.js';
import { senderAuthWarning } from '../../mail/auth-results.js';
import type { Runtime } from '../runtime.js';
import type { Access } from './operator-access.js';

export interface ReadyState {
  ready: boolean;
  checks: { postgres: boolean; redis: boolean; poller: boolean };
  lastPollAt: string | null;
}

/** Ready when PostgreSQL and Redis answer and a poller finished a pass within two poll intervals. */
async function readiness(runtime: Runtime): Promise<ReadyState> {
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
export function cachedReadiness(runtime: Runtime, check = readiness): () => Promise<ReadyState> {
  let last: { at: number; state: Promise<ReadyState> } | null = null;
  return () => {
    if (!last || Date.now() - last.at >= 1000) last = { at: Date.now(), state: check(runtime) };
    return last.state;
  };
}

/**
 * /readyz: the same status and `{"ready": …}` to everyone (a load balancer, a guesser); the checks, the last poll
 * and the warnings only to an operator or a scraper. Credentials that are wrong, or throttled, are counted and
 * logged by `identify`, and answered like no credentials at all.
 */
export function readyzRoute(
  runtime: Runtime,
  identify: (req: Request, res: Response, o: { token: boolean }) => Promise<Access>,
): RequestHandler {
  const ready = cachedReadiness(runtime);
  const warning = senderAuthWarning(runtime.config);
  return async (req, res) => {
    // Without PostgreSQL nobody can be identified: the answer is then the anonymous one.
    const anonymous: Access = { kind: 'anonymous' };
    const [state, access] = await Promise.all([
      ready(),
      identify(req, res, { token: true }).catch(() => anonymous),
    ]);
    res.status(state.ready ? 200 : 503).setHeader('Cache-Control', 'no-store');
    if (access.kind !== 'operator' && access.kind !== 'scraper') return void res.json({ ready: state.ready });
    res.json({ ...state, warnings: warning ? [warning] : [] });
  };
}
