// The office's rule for passwords: one length for every account, a longer one for the operator account a
// production deployment is configured with. Lengths count characters as a person types them (code points), so a
// Vietnamese password is not judged by its UTF-16 size.

/** The shortest password a staff or operator account may have. */
export const PASSWORD_MIN_LENGTH = 10;

/** An operator's password in production (ADMIN_PASSWORD): long enough that throttled guessing never reaches it. */
export const PRODUCTION_OPERATOR_PASSWORD_MIN_LENGTH = 16;

/** Whether a password is long enough for the given minimum. */
export function longEnough(password: string, minLength = PASSWORD_MIN_LENGTH): boolean {
  return [...password].length >= minLength;
}
