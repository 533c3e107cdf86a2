import type { Request, RequestHandler, Response } from 'express';
import { ensureOperatorAccount } from '../staff/staff-accounts.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { securityHeaders } from './security-headers.js';
import { loadSession, sessionOf } from './session.js';

/**
 * Guards the operator-only pages (the queue dashboard): an operator's session passes, a staff one is refused in
 * words; without a session, `fallback` (the configured credentials) decides, else the sign-in page.
 */
export function operatorOnly(
  deps: ConsoleDeps,
  page: PageRenderer,
  fallback?: RequestHandler,
): RequestHandler {
  const load = loadSession(deps);
  return (req, res, next) =>
    load(req, res, () => {
      const session = sessionOf(res);
      if (session?.account.role === 'operator') return next();
      if (session) {
        securityHeaders(req, res, () => undefined);
        return page(
          res,
          'message',
          {
            title: 'Không có quyền truy cập',
            message: 'Trang này chỉ dành cho tài khoản quản trị hệ thống.',
          },
          403,
        );
      }
      if (fallback) return fallback(req, res, next);
      res.redirect(303, `/login?next=${encodeURIComponent(req.originalUrl)}`);
    });
}

/** Whether the request carries the session of an operator account (the operators' /metrics and /readyz). */
export function operatorSession(deps: ConsoleDeps): (req: Request, res: Response) => Promise<boolean> {
  const load = loadSession(deps);
  return (req, res) =>
    new Promise((resolve, reject) => {
      Promise.resolve(load(req, res, () => resolve(sessionOf(res)?.account.role === 'operator'))).catch(
        reject,
      );
    });
}

/** The operator account named by ADMIN_USER/ADMIN_PASSWORD, made or reset before anyone signs in as them. */
export function settingsOperator(deps: ConsoleDeps): Promise<void> {
  const { ADMIN_USER, ADMIN_PASSWORD } = deps.config;
  if (!ADMIN_USER || !ADMIN_PASSWORD) return Promise.resolve();
  const said = {
    created: 'ADMIN_USER operator account created',
    password_reset: "ADMIN_USER operator account's password reset from ADMIN_PASSWORD; its sessions ended",
    left_disabled: 'ADMIN_USER names a disabled account: left disabled (reform staff enable to enable it)',
    left_staff: 'ADMIN_USER names a staff account: left staff, not made operator (choose another ADMIN_USER)',
  } as const;
  return ensureOperatorAccount(deps.db, ADMIN_USER, ADMIN_PASSWORD).then(
    ({ account, outcome }) => {
      if (outcome === 'unchanged') return;
      const warn = outcome === 'left_disabled' || outcome === 'left_staff';
      deps.log[warn ? 'warn' : 'info']({ account: account.username, outcome }, said[outcome]);
    },
    (err) => deps.log.error({ err }, 'the ADMIN_USER operator account could not be created'),
  );
}
