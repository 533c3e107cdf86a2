import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { calendarOf, isWorkingDay, type WorkingCalendar } from '../../src/domain/deadlines.js';
import { type CampaignSchedule, dueReminders, sendingDays } from '../../src/domain/reminder-schedule.js';
import { parseCampaignFile } from '../../src/registry/reference/data-files.js';

// The shipped 2021 campaign: registration by Saturday 31/7/2021, results by Tuesday 30/11/2021.
const hanoi = parseCampaignFile(
  readFileSync(new URL('../../data/campaign-hanoi-2021.yaml', import.meta.url), 'utf8'),
);
const calendar2021 = calendarOf(hanoi.calendar);
const schedule2021: CampaignSchedule = {
  registrationDeadline: hanoi.registration_deadline,
  resultsDeadline: hanoi.results_deadline,
  beforeDays: hanoi.reminders.before_days,
  afterDays: hanoi.reminders.after_days,
  timeZone: hanoi.time_zone,
  calendar: calendar2021,
};

const span = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = DateTime.fromISO(from); d <= DateTime.fromISO(to); d = d.plus({ days: 1 }))
    out.push(d.toISODate() ?? '');
  return out;
};

/** A daily job over a span of days that remembers what it sent (the outbox's dedupe keys). */
function simulate(schedule: CampaignSchedule, days: string[], sent = new Set<string>()): string[] {
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
const weekday = (iso: string) => DateTime.fromISO(iso).weekday;

describe('official mail on working days', () => {
  it('2021: every reminder and overdue notice on a working day, each once, none on a Saturday or Sunday', () => {
    const fired = simulate(schedule2021, span('2021-07-01', '2021-12-31'));
    expect(fired).toEqual([
      '2021-07-16 registration:reminder:14', // 17/7 is a Saturday: the Friday before
      '2021-07-23 registration:reminder:7', // 24/7 is a Saturday
      '2021-07-28 registration:reminder:3',
      '2021-07-30 registration:reminder:1',
      // 31/7 is a Saturday, so a form is on time until Monday 2/8: the notice goes out the day after that.
      '2021-08-03 registration:overdue:1',
      '2021-11-16 results:reminder:14',
      '2021-11-23 results:reminder:7',
      '2021-11-26 results:reminder:3', // 27/11 is a Saturday
      '2021-11-29 results:reminder:1',
      '2021-12-01 results:overdue:1',
    ]);
    for (const line of fired) {
      const day = line.slice(0, 10);
      expect(isWorkingDay(day, calendar2021)).toBe(true);
      expect(weekday(day)).toBeLessThanOrEqual(5);
    }
  });

  it('sends nothing on a day off, and the mail due then already went out the working day before', () => {
    for (const day of ['2021-07-17', '2021-07-24', '2021-07-25', '2021-08-01', '2021-11-27']) {
      expect(dueReminders(schedule2021, day)).toEqual([]);
    }
    // A run that missed Friday 23/7 catches up on Monday 26/7 with the 7-day reminder, once.
    const sent = new Set<string>(['registration:reminder:14']);
    expect(simulate(schedule2021, span('2021-07-24', '2021-07-27'), sent)).toEqual([
      '2021-07-26 registration:reminder:7',
    ]);
  });

  it('never sends the overdue notice while a form would still be on time', () => {
    // Sunday 1/8 is a day off and Monday 2/8 is the last day a registration is on time.
    expect(dueReminders(schedule2021, '2021-08-01')).toEqual([]);
    expect(dueReminders(schedule2021, '2021-08-02')).toEqual([]);
    expect(dueReminders(schedule2021, '2021-08-03').map((r) => `${r.kind}:${r.offset}`)).toEqual([
      'overdue:1',
    ]);
  });

  it('moves a reminder off a listed public holiday to the working day before', () => {
    // Registration by Tuesday 4/5/2021: 3/5 (the day off for 1/5), 30/4 and 1/5 are holidays, 2/5 a Sunday.
    const s = { ...schedule2021, registrationDeadline: '2021-05-04', resultsDeadline: '2021-12-31' };
    expect(sendingDays(s, '2021-05-04').reminders).toEqual([
      { offset: 1, day: '2021-04-29' },
      { offset: 3, day: '2021-04-29' },
      { offset: 7, day: '2021-04-27' },
      { offset: 14, day: '2021-04-20' },
    ]);
    // The 3-day and 1-day reminders fold onto Thursday 29/4: the nearer one goes out, once; no mail 30/4–3/5.
    expect(simulate(s, span('2021-04-15', '2021-05-04'))).toEqual([
      '2021-04-20 registration:reminder:14',
      '2021-04-27 registration:reminder:7',
      '2021-04-29 registration:reminder:1',
    ]);
  });

  it('moves an overdue notice off a holiday to the next working day', () => {
    // Registration by Thursday 29/4/2021: the day after is the 30/4 holiday, then 1/5–3/5 are days off.
    const s = { ...schedule2021, registrationDeadline: '2021-04-29', resultsDeadline: '2021-12-31' };
    const sent = new Set(['registration:reminder:1']);
    expect(simulate(s, span('2021-04-29', '2021-05-10'), sent)).toEqual([
      '2021-05-04 registration:overdue:1',
    ]);
  });

  it('sends on a listed make-up working Saturday', () => {
    const calendar: WorkingCalendar = { ...calendar2021, workingSaturdays: ['2021-07-24'] };
    const s = { ...schedule2021, calendar };
    expect(simulate(s, span('2021-07-20', '2021-07-26'), new Set(['registration:reminder:14']))).toEqual([
      '2021-07-24 registration:reminder:7',
    ]);
  });
});
