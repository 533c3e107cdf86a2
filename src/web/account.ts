import type { Response, Router } from 'express';
import { z } from 'zod';
import { PASSWORD_MIN_LENGTH } from '../domain/password-policy.js';
import { changeOwnPassword } from '../staff/staff-accounts.js';
import { cookieHeader } from './cookies.js';
import { field, read } from './request-input.js';
import { requireSignIn, sessionOf } from './session.js';
import type { SignInContext } from './sign-in.js';

const PasswordForm = z.object({ current: field.secret(), next: field.secret(), again: field.secret() });

/** A signed-in person's own account: changing their password signs them out everywhere. */
export function registerAccount(router: Router, ctx: SignInContext): void {
  const { deps, page, names, secure } = ctx;
  const accountForm = (res: Response, error?: string, status = 200) =>
    page(res, 'account', { title: 'Đổi mật khẩu', minLength: PASSWORD_MIN_LENGTH, error }, status);
  router.get('/account', (_req, res) => accountForm(res));
  router.post('/account/password', async (req, res) => {
    const me = sessionOf(res)?.account;
    if (!me) return requireSignIn(req, res, () => undefined);
    const form = read(PasswordForm, req.body);
    if (!form.ok) return accountForm(res, form.message, 400);
    const { current, next, again } = form.input;
    if (next !== again) return accountForm(res, 'Hai lần nhập mật khẩu mới không giống nhau.', 400);
    const changed = await changeOwnPassword(
      deps.db,
      { username: me.username, current, next, ip: req.ip ?? 'unknown' },
      deps.clock.now(),
    );
    if (!changed.ok)
      return accountForm(
        res,
        changed.reason === 'throttled'
          ? `Nhập sai mật khẩu quá nhiều lần. Hãy thử lại sau ${changed.retryAfterSeconds} giây.`
          : changed.reason === 'too_short'
            ? `Mật khẩu mới cần ít nhất ${PASSWORD_MIN_LENGTH} ký tự.`
            : 'Mật khẩu hiện tại không đúng.',
        changed.reason === 'throttled' ? 429 : 400,
      );
    deps.log.info({ username: me.username }, 'console password changed');
    res.append('Set-Cookie', cookieHeader(names.session, '', { secure, maxAge: 0 }));
    res.redirect(303, '/login?changed=1');
  });
}
