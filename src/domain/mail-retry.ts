/**
 * How often a mail is tried while the SMTP server will not take it for now (a 4xx answer, a connection down):
 * 14 attempts in all, each waiting twice as long as the one before, from `baseMs` (5 s by default: the last is
 * about 11 hours after the one before it, about a day after the first). A server that refuses for good (5xx) is
 * not asked again.
 */
const MAIL_ATTEMPTS = 14;

/**
 * When a mail that has now failed `attempts` times is tried next, or null when that was its last attempt (it is
 * then failed for good).
 */
export function nextMailAttempt(attempts: number, now: Date, baseMs: number): Date | null {
  if (attempts >= MAIL_ATTEMPTS) return null;
  return new Date(now.getTime() + baseMs * 2 ** Math.max(0, attempts - 1));
}
