import { describe, expect, it } from 'vitest';
import { dueWords } from '../../src/domain/deadlines.js';
import {
  daysUntil,
  formatDate,
  formatDateTime,
  formatMomentInWords,
  formatMonth,
  formatTimeOnDay,
} from '../../src/domain/time.js';

describe('dates as the office writes them', () => {
  it('prints a moment in Hanoi time, hours 00–23, day before month', () => {
    // 17:05 UTC on 31 July is five past midnight on 1 August in Hanoi (UTC+7).
    expect(formatDateTime(new Date('2021-07-31T17:05:00Z'))).toBe('00:05 01/8/2021');
    expect(formatDateTime(new Date('2021-11-30T09:30:00Z'))).toBe('16:30 30/11/2021');
    expect(formatDateTime(new Date('2021-11-30T09:30:00Z'), 'UTC')).toBe('09:30 30/11/2021');
    expect(formatMomentInWords(new Date('2021-08-05T02:14:00Z'))).toBe('09 giờ 14 phút ngày 05/8/2021');
    expect(formatTimeOnDay(new Date('2021-12-05T07:02:00Z'))).toBe('14:02 ngày 05/12/2021');
  });

  it('writes a day as Decree 30/2020 does: two-digit days below 10, two-digit months only for 01 and 02', () => {
    expect(formatDate('2021-08-05')).toBe('05/8/2021');
    expect(formatDate('2022-02-03')).toBe('03/02/2022');
    expect(formatDate('2021-01-31')).toBe('31/01/2021');
    expect(formatDate('2021-12-10')).toBe('10/12/2021');
    expect(formatMonth('2021-07')).toBe('7/2021');
    expect(formatMonth('2021-11')).toBe('11/2021');
  });

  it('prints a calendar day, and counts the days left until a deadline in the zone', () => {
    expect(formatDate(new Date('2021-07-31T17:05:00Z'))).toBe('01/8/2021');
    expect(formatDate('2021-07-31')).toBe('31/7/2021');
    expect(daysUntil('2021-07-31', new Date('2021-07-24T03:00:00Z'))).toBe(7);
    expect(daysUntil('2021-07-31', new Date('2021-07-31T16:59:00Z'))).toBe(0);
    expect(daysUntil('2021-07-31', new Date('2021-07-31T17:01:00Z'))).toBe(-1);
  });
});

describe('a deadline as every letter states it', () => {
  it('asks by the announced day, and "khẩn trương" once it has passed', () => {
    const due = { deadline: '2021-07-31', lastDay: '2021-08-02' };
    expect(dueWords(due, '2021-07-23')).toEqual({
      date: '31/7/2021',
      by: 'chậm nhất ngày 31/7/2021',
      urgent: false,
      onTimeUntil: 'tính đúng hạn đến hết 02/8/2021',
    });
    expect(dueWords(due, '2021-07-31').urgent).toBe(false);
    expect(dueWords(due, '2021-08-01').urgent).toBe(true);
    expect(dueWords({ deadline: '2021-11-30', lastDay: '2021-11-30' }, '2021-11-01').onTimeUntil).toBeNull();
  });
});
