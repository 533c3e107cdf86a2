import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../../logger.js';
import type { Database } from '../../registry/views/console-queries.js';
import { checkScrapeToken, type OperatorCheck, operatorAuthenticator } from '../../staff/operator-auth.js';

/** Who is asking for an operators' page: an operator, a scraper with METRICS_TOKEN, nobody, or someone refused. */
export type Access =
  | { kind: 'operator' | 'scraper' | 'anonymous' }
  | { kind: 'refused'; status: 401 | 403 | 429; retryAfterSeconds?: number };

export interface OperatorAccessDeps {
  db: Database;
  metricsToken: string | undefined;
  log: Logger;
  clock: { now(): Date };
  /** Whether the request carries a console session of an operator account. */
  operatorSession(req: Request, res: Response): Promise<boolean>;
  /** Settles once the ADMIN_USER operator account is in place. */
  operatorReady: Promise<void>;
}

/** The scheme and value of an `Authorization` header. */
function authorization(req: Request): { scheme: string; value: string } | null {
  const header = req.headers.authorization ?? '';
  const space = header.indexOf(' ');
  if (space < 1) return null;
  return { scheme: header.slice(0, space).toLowerCase(), value: header.slice(space + 1).trim() };
}

/** The user and password of an `Authorization: Basic` value, or null. */
function basicCredentials(encoded: string): { username: string; password: string } | null {
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const at = decoded.indexOf(':');
  return at < 0 ? null : { username: decoded.slice(0, at), password: decoded.slice(at + 1) };
}

/**
 * Operators reach /admin/queues, /metrics and the detail of /readyz by a console session of an operator account,
 * HTTP basic authentication against the same accounts (throttled like the sign-in form), or, for /metrics and
 * /readyz, the scrapers' `Authorization: Bearer <METRICS_TOKEN>`. Every failure is logged with the address and its
 * count of attempts, never what was typed.
 */
export function operatorAccess(deps: OperatorAccessDeps) {
  const checkOperator = operatorAuthenticator(deps.db);
  const ip = (req: Request) => req.ip ?? 'unknown';

  const judged = (
    req: Request,
    result: OperatorCheck | { ok: true },
    kind: 'operator' | 'scraper',
  ): Access => {
    if (result.ok) return { kind };
    if (result.reason === 'not_operator') {
      deps.log.warn({ ip: ip(req), account: result.account }, 'operators only: a staff account was refused');
      return { kind: 'refused', status: 403 };
    }
    const logged = { ip: ip(req), attempts: result.attempts, account: result.account, path: req.path };
    if (result.reason === 'throttled') {
      deps.log.warn(
        { ...logged, retryAfterSeconds: result.retryAfterSeconds },
        'operator authentication throttled',
      );
      return { kind: 'refused', status: 429, retryAfterSeconds: result.retryAfterSeconds };
    }
    deps.log.warn(logged, 'operator authentication failed');
    return { kind: 'refused', status: 401 };
  };

  /** Who the request is; credentials that are given must be right (a wrong one is refused, never anonymous). */
  const identify = async (req: Request, res: Response, { token }: { token: boolean }): Promise<Access> => {
    const auth = authorization(req);
    const now = deps.clock.now();
    if (auth?.scheme === 'basic') {
      const given = basicCredentials(auth.value);
      if (!given)
        return judged(
          req,
          { ok: false, reason: 'wrong_credentials', attempts: 0, account: null },
          'operator',
        );
      await deps.operatorReady;
      return judged(req, await checkOperator({ ...given, ip: ip(req) }, now), 'operator');
    }
    if (auth?.scheme === 'bearer' && token) {
      const checked = await checkScrapeToken(
        deps.db,
        { token: auth.value, expected: deps.metricsToken, ip: ip(req) },
        now,
      );
      return judged(req, checked, 'scraper');
    }
    if (await deps.operatorSession(req, res)) return { kind: 'operator' };
    return { kind: 'anonymous' };
  };

  /** Answer a refused or anonymous request: 401 with the schemes it may use, 403, or 429 with Retry-After. */
  const refuse = (res: Response, access: Access, schemes: string): void => {
    const status = access.kind === 'refused' ? access.status : 401;
    if (access.kind === 'refused' && access.retryAfterSeconds)
      res.setHeader('Retry-After', String(access.retryAfterSeconds));
    if (status === 401) res.setHeader('WWW-Authenticate', schemes);
    res
      .status(status)
      .type('text')
      .send(
        status === 429
          ? 'Too many attempts: try again later'
          : status === 403
            ? 'Operators only'
            : 'Authentication required',
      );
  };

  /** A guard for the queue dashboard: basic authentication of an operator account (the session is checked before). */
  const basicOperator: RequestHandler = (req, res, next) => {
    identify(req, res, { token: false }).then((access) => {
      if (access.kind === 'operator') return next();
      refuse(res, access, 'Basic realm="reform-inbox", charset="UTF-8"');
    }, next);
  };

  return { identify, refuse, basicOperator };
}
