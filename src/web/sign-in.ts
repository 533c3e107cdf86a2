import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { sameSecret } from '../staff/same-secret.js';
import { signIn } from '../staff/staff-accounts.js';
import { cookieHeader, readCookies } from './cookies.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { addressReader, field, read } from './request-input.js';
import { type cookieNames, newToken, safeNext, sameOrigin, sessionOf, sessionPolicy } from './session.js';

// `next`: where to go once signed in (safeNext keeps it on the console); `changed=1`: after a password change.
const LoginAddress = z.object({
  next: field.optional(),
  changed: field.optional().transform((v) => v === '1'),
});
const LoginToken = z.object({ _login: field.secret() });
const LoginForm = z.object({ username: field.secret(), password: field.secret(), next: field.optional() });

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
    view: { error?: string; username?: string; next?: string; changed?: boolean },
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
        ...view,
        next: safeNext(view.next),
      },
      status,
    );
  };

  router.get('/login', (req, res) => {
    const asked = addressReader(page)(req, res, LoginAddress);
    if (!asked) return;
    if (sessionOf(res)) return res.redirect(303, safeNext(asked.next));
    loginForm(req, res, asked);
  });

  router.post('/login', async (req, res) => {
    // Before a session exists, the form's token is checked against a cookie of its own (double submit), and
    // the request must come from this site: nobody can sign a browser in to another account from outside.
    const cookieToken = readCookies(req.headers.cookie).get(names.login) ?? '';
    const token = read(LoginToken, req.body);
    const formToken = token.ok ? token.input._login : '';
    if (!sameOrigin(req) || !cookieToken || !sameSecret(cookieToken, formToken)) return refuse(req, res);
    const form = read(LoginForm, req.body);
    if (!form.ok) return loginForm(req, res, { error: form.message }, 400);
    const { username, password, next } = form.input;
    if (!username || !password)
      return loginForm(req, res, { error: 'Hãy nhập tên đăng nhập và mật khẩu.', username, next }, 400);
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
            next,
          },
          429,
        );
      }
      deps.log.warn(logged, 'console sign-in failed');
      return loginForm(req, res, { error: 'Tên đăng nhập hoặc mật khẩu không đúng.', username, next }, 401);
    }
    deps.log.info({ username: result.account.username }, 'console sign-in');
    res.append('Set-Cookie', cookieHeader(names.session, result.token, { secure }));
    res.redirect(303, safeNext(next));
  });
}
