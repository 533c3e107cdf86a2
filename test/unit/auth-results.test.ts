import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { senderTrust } from '../../src/domain/review-reasons.js';
import {
  aligned,
  parseAuthenticationResults,
  receivedBy,
  senderAuthentication,
  senderDoubt,
  type TraceHeader,
} from '../../src/mail/auth-results.js';

const TRUSTED = 'mx.hanoi.gov.vn';
const FROM = 'vanphong@sotuphap.hanoi.gov.vn';
const verdict = (headers: TraceHeader[], from: string | null = FROM, trusted: string | undefined = TRUSTED) =>
  senderAuthentication(headers, { trustedAuthservId: trusted, from }).outcome;

describe('reading an Authentication-Results header (RFC 8601)', () => {
  it('reads every method of a Gmail header, with properties, reasons and comments dropped', () => {
    const h = parseAuthenticationResults(
      `mx.google.com;
       dkim=pass header.i=@sotuphap.hanoi.gov.vn header.s=s1 header.b="Ab+/cd==";
       spf=pass (google.com: domain of vanphong@sotuphap.hanoi.gov.vn designates 203.0.113.5 as permitted sender) smtp.mailfrom=vanphong@sotuphap.hanoi.gov.vn;
       dmarc=pass (p=QUARANTINE sp=NONE dis=NONE) header.from=sotuphap.hanoi.gov.vn`,
    );
    expect(h).toEqual({
      authservId: 'mx.google.com',
      malformed: false,
      statements: [
        {
          method: 'dkim',
          result: 'pass',
          reason: null,
          properties: [
            ['header.i', '@sotuphap.hanoi.gov.vn'],
            ['header.s', 's1'],
            ['header.b', 'Ab+/cd=='],
          ],
        },
        {
          method: 'spf',
          result: 'pass',
          reason: null,
          properties: [['smtp.mailfrom', 'vanphong@sotuphap.hanoi.gov.vn']],
        },
        {
          method: 'dmarc',
          result: 'pass',
          reason: null,
          properties: [['header.from', 'sotuphap.hanoi.gov.vn']],
        },
      ],
    });
  });

  it('reads an Exchange Online header, with its version-less bare properties and reason', () => {
    const h = parseAuthenticationResults(
      'spf=pass (sender IP is 203.0.113.9) smtp.mailfrom=hanoi.gov.vn; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=hanoi.gov.vn;compauth=pass reason=100',
    );
    // Exchange writes no authserv-id: "spf=pass" cannot be one, so the header is not read at all.
    expect(h).toBeNull();
    const withId = parseAuthenticationResults(
      'outlook.example; spf=pass (sender IP is 203.0.113.9) smtp.mailfrom=hanoi.gov.vn; dkim=none (message not signed) header.d=none;dmarc=none action=none header.from=hanoi.gov.vn;compauth=pass reason=100',
    );
    expect(withId?.statements.map((s) => `${s.method}=${s.result}`)).toEqual([
      'spf=pass',
      'dkim=none',
      'dmarc=none',
      'compauth=pass',
    ]);
    expect(withId?.statements[3]?.reason).toBe('100');
    expect(withId?.statements[2]?.properties).toContainEqual(['action', 'none']);
  });

  it('reads a version, method versions, nested comments and quoted values', () => {
    const h = parseAuthenticationResults(
      'example.org 1; (a (nested) comment) auth/1=pass (ok) smtp.auth="sender name" ; dkim = pass reason="good (really)" header.d = example.org',
    );
    expect(h?.statements).toEqual([
      { method: 'auth', result: 'pass', reason: null, properties: [['smtp.auth', 'sender name']] },
      { method: 'dkim', result: 'pass', reason: 'good (really)', properties: [['header.d', 'example.org']] },
    ]);
  });

  it('reads "none" as no result, and a quoted authserv-id', () => {
    expect(parseAuthenticationResults('"mx.hanoi.gov.vn"; none')).toEqual({
      authservId: 'mx.hanoi.gov.vn',
      statements: [],
      malformed: false,
    });
  });

  it('keeps a hostile property value whole: it never becomes a statement', () => {
    const h = parseAuthenticationResults(
      'mx.hanoi.gov.vn; spf=fail smtp.mailfrom=dmarc=pass@evil.example; dkim=none header.d="x; dmarc=pass"',
    );
    expect(h?.statements.map((s) => s.method)).toEqual(['spf', 'dkim']);
    expect(h?.statements[0]?.properties).toEqual([['smtp.mailfrom', 'dmarc=pass@evil.example']]);
    expect(h?.statements[1]?.properties).toEqual([['header.d', 'x; dmarc=pass']]);
  });

  it('leaves out what cannot be read, and says so, without guessing', () => {
    const h = parseAuthenticationResults('mx.hanoi.gov.vn; dmarc fail; spf=pass smtp.mailfrom=a@b.vn (open');
    expect(h?.malformed).toBe(true);
    expect(h?.statements.map((s) => s.method)).toEqual([]);
    expect(parseAuthenticationResults('  ')).toBeNull();
  });
});

