import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import { signOut } from '../staff/staff-accounts.js';
import { registerAccount } from './account.js';
import { registerActions } from './actions.js';
import { cookieHeader, readCookies } from './cookies.js';
import type { ConsoleDeps } from './deps.js';
import { operatorOnly, operatorSession, settingsOperator } from './operator-only.js';
import { pageRenderer } from './page-renderer.js';
import { registerPages } from './pages.js';
import { securityHeaders } from './security-headers.js';
import { cookieNames, guardChanges, loadSession, requireSignIn } from './session.js';
import { registerSignIn } from './sign-in.js';
import { ConsoleViews } from './views.js';

export interface Console {
  /** The console's pages: mount at the root of the ops server, after its own endpoints. */
  router: Router;
  /** Guards the operator-only pages (the queue dashboard): an operator's session passes, a staff one is refused. */
  operatorOnly(fallback?: RequestHandler): RequestHandler;
  /** Whether the request carries the session of an operator account (for /metrics and /readyz). */
  isOperator(req: Request, res: Response): Promise<boolean>;
  /** Settles once the ADMIN_USER operator account is in place. */
  operatorReady: Promise<void>;
}

export function createConsole(deps: ConsoleDeps): Console {
  const views = new ConsoleViews(deps.templatesDir, deps.config.TIME_ZONE);
  const secure = deps.config.CONSOLE_SECURE_COOKIES;
  const names = cookieNames(secure);
  const css = readFileSync(join(deps.templatesDir, 'static', 'console.css'));

  const operatorReady = settingsOperator(deps);

  const page = pageRenderer(views);
  const refuse = (_req: Request, res: Response) =>
    page(
      res,
      'message',
      {
        title: 'Yêu cầu bị từ chối',
        message:
          'Yêu cầu không đến từ trang của hệ thống hoặc phiên làm việc đã thay đổi. Không có gì bị thay đổi. Hãy tải lại trang và thử lại.',
      },
      403,
    );

  const router = Router();
  router.use(securityHeaders);
  router.get('/static/console.css', (_req, res) => {
    res.type('css').setHeader('Cache-Control', 'public, max-age=3600').send(css);
  });
  // Browsers ask for it on every first visit; an empty answer keeps the log free of 404s.
  router.get('/favicon.ico', (_req, res) => {
    res.setHeader('Cache-Control', 'public, max-age=86400').status(204).end();
  });
  router.use(loadSession(deps));
  router.use(express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }));
  router.use((_req, res, next) => {
    // Signed-in pages show a person's work: never from a shared cache, nor from the back button after logout.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });

  const signInContext = { deps, page, refuse, names, secure, operatorReady };
  registerSignIn(router, signInContext);

  router.use(guardChanges(deps, refuse));

  router.post('/logout', async (req, res) => {
    const token = readCookies(req.headers.cookie).get(names.session) ?? '';
    await signOut(deps.db, token);
    res.append('Set-Cookie', cookieHeader(names.session, '', { secure, maxAge: 0 }));
    res.redirect(303, '/login');
  });

  router.use(requireSignIn);

  registerAccount(router, signInContext);
  registerActions(router, deps, page);
  registerPages(router, deps, page);
  router.use((_req, res) => {
    page(res, 'message', { title: 'Không tìm thấy', message: 'Không có trang này.' }, 404);
  });
  // A failure is logged with its detail and shown to the person in words, never as a stack trace.
  router.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    deps.log.error({ err, path: req.path }, 'console page failed');
    if (res.headersSent) return;
    page(
      res,
      'message',
      {
        title: 'Lỗi hệ thống',
        message:
          'Trang chưa hiển thị được do lỗi của hệ thống. Hãy thử lại sau ít phút; nếu vẫn lỗi, báo cán bộ vận hành.',
      },
      500,
    );
  });

  return {
    router,
    operatorOnly: (fallback) => operatorOnly(deps, page, fallback),
    isOperator: operatorSession(deps),
    operatorReady,
  };
}
