import { describe, expect, it } from 'vitest';
import { authVerdict } from '../../src/mail/auth-results.js';

describe('sender authentication verdict (Authentication-Results)', () => {
  const trusted = 'mx.hanoi.gov.vn';
  it.each([
    [
      'mx.hanoi.gov.vn; spf=pass smtp.mailfrom=x; dkim=pass header.d=hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn',
      'pass',
    ],
    ['mx.hanoi.gov.vn; spf=fail smtp.mailfrom=x; dkim=none; dmarc=fail header.from=hanoi.gov.vn', 'fail'],
    ['mx.hanoi.gov.vn; spf=fail smtp.mailfrom=x; dkim=pass header.d=hanoi.gov.vn', 'pass'],
    ['mx.hanoi.gov.vn; spf=softfail smtp.mailfrom=x; dkim=fail', 'fail'],
    ['mx.hanoi.gov.vn; none', 'none'],
  ])('%s → %s', (header, verdict) => {
    expect(authVerdict([header], trusted)).toBe(verdict);
  });

  it('ignores a header that any other host (or the sender) wrote', () => {
    expect(authVerdict(['evil.example; dmarc=pass'], trusted)).toBe('none');
    expect(authVerdict(['evil.example; dmarc=fail', 'mx.hanoi.gov.vn; dmarc=pass'], trusted)).toBe('pass');
  });

  it('trusts nothing when no receiving host is configured', () => {
    expect(authVerdict(['mx.hanoi.gov.vn; dmarc=fail'], undefined)).toBe('none');
  });
});
