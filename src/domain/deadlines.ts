import { DateTime } from 'luxon';
import { z } from 'zod';
import { formatDate, localDay } from './time.js';

/**
 * The working days of a campaign: Monday to Friday, less the listed public holidays, plus the listed make-up
 * working days (the Saturdays the government moves a working day to). Days are YYYY-MM-DD.
 */
export interface WorkingCalendar {
  holidays: readonly string[];
  workingSaturdays: readonly string[];
  /**
   * When a deadline day is not a working day, the time limit ends with the next working day (Civil Code 2015,
   * art. 148(5)); a campaign whose document says "by 31/7 even though it is a Saturday" turns this off.
   */
  extendToNextWorkingDay: boolean;
}

const PLAIN_CALENDAR: WorkingCalendar = Object.freeze({
  holidays: [],
  workingSaturdays: [],
  extendToNextWorkingDay: true,
});

/** One agency's own terms in a campaign (from the campaign file): its own deadlines, or no quota at all. */
export interface AgencyTerms {
  registration?: string;
  results?: string;
  exempt?: boolean;
}

export type DeadlineKind = 'registration' | 'results_report';

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The calendar as the database keeps it (campaigns.calendar); anything missing reads as the plain calendar. */
const StoredCalendar = z
  .object({
    holidays: z.array(Day).default([]),
    working_saturdays: z.array(Day).default([]),
    extend_to_next_working_day: z.boolean().default(true),
  })
  .transform(
    (c): WorkingCalendar => ({
      holidays: c.holidays,
      workingSaturdays: c.working_saturdays,
      extendToNextWorkingDay: c.extend_to_next_working_day,
    }),
  );

/** Per-agency terms as the database keeps them (campaigns.agency_terms), keyed by agency code. */
const StoredAgencyTerms = z.record(
  z.string(),
  z.object({ registration: Day.optional(), results: Day.optional(), exempt: z.boolean().optional() }),
);

/**
 * What was read of a stored value, kept for as long as that value lives: the workers keep a campaign's row for a
 * minute and decide its deadlines for every message (validating its calendar and finding its next working day
 * each time was a visible share of the acknowledgement's work). A row read again is a new object, read afresh.
 */
function readOnce<T>(read: (stored: unknown) => T): (stored: unknown) => T {
  const seen = new WeakMap<object, T>();
  return (stored) => {
    if (typeof stored !== 'object' || stored === null) return read(stored);
    let value = seen.get(stored);
    if (value === undefined) {
      value = read(stored);
      seen.set(stored, value);
    }
    return value;
  };
}

/** A stored calendar, read defensively: a row written before calendars existed is the plain calendar. */
export const calendarOf: (stored: unknown) => WorkingCalendar = readOnce((stored) => {
  const parsed = StoredCalendar.safeParse(stored ?? {});
  return parsed.success ? Object.freeze(parsed.data) : PLAIN_CALENDAR;
});

/** Stored per-agency terms, read defensively (none when absent). */
export const agencyTermsOf: (stored: unknown) => Readonly<Record<string, AgencyTerms>> = readOnce(
  (stored) => {
    const parsed = StoredAgencyTerms.safeParse(stored ?? {});
    return Object.freeze(parsed.success ? parsed.data : {});
  },
);

function day(iso: string): DateTime {
  return DateTime.fromISO(iso, { zone: 'UTC' });
}

/** Whether a calendar day is a working day: a weekday that is not a holiday, or a listed make-up working day. */
export function isWorkingDay(iso: string, calendar: WorkingCalendar): boolean {
  if (calendar.holidays.includes(iso)) return false;
  if (calendar.workingSaturdays.includes(iso)) return true;
  return day(iso).weekday <= 5;
}

/** The first working day on or after `iso`. */
export function nextWorkingDay(iso: string, calendar: WorkingCalendar): string {
  let d = day(iso);
  // A year has far fewer than 60 consecutive days off; the bound only guards against a malformed calendar.
  for (let i = 0; i < 60 && !isWorkingDay(d.toISODate() ?? iso, calendar); i++) d = d.plus({ days: 1 });
  return d.toISODate() ?? iso;
}

/** The last working day on or before `iso` (when official mail due on a day off goes out instead). */
export function previousWorkingDay(iso: string, calendar: WorkingCalendar): string {
  let d = day(iso);
  for (let i = 0; i < 60 && !isWorkingDay(d.toISODate() ?? iso, calendar); i++) d = d.minus({ days: 1 });
  return d.toISODate() ?? iso;
}

/**
 * The last day a form is on time: the deadline day itself, or — when that is not a working day and the
 * campaign keeps the Civil Code's rule — the end of the next working day.
 */
