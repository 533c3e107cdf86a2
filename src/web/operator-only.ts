import type { RequestHandler } from 'express';
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