describe('alignment with the From domain', () => {
  it('is relaxed within one organizational domain, by the public suffix list', () => {
    expect(aligned('sotuphap.hanoi.gov.vn', 'hanoi.gov.vn')).toBe(true);
    expect(aligned('mail.sotuphap.hanoi.gov.vn', 'badinh.hanoi.gov.vn')).toBe(true);
    expect(aligned('HANOI.gov.vn.', 'hanoi.gov.vn')).toBe(true);
    // gov.vn and com.vn are public suffixes: two agencies under them are different organizations.
    expect(aligned('hanoi.gov.vn', 'haiphong.gov.vn')).toBe(false);
    expect(aligned('evil.com.vn', 'shop.com.vn')).toBe(false);
    expect(aligned('gov.vn', 'hanoi.gov.vn')).toBe(false);
    expect(aligned('hanoi.gov.vn.evil.example', 'hanoi.gov.vn')).toBe(false);
    expect(aligned(null, 'hanoi.gov.vn')).toBe(false);
  });
});

describe('the sender-authentication verdict', () => {
  it.each([
    [
      'DMARC passes',
      'mx.hanoi.gov.vn; spf=fail smtp.mailfrom=x@other.example; dmarc=pass header.from=sotuphap.hanoi.gov.vn',
      'pass',
    ],
    [
      'DMARC fails',
      'mx.hanoi.gov.vn; spf=pass smtp.mailfrom=a@sotuphap.hanoi.gov.vn; dkim=pass header.d=sotuphap.hanoi.gov.vn; dmarc=fail header.from=sotuphap.hanoi.gov.vn',
      'fail',
    ],
    [
      'SPF softfails and no DKIM',
      'mx.hanoi.gov.vn; spf=softfail smtp.mailfrom=a@sotuphap.hanoi.gov.vn; dkim=none',
      'fail',
    ],
    [
      'SPF fails but an aligned DKIM passes',
      'mx.hanoi.gov.vn; spf=fail smtp.mailfrom=x@list.example; dkim=pass header.d=hanoi.gov.vn',
      'pass',
    ],
    [
      'SPF fails and only an unaligned DKIM passes',
      'mx.hanoi.gov.vn; spf=fail smtp.mailfrom=x@sotuphap.hanoi.gov.vn; dkim=pass header.d=evil.example',
      'fail',
    ],
    ['an aligned SPF pass', 'mx.hanoi.gov.vn; spf=pass smtp.mailfrom=vanphong@sotuphap.hanoi.gov.vn', 'pass'],
    [
      'an unaligned SPF pass proves nothing',
      'mx.hanoi.gov.vn; spf=pass smtp.mailfrom=bounce@evil.example',
      'none',
    ],
    ['an unaligned DKIM pass proves nothing', 'mx.hanoi.gov.vn; dkim=pass header.d=evil.example', 'none'],
    [
      'SPF of the HELO name for a null sender',
      'mx.hanoi.gov.vn; spf=pass smtp.helo=mail.hanoi.gov.vn',
      'pass',
    ],
    [
      'a DKIM failure alone (lists break signatures)',
      'mx.hanoi.gov.vn; dkim=fail header.d=sotuphap.hanoi.gov.vn',
      'none',
    ],
    [
      'a temporary DNS error',
      'mx.hanoi.gov.vn; spf=temperror smtp.mailfrom=a@sotuphap.hanoi.gov.vn; dmarc=temperror',
      'temperror',
    ],
    [
      'a broken policy record',
      'mx.hanoi.gov.vn; dmarc=permerror header.from=sotuphap.hanoi.gov.vn',
      'permerror',
    ],
    ['nothing checked', 'mx.hanoi.gov.vn; none', 'none'],
  ])('%s', (_what, header, outcome) => {
    expect(verdict([header])).toBe(outcome);
  });

  it('merges every header of the trusted host (OpenDKIM and OpenDMARC add one each)', () => {
    const headers = [
      'mx.hanoi.gov.vn; dkim=pass (2048-bit key) header.d=hanoi.gov.vn header.i=@hanoi.gov.vn',
      'mx.hanoi.gov.vn; spf=fail smtp.mailfrom=vanphong@sotuphap.hanoi.gov.vn',
    ];
    expect(verdict(headers)).toBe('pass');
    expect(
      verdict([
        'mx.hanoi.gov.vn; spf=pass smtp.mailfrom=a@sotuphap.hanoi.gov.vn',
        'mx.hanoi.gov.vn; dmarc=fail header.from=sotuphap.hanoi.gov.vn',
      ]),
    ).toBe('fail');
  });

  it('believes a pass only from the trusted host, and a fail from anyone', () => {
    expect(verdict(['evil.example; dmarc=pass header.from=sotuphap.hanoi.gov.vn'])).toBe('none');
    expect(verdict(['relay.example; dmarc=fail header.from=sotuphap.hanoi.gov.vn'])).toBe('fail');
    expect(
      verdict(['relay.example; dmarc=fail', 'mx.hanoi.gov.vn; dmarc=pass header.from=sotuphap.hanoi.gov.vn']),
    ).toBe('fail');
    // Without a configured host ('' as unset) no pass counts at all, but a fail still does.
    expect(verdict(['mx.hanoi.gov.vn; dmarc=pass'], FROM, '')).toBe('none');
    expect(verdict(['mx.hanoi.gov.vn; dmarc=fail'], FROM, '')).toBe('fail');
    expect(verdict(['mx.hanoi.gov.vn; spf=softfail smtp.mailfrom=a@sotuphap.hanoi.gov.vn'], FROM, '')).toBe(
      'fail',
    );
  });

  it('reads the trusted host whatever the case, and a list of hosts', () => {
    expect(verdict(['MX.Hanoi.Gov.VN; dmarc=pass'])).toBe('pass');
    expect(verdict(['mx2.hanoi.gov.vn; dmarc=pass'], FROM, 'mx1.hanoi.gov.vn, mx2.hanoi.gov.vn')).toBe(
      'pass',
    );
  });

  it('is not fooled by a DMARC pass written into a property of the trusted header', () => {
    expect(verdict(['mx.hanoi.gov.vn; spf=fail smtp.mailfrom=dmarc=pass@evil.example'])).toBe('fail');
    expect(verdict(['mx.hanoi.gov.vn; spf=none smtp.mailfrom=dmarc=pass@evil.example'])).toBe('none');
    expect(verdict(['mx.hanoi.gov.vn; spf=none (dmarc=pass) smtp.mailfrom=x@evil.example'])).toBe('none');
  });

  it('does not let another host trust a header with the trusted id written into a comment or property', () => {
    expect(verdict(['evil.example (mx.hanoi.gov.vn); dmarc=pass'])).toBe('none');
    expect(verdict(['evil.example; x.mx=mx.hanoi.gov.vn; dmarc=pass'])).toBe('none');
  });

  it("takes the trusted host's DMARC result about another From as a fail: the From was read two ways", () => {
    // `From: <vanphong@sotuphap.hanoi.gov.vn>@evil.example`: the server checked evil.example, its owner's pass.
    expect(verdict(['mx.hanoi.gov.vn; dmarc=pass header.from=evil.example'])).toBe('fail');
    expect(verdict(['mx.hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn'], 'a@evil.example')).toBe('fail');
    // Not even a parent domain: DMARC names the From domain it read, exactly.
    expect(verdict(['mx.hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn'])).toBe('fail');
    expect(verdict(['mx.hanoi.gov.vn; dmarc=none header.from=evil.example'])).toBe('fail');
    // Two domains at once (two From fields, or two mailboxes) are not this From either.
    expect(verdict(['mx.hanoi.gov.vn; dmarc=permerror header.from=sotuphap.hanoi.gov.vn,evil.example'])).toBe(
      'fail',
    );
    expect(
      senderAuthentication(['mx.hanoi.gov.vn; dmarc=pass header.from=evil.example'], {
        trustedAuthservId: TRUSTED,
        from: FROM,
      }).basis,
    ).toBe('dmarc=pass about another From from mx.hanoi.gov.vn');
    // The same domain in another case, or with the root's dot, is the same domain.
    expect(verdict(['mx.hanoi.gov.vn; dmarc=pass header.from=SoTuPhap.Hanoi.gov.vn.'])).toBe('pass');
  });

  it("leaves another host's DMARC result about another domain out (a forged one proves nothing either way)", () => {
    expect(verdict(['relay.example; dmarc=fail header.from=evil.example'])).toBe('none');
    expect(verdict(['relay.example; dmarc=pass header.from=evil.example'])).toBe('none');
  });

  it("lets a DKIM signature the trusted host verified outweigh another host's SPF fail (forwarding)", () => {
    const headers = [
      'relay.example; spf=fail smtp.mailfrom=vanphong@sotuphap.hanoi.gov.vn',
      'mx.hanoi.gov.vn; dkim=pass header.d=sotuphap.hanoi.gov.vn',
    ];
    expect(verdict(headers)).toBe('pass');
  });

  it('stores both errors as none, and names what decided', () => {
    const a = senderAuthentication(['mx.hanoi.gov.vn; dmarc=temperror'], {
      trustedAuthservId: TRUSTED,
      from: FROM,
    });
    expect(a).toMatchObject({ outcome: 'temperror', verdict: 'none' });
    const b = senderAuthentication(['relay.example; dmarc=fail'], { trustedAuthservId: TRUSTED, from: FROM });
    expect(b.basis).toContain('relay.example');
    const c = senderAuthentication(['mx.hanoi.gov.vn; dmarc=pass'], {
      trustedAuthservId: TRUSTED,
      from: FROM,
    });
    expect(c.verdict).toBe('pass');
  });
});

