import { describe, expect, it } from 'vitest';
import { decideReply, type ReplyFacts, recipientKey, replyCaps } from '../../src/domain/reply-decision.js';

const now = new Date('2021-07-26T03:00:00Z');
const base: ReplyFacts = {
  storedNoReplyReason: '',
  guardReason: null,
  isAutomatic: false,
  from: 'vanphong@sotuphap.hanoi.gov.vn',
  replyTo: null,
  own: ['phongcchc_sonv@hanoi.gov.vn'],
  trust: 'trusted',
  registrySender: true,
  receivedAt: new Date('2021-07-26T02:14:00Z'),
  now,
  maxAgeDays: 30,
};

describe('whether and to whom a message is answered', () => {
  it.each<[string, Partial<ReplyFacts>, ReturnType<typeof decideReply>]>([
    [
      'a registry agency: answered in full',
      {},
      { send: true, to: 'vanphong@sotuphap.hanoi.gov.vn', minimal: false, replyToIgnored: null },
    ],
    [
      'a stranger (a personal mailbox): answered, minimally',
      { from: 'hoangmai.gialam@gmail.com', registrySender: false },
      { send: true, to: 'hoangmai.gialam@gmail.com', minimal: true, replyToIgnored: null },
    ],
    [
      'a Reply-To on another address: never used, recorded',
      { replyTo: 'victim@example.com' },
      {
        send: true,
        to: 'vanphong@sotuphap.hanoi.gov.vn',
        minimal: false,
        replyToIgnored: 'victim@example.com',
      },
    ],
    [
      'a Reply-To on the same address: nothing to record',
      { replyTo: 'VanPhong@SoTuPhap.Hanoi.gov.vn' },
      { send: true, to: 'vanphong@sotuphap.hanoi.gov.vn', minimal: false, replyToIgnored: null },
    ],
    [
      'an out-of-office reply (decided at storage)',
      { storedNoReplyReason: 'auto_submitted' },
      { send: false, reason: 'auto_submitted' },
    ],
    [
      'a mailing list (decided at storage)',
      { storedNoReplyReason: 'mailing_list' },
      { send: false, reason: 'mailing_list' },
    ],
    [
      'an old message whose headers say bulk',
      { storedNoReplyReason: null, guardReason: 'bulk_precedence' },
      { send: false, reason: 'bulk_precedence' },
    ],
    ['automatic mail', { isAutomatic: true }, { send: false, reason: 'auto_submitted' }],
    ['no sender at all', { from: null }, { send: false, reason: 'no_sender' }],
    ['the office itself', { from: 'phongcchc_sonv@hanoi.gov.vn' }, { send: false, reason: 'own_address' }],
    [
      'a forged sender: its victim would get the mail',
      { trust: 'forged' },
      { send: false, reason: 'authentication_failed' },
    ],
    [
      'a From that cannot be read as one address: neither the forger nor the address it names',
      { trust: 'ambiguous' },
      { send: false, reason: 'ambiguous_sender' },
    ],
    [
      'an unproven sender in strict mode: answered (it is held, not forged)',
      { trust: 'untrusted' },
      { send: true, to: 'vanphong@sotuphap.hanoi.gov.vn', minimal: false, replyToIgnored: null },
    ],
    [
      'mail older than the limit (an initial scan of an old mailbox)',
      { receivedAt: new Date('2021-06-01T00:00:00Z') },
      { send: false, reason: 'too_old' },
    ],
  ])('%s', (_name, facts, expected) => {
    expect(decideReply({ ...base, ...facts })).toEqual(expected);
  });
});

describe('the caps on acknowledgements', () => {
  const config = {
    ACK_MAX_PER_SENDER_PER_HOUR: 5,
    ACK_MAX_PER_UNKNOWN_ADDRESS_PER_DAY: 3,
    ACK_MAX_UNKNOWN_PER_HOUR: 30,
    ACK_MAX_PER_UNKNOWN_DOMAIN_PER_DAY: 10,
  };
  it('gives a registry address its hourly cap and no shared cap', () => {
    expect(replyCaps(true, config)).toEqual({
      perAddress: { windowMs: 3_600_000, max: 5 },
      perDomain: null,
      outsideRegistry: null,
    });
  });
  it('gives an address outside the registry a daily cap, its domain one, and all of them one hourly cap', () => {
    expect(replyCaps(false, config)).toEqual({
      perAddress: { windowMs: 86_400_000, max: 3 },
      perDomain: { windowMs: 86_400_000, max: 10 },
      outsideRegistry: { windowMs: 3_600_000, max: 30 },
    });
  });
  it('counts an address under its name without a +tag, and under its domain', () => {
    expect(recipientKey('Stranger+1@Gmail.com')).toEqual({ key: 'stranger@gmail.com', domain: 'gmail.com' });
    expect(recipientKey('stranger+a+b@gmail.com').key).toBe('stranger@gmail.com');
    expect(recipientKey('stranger@gmail.com').key).toBe('stranger@gmail.com');
    // A local part that is only a tag is its own name.
    expect(recipientKey('+1@gmail.com').key).toBe('+1@gmail.com');
  });
});
