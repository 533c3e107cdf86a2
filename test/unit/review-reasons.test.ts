import { describe, expect, it } from 'vitest';
import { REVIEW_REASONS_AT_MIGRATION } from '../../src/db/migrations/2026_12_01_0900_sender_trust.js';
import { REVIEW_REASON_LABEL } from '../../src/domain/labels.js';
import { REVIEW_REASONS } from '../../src/domain/review-reasons.js';

describe('the review reasons', () => {
  it('are the words the database accepts (a new one needs a migration)', () => {
    expect([...REVIEW_REASONS].sort()).toEqual([...REVIEW_REASONS_AT_MIGRATION].sort());
  });
  it('each have a Vietnamese label without codes', () => {
    for (const r of REVIEW_REASONS) expect(REVIEW_REASON_LABEL[r]).toMatch(/^[^_]+$/);
  });
});