describe('where a header with the trusted id stands (the trusted host writes on top of what came with the mail)', () => {
  const relay = {
    received:
      'from mail.evil.example (mail.evil.example [203.0.113.66]) by relay.example.net (Postfix) with ESMTPS id 1A2B for <phongcchc_sonv@hanoi.gov.vn>; Mon, 26 Jul 2021 09:14:05 +0700',
  };
  const own = {
    received:
      'from relay.example.net (relay.example.net [198.51.100.7]) by mx.hanoi.gov.vn (Postfix) with ESMTPS id 9F8E for <phongcchc_sonv@hanoi.gov.vn>; Mon, 26 Jul 2021 09:14:06 +0700',
  };
  const pass = 'mx.hanoi.gov.vn; dmarc=pass header.from=sotuphap.hanoi.gov.vn';

  it('believes its results above its own Received, and just below it (as milters on Postfix place them)', () => {
    expect(verdict([pass, own, relay])).toBe('pass');
    expect(verdict([own, pass, relay])).toBe('pass');
    expect(verdict([own, 'mx.hanoi.gov.vn; dkim=pass header.d=hanoi.gov.vn', pass, relay])).toBe('pass');
  });

  it('reads a header with its id below the first Received it did not write as anyone else’s: its pass is not believed', () => {
    expect(verdict([own, relay, pass])).toBe('none');
    expect(verdict([relay, pass])).toBe('none');
    // No result of its own above: the forged pass below the relay decides nothing.
    expect(verdict([own, 'mx.hanoi.gov.vn; none', relay, pass])).toBe('none');
  });

  it('still believes a fail wherever it stands: a forged fail only hurts its forger', () => {
    expect(verdict([pass, own, relay, 'mx.hanoi.gov.vn; dmarc=fail header.from=sotuphap.hanoi.gov.vn'])).toBe(
      'fail',
    );
    expect(verdict([own, relay, 'relay.example.net; spf=fail smtp.mailfrom=a@sotuphap.hanoi.gov.vn'])).toBe(
      'fail',
    );
  });

  it('stops at a Received whose receiving host it cannot name, or that a client named with a greeting', () => {
    expect(verdict([{ received: 'from somewhere; Mon, 26 Jul 2021 09:14:05 +0700' }, pass])).toBe('none');
    // The client greeted as "by mx.hanoi.gov.vn"? A greeting is one word, and the `from` clause takes it whole.
    expect(verdict([{ received: 'from by (mx.hanoi.gov.vn) by relay.example.net; date' }, pass])).toBe(
      'none',
    );
    expect(verdict([{ received: 'from x (by mx.hanoi.gov.vn) by relay.example.net; date' }, pass])).toBe(
      'none',
    );
  });

  it('knows its own Received by the host after `by`, whatever the case, and each host of a list', () => {
    expect(receivedBy(own.received)).toBe('mx.hanoi.gov.vn');
    expect(receivedBy('from a.example by MX.Hanoi.Gov.VN. with LMTP; date')).toBe('mx.hanoi.gov.vn');
    expect(receivedBy('from a.example (HELO by) with SMTP; date')).toBeNull();
    const lmtp = {
      received: 'from mx.hanoi.gov.vn by imap.hanoi.gov.vn with LMTP id 7 for <x@hanoi.gov.vn>; date',
    };
    // A delivery hop after the trusted host writes a Received of its own on top: listed, it is the office's too.
    expect(verdict([lmtp, own, pass, relay])).toBe('none');
    expect(verdict([lmtp, own, pass, relay], FROM, 'mx.hanoi.gov.vn, imap.hanoi.gov.vn')).toBe('pass');
  });
});

