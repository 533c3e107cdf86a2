import { DateTime } from 'luxon';
import {
  effectiveDeadline,
  isWorkingDay,
  nextWorkingDay,
  previousWorkingDay,
  type WorkingCalendar,
} from './deadlines.js';

type Phase = 'registration' | 'results';

export interface CampaignSchedule {
  registrationDeadline: string; // YYYY-MM-DD, a calendar day in `timeZone`
  resultsDeadline: string;
  beforeDays: readonly number[]; // e.g. [14, 7, 3, 1]
  afterDays: readonly number[]; // e.g. [1]
  timeZone: string;
  /**
   * The campaign's working days (src/domain/deadlines.ts). Official mail goes out on working days only: a
   * reminder due on a day off goes on the working day before it, an overdue notice on the working day after
   * (counted from the day the deadline really ends). Without a calendar every day is a sending day.
   */
  calendar?: WorkingCalendar;
}

export interface DueReminder {
  phase: Phase;
  kind: 'reminder' | 'overdue';
  /** Days before the deadline (reminder) or after it (overdue): with phase and agency, the reminder's identity. */
  offset: number;
  deadline: string;
  /** Whole days from today to the deadline (negative once passed). */
  daysLeft: number;
  /** The last reminder before the deadline (staff are copied on it, to call the agency). */
  last: boolean;
}

/** How long after its day an overdue notice may still go out when runs were missed. */
const CATCH_UP_DAYS = 7;

function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days);
}

function plusDays(iso: string, days: number): string {
  return DateTime.fromISO(iso, { zone: 'UTC' }).plus({ days }).toISODate() ?? iso;
}

/** A point of the schedule: an offset and the day its mail goes out. */
interface Point {
  offset: number;
  day: string;
}

/**
 * The day each reminder and overdue notice of a deadline goes out. A reminder's nominal day (the deadline less
 * its offset) moves back to the working day before it when it is a day off; an overdue notice counts from the
 * day the deadline really ends (a deadline on a day off may run to the next working day) and moves forward to
 * the next working day, so it never goes out while a form would still be on time.
 */
export function sendingDays(
  schedule: Pick<CampaignSchedule, 'beforeDays' | 'afterDays' | 'calendar'>,
  deadline: string,
): { reminders: Point[]; overdue: Point[] } {
  const { calendar } = schedule;
  const before = [...new Set(schedule.beforeDays)].filter((d) => d >= 1).sort((a, b) => a - b);
  const after = [...new Set(schedule.afterDays)].filter((d) => d >= 1).sort((a, b) => a - b);
  const ends = calendar ? effectiveDeadline(deadline, calendar) : deadline;
  return {
    reminders: before.map((offset) => {
      const nominal = plusDays(deadline, -offset);
      return { offset, day: calendar ? previousWorkingDay(nominal, calendar) : nominal };
    }),
    overdue: after.map((offset) => {
      const nominal = plusDays(ends, offset);
      return { offset, day: calendar ? nextWorkingDay(nominal, calendar) : nominal };
    }),
  };
}

/**
 * The point reached on a day: the one whose sending day is the latest not after it; when two share that day
 * (a long holiday folds them together) the one nearer the deadline, which makes the other moot.
 */
function reachedPoint(points: Point[], today: string, nearer: (a: Point, b: Point) => boolean) {
  let best: Point | undefined;
  for (const p of points) {
    if (p.day > today) continue;
    if (!best || p.day > best.day || (p.day === best.day && nearer(p, best))) best = p;
  }
  return best;
}

/**
 * The reminders due on a day, one per phase at most: the latest point of the schedule reached so far. A run
 * that missed days therefore sends only the most recent reminder, never the ones it skipped; whether it was
 * already sent is for the caller to check (by its identity: agency, phase, kind, offset). After a deadline only
 * the overdue notice is due. With a calendar nothing is due on a day off.
 */
export function dueReminders(schedule: CampaignSchedule, today: string): DueReminder[] {
  if (schedule.calendar && !isWorkingDay(today, schedule.calendar)) return [];
  const due: DueReminder[] = [];
  const phases: [Phase, string][] = [
    ['registration', schedule.registrationDeadline],
    ['results', schedule.resultsDeadline],
  ];
  for (const [phase, deadline] of phases) {
    const daysLeft = daysBetween(today, deadline);
    const points = sendingDays(schedule, deadline);
    if (daysLeft >= 0) {
      const reached = reachedPoint(points.reminders, today, (a, b) => a.offset < b.offset);
      if (reached) {
        due.push({
          phase,
          kind: 'reminder',
          offset: reached.offset,
          deadline,
          daysLeft,
          last: reached.offset === points.reminders[0]?.offset,
        });
      }
    } else {
      const reached = reachedPoint(points.overdue, today, (a, b) => a.offset > b.offset);
      // A missed run catches up for a week; a campaign long past (loaded late, or a demo) sends nothing.
      const lastDay = points.overdue[points.overdue.length - 1]?.day;
      if (reached && lastDay && daysBetween(lastDay, today) <= CATCH_UP_DAYS) {
        due.push({ phase, kind: 'overdue', offset: reached.offset, deadline, daysLeft, last: false });
      }
    }
  }
  return due;
}
