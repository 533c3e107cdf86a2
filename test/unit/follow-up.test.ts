import { describe, expect, it } from 'vitest';
import { offerResend, type ResendFacts, replayRefusal } from '../../src/domain/follow-up.js';

describe('reading a stored file again', () => {
  it.each<[string, { state: string; reason_code: string | null }, ReturnType<typeof replayRefusal>]>([
    ['a file read', { state: 'parsed', reason_code: null }, null],
    ['a refused file', { state: 'rejected', reason_code: 'not_docx' }, null],
    ['a file that failed', { state: 'failed', reason_code: 'processing_failed' }, null],
    ['a file kept unread past a limit', { state: 'skipped', reason_code: 'too_many_attachments' }, null],
    ['a file still being read the first time', { state: 'pending', reason_code: null }, 'pending'],
    ['a forwarded mail’s container', { state: 'skipped', reason_code: null }, 'not_a_file'],
  ])('%s', (_name, file, refusal) => {
    expect(replayRefusal(file)).toBe(refusal);
  });
});

describe('offering to ask a sender to send again', () => {
  const parsed = { state: 'parsed', reason_code: null };
  const base: ResendFacts = { state: 'processed', files: [parsed], forgery: false };
  it.each<[string, Partial<ResendFacts>, 'processing' | 'forgery' | 'nothing_to_resend' | null]>([
    ['everything counted: nothing to ask for', {}, 'nothing_to_resend'],
    ['a mail held for a person', { state: 'needs_review' }, null],
    ['a mail refused whole (too large)', { state: 'rejected', files: [] }, null],
    ['a refused file', { files: [parsed, { state: 'rejected', reason_code: 'docm' }] }, null],
    ['a file that failed', { files: [{ state: 'failed', reason_code: null }] }, null],
    [
      'a file left unread past a limit',
      { files: [{ state: 'skipped', reason_code: 'too_many_attachments' }] },
      null,
    ],
    [
      'a forwarded mail’s container only',
      { files: [{ state: 'skipped', reason_code: null }] },
      'nothing_to_resend',
    ],
    [
      'a mail still being read',
      { state: 'needs_review', files: [{ state: 'pending', reason_code: null }] },
      'processing',
    ],
    ['a mail not yet handled', { state: 'received', files: [] }, 'processing'],
    ['a mail judged a forgery', { state: 'needs_review', forgery: true }, 'forgery'],
  ])('%s', (_name, facts, refusal) => {
    expect(offerResend({ ...base, ...facts })).toBe(refusal === null);
  });
});
