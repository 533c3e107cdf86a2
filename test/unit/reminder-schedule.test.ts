import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { type CampaignSchedule, dueReminders } from '../../src/domain/reminder-schedule.js';
import { localDay } from '../../src/domain/time.js';

// A campaign with other dates than 2021's: registration by 15/3/2030, results by 1/10/2030.
const schedule: CampaignSchedule = {
  registrationDeadline: '2030-03-15',
  resultsDeadline: '2030-10-01',
  beforeDays: [14, 7, 3, 1],
  afterDays: [1],
  timeZone: 'Asia/Ho_Chi_Minh',
};
const ids = (d: string) => dueReminders(schedule, d).map((r) => `${r.phase}:${r.kind}:${r.offset}`);

/** Run the schedule over a span of days, as a daily job that remembers what it sent would. */
function simulate(days: string[], sent = new Set<string>()): string[] {
  const fired: string[] = [];
  for (const d of days) {
    for (const r of dueReminders(schedule, d)) {
      const id = `${r.phase}:${r.kind}:${r.offset}`;
      if (sent.has(id)) continue;
      sent.add(id);
      fired.push(`${d} ${id}`);
    }
  }
  return fired;
}
const span = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 }))
    out.push(d.toISODate() ?? '');
  return out;
};

describe('reminder schedule', () => {
  it('fires each offset once on its day, the overdue notice the day after, and nothing else', () => {
    expect(simulate(span('2030-02-01', '2030-03-31'))).toEqual([
      '2030-03-01 registration:reminder:14',
      '2030-03-08 registration:reminder:7',
      '2030-03-12 registration:reminder:3',
      '2030-03-14 registration:reminder:1',
      '2030-03-16 registration:overdue:1',
    ]);
  });

  it('sends nothing more when run twice the same day', () => {
    const sent = new Set<string>();
    expect(simulate(['2030-03-08'], sent)).toHaveLength(1);
    expect(simulate(['2030-03-08'], sent)).toHaveLength(0);
  });

  it('after a missed week sends only the latest reminder, not the ones skipped', () => {
    const sent = new Set<string>();
    simulate(['2030-03-01'], sent); // the 14-day reminder went out; then nothing ran for a week and more
    expect(simulate(['2030-03-13'], sent)).toEqual(['2030-03-13 registration:reminder:3']);
  });

  it('after the deadline sends the overdue notice only, even if the last reminders were missed', () => {
    expect(simulate(['2030-03-20', '2030-03-25', '2030-04-30'])).toEqual([
      '2030-03-20 registration:overdue:1',
    ]);
  });

  it('sends nothing for a campaign long past', () => {
    expect(ids('2031-06-01')).toEqual([]);
    expect(ids('2030-04-30')).toEqual([]);
  });

  it('runs the results phase on its own deadline', () => {
    expect(ids('2030-09-17')).toEqual(['results:reminder:14']);
    expect(ids('2030-09-30')).toEqual(['results:reminder:1']);
    expect(ids('2030-10-02')).toEqual(['results:overdue:1']);
  });

  it('marks the last reminder before a deadline (staff are copied on it)', () => {
    expect(dueReminders(schedule, '2030-03-14')[0]?.last).toBe(true);
    expect(dueReminders(schedule, '2030-03-12')[0]?.last).toBe(false);
  });

  it('counts days in the campaign time zone', () => {
    // 20:00 UTC on 13/3 is already 14/3 in Hanoi.
    expect(localDay(new Date('2030-03-13T20:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2030-03-14');
    expect(localDay(new Date('2030-03-13T16:00:00Z'), 'Asia/Ho_Chi_Minh')).toBe('2030-03-13');
  });
});
