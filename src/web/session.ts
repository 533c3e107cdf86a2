import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { sameSecret } from '../staff/same-secret.js';
import { type ConsoleSession, sessionFor } from '../staff/staff-accounts.js';
import { cookieHeader, readCookies } from './cookies.js';
import type { ConsoleDeps } from './deps.js';
import { field, read } from './request-input.js';

/** What the console knows of the request's signed-in person (set by `loadSession`). */
export interface ConsoleLocals {
  session?: ConsoleSession;
}

export const sessionOf = (res: Response): ConsoleSession | undefined => (res.locals as ConsoleLocals).session;

export function cookieNames(secure: boolean) {
  // The __Host- prefix makes the browser refuse the cookie unless Secure, host-only and Path=/: a sibling
  // subdomain cannot plant or overwrite it.
  return secure
    ? { session: '__Host-reform_console', login: '__Host-reform_login' }
    : { session: 'reform_console', login: 'reform_login' };
}

export const sessionPolicy = (deps: ConsoleDeps) => ({
  idleMs: deps.config.CONSOLE_SESSION_HOURS * 3600_000,
  maxMs: Math.max(deps.config.CONSOLE_SESSION_MAX_HOURS, deps.config.CONSOLE_SESSION_HOURS) * 3600_000,
});

/** Reads the session cookie; a stale or unknown one is cleared. */
export function loadSession(deps: ConsoleDeps): RequestHandler {
  const names = cookieNames(deps.config.CONSOLE_SECURE_COOKIES);
  return async (req, res, next) => {
    const token = readCookies(req.headers.cookie).get(names.session);
    if (token) {
      const session = await sessionFor(deps.db, token, sessionPolicy(deps), deps.clock.now());
      if (session) (res.locals as ConsoleLocals).session = session;
      else
        res.append(
          'Set-Cookie',
          cookieHeader(names.session, '', { secure: deps.config.CONSOLE_SECURE_COOKIES, maxAge: 0 }),
        );
    }
    next();
  };
}

/** Only a relative path of this site may be a place to return to after signing in. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])[^\s]*$/.test(value) && !value.startsWith('/login')
    ? value
    : '/';
}

/** Anonymous requests go to the sign-in page (and change nothing). */
export function requireSignIn(req: Request, res: Response, next: NextFunction): void {
  if (sessionOf(res)) {
    next();
    return;
  }
  const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/login${back}`);
}

/**
 * Whether a state-changing request comes from the console's own pages: its Origin (or, failing that, its
 * Referer) names this host. A cross-site form post carries the other site's origin and is refused.
 */
export function sameOrigin(req: Request): boolean {
  const host = req.headers.host;
  const source = req.headers.origin ?? req.headers.referer;
  if (!host || !source || source === 'null') return false;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

// Every form of a signed-in page carries the session's CSRF token.
const CsrfField = z.object({ _csrf: field.secret() });

/**
 * Every change (any method but GET and HEAD) needs a same-origin request, a signed-in session and the
 * session's CSRF token in the form's `_csrf` field; otherwise it is refused before any handler runs.
 */
export function guardChanges(
  deps: ConsoleDeps,
  refuse: (req: Request, res: Response) => void,
): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const session = sessionOf(res);
    const form = read(CsrfField, req.body);
    const token = form.ok ? form.input._csrf : '';
    if (!sameOrigin(req) || !session || !token || !sameSecret(token, session.csrfToken)) {
      deps.log.warn(
        { path: req.path, origin: req.headers.origin ?? null, signedIn: Boolean(session) },
        'console change refused: origin or CSRF token missing or wrong',
      );
      if (!session) return requireSignIn(req, res, next);
      return refuse(req, res);
    }
    next();
  };
}

export const newToken = () => randomBytes(24).toString('base64url');
