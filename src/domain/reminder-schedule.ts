import { DateTime } from 'luxon';

export type Phase = 'registration' | 'results';

export interface CampaignSchedule {
  registrationDeadline: string; // YYYY-MM-DD, a calendar day in `timeZone`
  resultsDeadline: string;
  beforeDays: readonly number[]; // e.g. [14, 7, 3, 1]
  afterDays: readonly number[]; // e.g. [1]
  timeZone: string;
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
export const CATCH_UP_DAYS = 7;

/** Today's calendar day in the campaign's zone. */
export function localDay(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? '';
}

function daysBetween(from: string, to: string): number {
  return Math.round(DateTime.fromISO(to).diff(DateTime.fromISO(from), 'days').days);
}

/**
 * The reminders due on a day, one per phase at most: the latest point of the schedule reached so far. A run
 * that missed days therefore sends only the most recent reminder, never the ones it skipped; whether it was
 * already sent is for the caller to check (by its identity: agency, phase, kind, offset). After a deadline only
 * the overdue notice is due.
 */
export function dueReminders(schedule: CampaignSchedule, today: string): DueReminder[] {
  const due: DueReminder[] = [];
  const before = [...new Set(schedule.beforeDays)].filter((d) => d >= 1).sort((a, b) => a - b);
  const after = [...new Set(schedule.afterDays)].filter((d) => d >= 1).sort((a, b) => a - b);
  const phases: [Phase, string][] = [
    ['registration', schedule.registrationDeadline],
    ['results', schedule.resultsDeadline],
  ];
  for (const [phase, deadline] of phases) {
    const daysLeft = daysBetween(today, deadline);
    if (daysLeft >= 0) {
      // The smallest offset not yet passed is the point reached: 5 days left → the 7-day reminder.
      const reached = before.find((o) => o >= daysLeft);
      if (reached !== undefined && reached === nearestReached(before, daysLeft)) {
        due.push({
          phase,
          kind: 'reminder',
          offset: reached,
          deadline,
          daysLeft,
          last: reached === before[0],
        });
      }
    } else {
      const late = -daysLeft;
      const reached = [...after].reverse().find((o) => o <= late);
      // A missed run catches up for a week; a campaign long past (loaded late, or a demo) sends nothing.
      const window = (after[after.length - 1] ?? 0) + CATCH_UP_DAYS;
      if (reached !== undefined && late <= window) {
        due.push({ phase, kind: 'overdue', offset: reached, deadline, daysLeft, last: false });
      }
    }
  }
  return due;
}

// Before the first offset of the schedule (more than 14 days out) nothing is due.
function nearestReached(before: number[], daysLeft: number): number | undefined {
  const max = before[before.length - 1];
  if (max === undefined || daysLeft > max) return undefined;
  return before.find((o) => o >= daysLeft);
}
