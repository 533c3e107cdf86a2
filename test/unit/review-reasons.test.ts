import { describe, expect, it } from 'vitest';
import { REVIEW_REASONS_AT_MIGRATION } from '../../src/db/migrations/2026_12_01_0900_sender_trust.js';
import { REVIEW_REASON_LABEL } from '../../src/domain/labels.js';
import {
  heldAgain,
  intakeReviewReasons,
  messageReviewReasons,
  REVIEW_REASONS,
  releasedFromHold,
  type SenderFacts,
  senderDoubted,
  senderReviewReasons,
  settledState,
  settledWithout,
} from '../../src/domain/review-reasons.js';

describe('the review reasons', () => {
  it('are the words the database accepts (a new one needs a migration)', () => {
    expect([...REVIEW_REASONS].sort()).toEqual([...REVIEW_REASONS_AT_MIGRATION].sort());
  });
  it('each have a Vietnamese label without codes', () => {
    for (const r of REVIEW_REASONS) expect(REVIEW_REASON_LABEL[r]).toMatch(/^[^_]+$/);
  });
});

const known: SenderFacts = { registered: true, automatic: false, trust: 'trusted' };

describe('why its sender holds a message for a person', () => {
  it.each<[string, SenderFacts, string[]]>([
    ['a registry sender whose authentication passed', known, []],
    ['an address outside the registry', { ...known, registered: false }, ['unknown_sender']],
    [
      'automatic mail from nobody known (it submits nothing)',
      { ...known, registered: false, automatic: true },
      [],
    ],
    ['a registry address that failed authentication', { ...known, trust: 'forged' }, ['spoofing']],
    ['a From that is not one address', { ...known, trust: 'ambiguous' }, ['ambiguous_sender']],
    ['a registry address not proven (strict mode)', { ...known, trust: 'untrusted' }, ['unverified_sender']],
    [
      'a stranger not proven: unknown, nothing more',
      { ...known, registered: false, trust: 'untrusted' },
      ['unknown_sender'],
    ],
    [
      'a stranger that failed authentication',
      { ...known, registered: false, trust: 'forged' },
      ['unknown_sender', 'spoofing'],
    ],
  ])('%s', (_name, facts, reasons) => {
    expect(senderReviewReasons(facts)).toEqual(reasons);
  });

  it('adds the intake limits a stored message hit, each once', () => {
    expect(
      intakeReviewReasons({ ...known, filesBeyondLimit: true, unlisted: 'too_many_attachments' }),
    ).toEqual(['too_many_attachments']);
    expect(
      intakeReviewReasons({
        ...known,
        registered: false,
        filesBeyondLimit: false,
        unlisted: 'too_deeply_nested',
      }),
    ).toEqual(['unknown_sender', 'too_deeply_nested']);
  });
});

describe('why a message waits for a person once its files have ended', () => {
  const registration = (review_reasons: string[]) => ({ review_reasons });
  it.each<[string, Parameters<typeof messageReviewReasons>[0], string[]]>([
    ['a registry sender whose form counted', { stored: [], sender: known, files: [] }, []],
    [
      'an unknown sender',
      { stored: [], sender: { ...known, registered: false }, files: [] },
      ['unknown_sender'],
    ],
    [
      'a forged registry sender',
      { stored: [], sender: { ...known, trust: 'forged' }, files: [] },
      ['spoofing'],
    ],
    [
      'a file that failed',
      { stored: [], sender: known, files: [{ state: 'failed', submission: null }] },
      ['failed_attachment'],
    ],
    [
      'what the message and its submissions already said, once each',
      {
        stored: ['too_large', 'spoofing'],
        sender: { ...known, trust: 'forged' },
        files: [{ state: 'parsed', submission: registration(['agency_mismatch', 'spoofing']) }],
      },
      ['too_large', 'spoofing', 'agency_mismatch'],
    ],
  ])('%s', (_name, facts, reasons) => {
    expect(messageReviewReasons(facts)).toEqual(reasons);
  });

  it('settles with a person exactly when some reason is left', () => {
    expect(settledState([])).toBe('processed');
    expect(settledState(['uncertain_fields'])).toBe('needs_review');
  });

  it('puts a message back on the list when a form of it is held again, and takes only the holds off when released', () => {
    expect(heldAgain(['uncertain_fields'], ['unknown_sender', 'uncertain_fields'])).toEqual({
      state: 'needs_review',
      reasons: ['uncertain_fields', 'unknown_sender'],
    });
    expect(releasedFromHold(['unknown_sender', 'uncertain_fields'])).toEqual({
      state: 'needs_review',
      reasons: ['uncertain_fields'],
    });
    expect(releasedFromHold(['spoofing', 'agency_mismatch'])).toEqual({ state: 'processed', reasons: [] });
    expect(settledWithout(['unmatched_result', 'too_large'], (r) => r === 'unmatched_result')).toEqual({
      state: 'needs_review',
      reasons: ['too_large'],
    });
  });
});

describe('a sender in doubt', () => {
  it('is doubted for a stranger, a forged or unproven From and an ambiguous one; not for a form that names another agency', () => {
    for (const r of ['unknown_sender', 'spoofing', 'unverified_sender', 'ambiguous_sender'])
      expect(senderDoubted([r]), r).toBe(true);
    expect(senderDoubted(['agency_mismatch', 'failed_attachment'])).toBe(false);
    expect(senderDoubted([])).toBe(false);
  });
});
