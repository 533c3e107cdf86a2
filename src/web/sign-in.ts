import type { Request, Response, Router } from 'express';
import { signIn } from '../staff/staff-accounts.js';
import { cookieHeader, readCookies } from './cookies.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import {
  type cookieNames,
  newToken,
  safeNext,
  sameOrigin,
  sameSecret,
  sessionOf,
  sessionPolicy,
} from './session.js';

/** What the sign-in and account pages share with the rest of the console. */
export interface SignInContext {
  deps: ConsoleDeps;
  page: PageRenderer;
  /** The answer to a request that did not come from the console's own pages. */
  refuse: (req: Request, res: Response) => void;
  names: ReturnType<typeof cookieNames>;
  secure: boolean;
  /** Settles once the ADMIN_USER operator account exists. */
  operatorReady: Promise<void>;
}

/** The sign-in page and form (before any session exists). */
export function registerSignIn(router: Router, ctx: SignInContext): void {
  const { deps, page, refuse, names, secure, operatorReady } = ctx;
  const loginForm = (
    req: Request,
    res: Response,
    view: { error?: string; username?: string },
    status = 200,
  ) => {
    let token = readCookies(req.headers.cookie).get(names.login);
    if (!token) {
      token = newToken();
      res.append('Set-Cookie', cookieHeader(names.login, token, { secure }));
    }
    page(
      res,
      'login',
      {
        title: 'Đăng nhập',
        loginToken: token,
        next: safeNext(req.query.next ?? req.body?.next),
        changed: req.query.changed === '1',
        ...view,
      },
      status,
    );
  };

  router.get('/login', (req, res) => {
    if (sessionOf(res)) return res.redirect(303, safeNext(req.query.next));
    loginForm(req, res, {});
  });

  router.post('/login', async (req, res) => {
    // Before a session exists, the form's token is checked against a cookie of its own (double submit), and
    // the request must come from this site: nobody can sign a browser in to another account from outside.
    const cookieToken = readCookies(req.headers.cookie).get(names.login) ?? '';
    const formToken = typeof req.body?._login === 'string' ? req.body._login : '';
    if (!sameOrigin(req) || !cookieToken || !sameSecret(cookieToken, formToken)) return refuse(req, res);
    const username = typeof req.body.username === 'string' ? req.body.username : '';
    const password = typeof req.body.password === 'string' ? req.body.password : '';
    if (!username || !password)
      return loginForm(req, res, { error: 'Hãy nhập tên đăng nhập và mật khẩu.', username }, 400);
    await operatorReady;
    const result = await signIn(
      deps.db,
      { username, password, ip: req.ip ?? 'unknown' },
      sessionPolicy(deps),
      deps.clock.now(),
    );
    if (!result.ok) {
      // The address and its count of attempts; an account's name only when it exists (what was typed in the
      // username field may be a password).
      const logged = { ip: req.ip, attempts: result.attempts, account: result.account };
      if (result.reason === 'throttled') {
        res.setHeader('Retry-After', String(result.retryAfterSeconds));
        deps.log.warn(
          { ...logged, retryAfterSeconds: result.retryAfterSeconds },
          'console sign-in throttled',
        );
        return loginForm(
          req,
          res,
          {
            error: `Đăng nhập sai quá nhiều lần. Hãy thử lại sau ${result.retryAfterSeconds} giây.`,
            username,
          },
          429,
        );
      }
      deps.log.warn(logged, 'console sign-in failed');
      return loginForm(req, res, { error: 'Tên đăng nhập hoặc mật khẩu không đúng.', username }, 401);
    }
    deps.log.info({ username: result.account.username }, 'console sign-in');
    res.append('Set-Cookie', cookieHeader(names.session, result.token, { secure }));
    res.redirect(303, safeNext(req.body.next));
  });
}
