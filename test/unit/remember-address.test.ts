import { describe, expect, it } from 'vitest';
import { rememberRisks } from '../../src/domain/remember-address.js';

describe('the risks of remembering a sender’s address', () => {
  it.each<[string, string | null, string, string[]]>([
    ['an agency’s own domain, authenticated', 'vanthu@sotuphap.hanoi.gov.vn', 'pass', []],
    [
      'an agency’s own domain, not authenticated',
      'vanthu@sotuphap.hanoi.gov.vn',
      'none',
      ['unauthenticated'],
    ],
    ['a personal Gmail address, authenticated by Gmail', 'Hoang.Mai@GMail.com', 'pass', ['free_mail']],
    [
      'a personal Yahoo address, not authenticated',
      'canbo@yahoo.com.vn',
      'fail',
      ['free_mail', 'unauthenticated'],
    ],
    ['no address at all', null, 'none', ['unauthenticated']],
  ])('%s', (_name, address, verdict, risks) => {
    expect(rememberRisks(address, verdict)).toEqual(risks);
  });
});