describe('how far a sender is trusted (SENDER_AUTH)', () => {
  const config = (SENDER_AUTH: string) => loadConfig({ SENDER_AUTH });
  it('by default trusts unless authentication fails', () => {
    expect(senderTrust('pass', config('default'))).toBe('trusted');
    expect(senderTrust('none', config('default'))).toBe('trusted');
    expect(senderTrust('fail', config('default'))).toBe('forged');
  });
  it('when strict, trusts only a pass', () => {
    expect(senderTrust('pass', config('strict'))).toBe('trusted');
    expect(senderTrust('none', config('strict'))).toBe('untrusted');
    expect(senderTrust('fail', config('strict'))).toBe('forged');
  });
  it('when off, trusts every sender', () => {
    expect(senderTrust('fail', config('off'))).toBe('trusted');
    expect(senderTrust('none', config('off'), 'auth_error')).toBe('trusted');
  });
  it("holds a registry sender, unverified, when the trusted host's check ended in an error", () => {
    expect(senderTrust('none', config('default'), 'auth_error')).toBe('untrusted');
    expect(senderTrust('none', config('strict'), 'auth_error')).toBe('untrusted');
    expect(senderTrust('fail', config('default'), 'auth_error')).toBe('forged');
    expect(senderDoubt(null, 'permerror')).toBe('auth_error');
    expect(senderDoubt(null, 'temperror')).toBe('auth_error');
    expect(senderDoubt(null, 'none')).toBeNull();
  });
  it('holds a From that cannot be read as one address, whatever SENDER_AUTH says', () => {
    for (const mode of ['default', 'strict', 'off'])
      for (const v of ['pass', 'none', 'fail'] as const)
        expect(senderTrust(v, config(mode), 'several_from_fields')).toBe('ambiguous');
    expect(senderDoubt('address_mismatch', 'permerror')).toBe('address_mismatch');
    // A word this version does not know is doubt too, never trust.
    expect(senderTrust('pass', config('default'), 'something_else')).toBe('ambiguous');
  });
});
