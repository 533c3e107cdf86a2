import { describe, expect, it } from 'vitest';
import { checkCorrection, correctionRefusal } from '../../src/domain/corrections.js';

describe('which initiatives a person may correct', () => {
  it('allows a counted form’s active initiative and a held form’s, before it is confirmed', () => {
    expect(correctionRefusal({ status: 'active', submissionStatus: 'active' })).toBeNull();
    expect(correctionRefusal({ status: 'pending_review', submissionStatus: 'pending_review' })).toBeNull();
  });

  it('refuses a replaced or withdrawn initiative, and one of a replaced or copied form', () => {
    for (const [status, submissionStatus] of [
      ['superseded', 'active'],
      ['withdrawn', 'active'],
      ['superseded', 'superseded'],
      ['superseded', 'duplicate'],
      ['pending_review', 'active'],
    ] as const)
      expect(correctionRefusal({ status, submissionStatus }), `${status} of ${submissionStatus}`).toMatch(
        /only an initiative of a counted or a held form/,
      );
  });
});

describe('a person’s value for a field', () => {
  it('takes a month as people write it and refuses what is not one', () => {
    expect(checkCorrection('start', '9/2021')).toEqual({ ok: true, value: '2021-09' });
    expect(checkCorrection('start', 'tháng chín')).toMatchObject({ ok: false });
  });

  it('keeps a title, and takes an empty value as none for any other field', () => {
    expect(checkCorrection('title', '  ')).toMatchObject({ ok: false });
    expect(checkCorrection('notes', '  ')).toEqual({ ok: true, value: null });
  });
});
