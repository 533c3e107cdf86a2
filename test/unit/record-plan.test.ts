import { describe, expect, it } from 'vitest';
import { planSubmission, type SubmissionFacts } from '../../src/domain/submission-plan.js';

const facts = (o: Partial<SubmissionFacts>): SubmissionFacts => ({
  senderAgencyId: '1',
  formAgencyId: '1',
  trust: 'trusted',
  uncertain: [],
  ...o,
});

describe('whose form it is, and whether it counts', () => {
  it.each<[string, Partial<SubmissionFacts>, ReturnType<typeof planSubmission>]>([
    ['a registry sender’s own form counts', {}, { agencyId: '1', status: 'active', reviewReasons: [] }],
    [
      'a form that names no agency counts for the sender',
      { formAgencyId: null },
      { agencyId: '1', status: 'active', reviewReasons: [] },
    ],
    [
      'an unknown sender is held, for the agency the form names',
      { senderAgencyId: null, formAgencyId: '7' },
      { agencyId: '7', status: 'pending_review', reviewReasons: ['unknown_sender'] },
    ],
    [
      'another agency’s form is held',
      { formAgencyId: '2' },
      { agencyId: '1', status: 'pending_review', reviewReasons: ['agency_mismatch'] },
    ],
    [
      'a forged sender is held',
      { trust: 'forged' },
      { agencyId: '1', status: 'pending_review', reviewReasons: ['spoofing'] },
    ],
    [
      'a From that cannot be read as one address is held',
      { trust: 'ambiguous' },
      { agencyId: '1', status: 'pending_review', reviewReasons: ['ambiguous_sender'] },
    ],
    [
      'an unproven sender (strict mode) is held, not called a forgery',
      { trust: 'untrusted' },
      { agencyId: '1', status: 'pending_review', reviewReasons: ['unverified_sender'] },
    ],
    [
      'an unknown sender is held as unknown, whatever its authentication proved',
      { senderAgencyId: null, formAgencyId: '7', trust: 'untrusted' },
      { agencyId: '7', status: 'pending_review', reviewReasons: ['unknown_sender'] },
    ],
    [
      'a forged registry address naming another agency is held for both',
      { formAgencyId: '2', trust: 'forged' },
      { agencyId: '1', status: 'pending_review', reviewReasons: ['agency_mismatch', 'spoofing'] },
    ],
    [
      'fields the parser is unsure of ask for a look but still count',
      { uncertain: ['initiatives[0].timeline'] },
      { agencyId: '1', status: 'active', reviewReasons: ['uncertain_fields'] },
    ],
    [
      'a form a person confirmed counts for the agency they chose, whoever sent it',
      { senderAgencyId: null, formAgencyId: '2', trust: 'forged', confirmedAgencyId: '3' },
      { agencyId: '3', status: 'active', reviewReasons: [] },
    ],
    [
      'a confirmed form with fields the parser is unsure of still asks for a look',
      { formAgencyId: '2', confirmedAgencyId: '2', uncertain: ['year'] },
      { agencyId: '2', status: 'active', reviewReasons: ['uncertain_fields'] },
    ],
  ])('%s', (_name, f, expected) => {
    expect(planSubmission(facts(f))).toEqual(expected);
  });
});