export function effectiveDeadline(deadline: string, calendar: WorkingCalendar): string {
  if (!calendar.extendToNextWorkingDay) return deadline;
  const days = lastDays.get(calendar) ?? new Map<string, string>();
  lastDays.set(calendar, days);
  const last = days.get(deadline) ?? nextWorkingDay(deadline, calendar);
  days.set(deadline, last);
  return last;
}
// The last on-time day of each deadline, per calendar (a calendar read once lives as long as its campaign's row).
const lastDays = new WeakMap<WorkingCalendar, Map<string, string>>();

/** The deadline that applies to an agency's form of a kind: its own extension, else the campaign's. */
export function deadlineFor(
  campaign: { registration_deadline: string; results_deadline: string },
  kind: DeadlineKind,
  terms: AgencyTerms | undefined,
): string {
  return kind === 'registration'
    ? (terms?.registration ?? campaign.registration_deadline)
    : (terms?.results ?? campaign.results_deadline);
}

/** The agency codes the campaign exempts (quota 0). */
export function exemptCodes(terms: Readonly<Record<string, AgencyTerms>>): Set<string> {
  return new Set(
    Object.entries(terms)
      .filter(([, t]) => t.exempt)
      .map(([code]) => code),
  );
}

/** The campaign file's extensions and exemptions as one record of terms per agency code. */
export function agencyTermsFromFile(
  extensions: Readonly<Record<string, { registration?: string; results?: string }>>,
  exempt: readonly string[],
): Record<string, AgencyTerms> {
  const terms: Record<string, AgencyTerms> = {};
  for (const [code, e] of Object.entries(extensions)) terms[code] = { ...e };
  for (const code of exempt) terms[code] = { ...terms[code], exempt: true };
  return terms;
}

/** What of a campaign row deciding an agency's deadlines reads (a campaigns row has all of it). */
export interface CampaignTerms {
  registration_deadline: string;
  results_deadline: string;
  time_zone: string;
  /** campaigns.calendar */
  calendar: unknown;
  /** campaigns.agency_terms, keyed by agency code */
  agency_terms: unknown;
}

/**
 * An agency's deadline for a kind of form — its own extension when the campaign file gives one, else the
 * campaign's (`deadline`, as the campaign file writes it) — and the last day a form is on time (`lastDay`: the
 * deadline, or the next working day when it falls on a day off and the campaign keeps that rule). With no agency
 * (or one the file does not name), the campaign's. The one place an agency's own dates are decided.
 */
export function agencyDue(
  campaign: CampaignTerms,
  agencyCode: string | null,
  kind: DeadlineKind,
): { deadline: string; lastDay: string } {
  const terms = agencyCode ? agencyTermsOf(campaign.agency_terms)[agencyCode] : undefined;
  const deadline = deadlineFor(campaign, kind, terms);
  return { deadline, lastDay: effectiveDeadline(deadline, calendarOf(campaign.calendar)) };
}

/** Whether the campaign file gives this agency dates of its own (an extension of either deadline). */
export function hasOwnDeadline(campaign: Pick<CampaignTerms, 'agency_terms'>, agencyCode: string): boolean {
  const t = agencyTermsOf(campaign.agency_terms)[agencyCode];
  return Boolean(t?.registration || t?.results);
}

/**
 * Whether a form of `kind` from the agency, received at `receivedAt`, came after its deadline: the whole last
 * on-time day, in the campaign's time zone, is on time.
 */
export function isLateFor(
  campaign: CampaignTerms,
  agencyCode: string | null,
  kind: DeadlineKind,
  receivedAt: Date,
): boolean {
  return localDay(receivedAt, campaign.time_zone) > agencyDue(campaign, agencyCode, kind).lastDay;
}

/** How every letter and page states a deadline (src/domain/deadlines.ts, `dueWords`). */
export interface DueWords {
  /** The announced day as Decree 30/2020 writes it: "31/7/2021". */
  date: string;
  /** "chậm nhất ngày 31/7/2021": how an agency is asked, while that day has not passed. */
  by: string;
  /** The announced day has passed: the agency is asked to send "khẩn trương", never by a day already gone. */
  urgent: boolean;
  /** For staff only, where it matters: "tính đúng hạn đến hết 02/8/2021" when a day off moves the last day. */
  onTimeUntil: string | null;
}

/**
 * The one way to state an agency's deadline (from `agencyDue`) on `today` (YYYY-MM-DD): the announced date
 * ("chậm nhất ngày 31/7/2021"), "khẩn trương" once it has passed, and the effective last day for staff.
 */
export function dueWords(due: { deadline: string; lastDay: string }, today: string): DueWords {
  const date = formatDate(due.deadline);
  return {
    date,
    by: `chậm nhất ngày ${date}`,
    urgent: today > due.deadline,
    onTimeUntil: due.lastDay !== due.deadline ? `tính đúng hạn đến hết ${formatDate(due.lastDay)}` : null,
  };
}
