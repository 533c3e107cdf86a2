import { describe, expect, it } from 'vitest';
import { daysUntil, formatDate, formatDateTime } from '../../src/domain/time.js';

describe('dates as the office writes them', () => {
  it('prints a moment in Hanoi time, hours 00–23, day before month', () => {
    // 17:05 UTC on 31 July is five past midnight on 1 August in Hanoi (UTC+7).
    expect(formatDateTime(new Date('2021-07-31T17:05:00Z'))).toBe('00:05 01/08/2021');
    expect(formatDateTime(new Date('2021-11-30T09:30:00Z'))).toBe('16:30 30/11/2021');
    expect(formatDateTime(new Date('2021-11-30T09:30:00Z'), 'UTC')).toBe('09:30 30/11/2021');
  });

  it('prints a calendar day, and counts the days left until a deadline in the zone', () => {
    expect(formatDate(new Date('2021-07-31T17:05:00Z'))).toBe('01/08/2021');
    expect(formatDate('2021-07-31')).toBe('31/07/2021');
    expect(daysUntil('2021-07-31', new Date('2021-07-24T03:00:00Z'))).toBe(7);
    expect(daysUntil('2021-07-31', new Date('2021-07-31T16:59:00Z'))).toBe(0);
    expect(daysUntil('2021-07-31', new Date('2021-07-31T17:01:00Z'))).toBe(-1);
  });
});
