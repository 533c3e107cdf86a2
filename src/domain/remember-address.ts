// Remembering a sender's address for an agency is a decision: every later mail from it counts without review.
// Where the address may well not be the agency's own, the person is told the risk and must accept it in so many
// words.

/** Why remembering an address is a risk. */
export type RememberRisk = 'free_mail' | 'unauthenticated';

/**
 * Mail services anyone can open an address at: an address there says nothing about who holds it (a clerk's
 * personal mailbox today, someone else's tomorrow).
 */
const FREE_MAIL_DOMAINS = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.com',
  'yahoo.com.vn',
  'ymail.com',
  'outlook.com',
  'outlook.com.vn',
  'hotmail.com',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'zoho.com',
  'gmx.com',
  'mail.com',
  'yandex.com',
  'yandex.ru',
  'mail.ru',
  'qq.com',
  '163.com',
  '126.com',
]);

/** The risks of remembering this address, from the mail it came in: none for an authenticated agency domain. */
export function rememberRisks(address: string | null, authVerdict: string): RememberRisk[] {
  const domain = (address ?? '').trim().toLowerCase().split('@').pop() ?? '';
  const risks: RememberRisk[] = [];
  if (FREE_MAIL_DOMAINS.has(domain)) risks.push('free_mail');
  if (authVerdict !== 'pass') risks.push('unauthenticated');
  return risks;
}

/** Each risk as the person deciding is told it. */
export const REMEMBER_RISK_TEXT: Record<RememberRisk, string> = {
  free_mail:
    'đây là địa chỉ thư miễn phí (Gmail, Yahoo…), ai cũng lập được, nên không chứng minh được là hộp thư của cơ quan, đơn vị',
  unauthenticated: 'máy chủ thư của Sở không xác thực được người gửi thư này, nên địa chỉ có thể bị giả mạo',
};
