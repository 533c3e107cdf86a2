import { describe, expect, it } from 'vitest';
import { changesOf, startOfYesterday } from '../../src/domain/changes.js';

describe('what the overview says changed since yesterday', () => {
  it('starts at 00:00 of the day before, in the campaign’s time zone', () => {
    // 01:30 on 8/12 in Hà Nội is still 7/12 in UTC: yesterday is 7/12 there.
    expect(startOfYesterday(new Date('2026-12-07T18:30:00Z'), 'Asia/Ho_Chi_Minh').toISOString()).toBe(
      '2026-12-06T17:00:00.000Z',
    );
  });

  it('counts forms by kind, the late ones that count and the held ones; names every action in words', () => {
    const changes = changesOf(
      [
        { kind: 'registration', status: 'active', late: true, n: 2 },
        { kind: 'registration', status: 'pending_review', late: true, n: 1 },
        { kind: 'results_report', status: 'duplicate', late: true, n: 1 },
      ],
      [
        { action: 'correct_field', n: 1 },
        { action: 'confirm_submission', n: 3 },
        { action: 'some_new_action', n: 2 },
      ],
    );
    expect(changes.forms).toEqual({ total: 4, registrations: 3, reports: 1, late: 2, held: 1 });
    expect(changes.actions).toEqual([
      { label: 'Xác nhận hồ sơ', count: 3 },
      { label: 'Thay đổi khác', count: 2 },
      { label: 'Sửa nội dung', count: 1 },
    ]);
  });
});
