import { DateTime } from 'luxon';

export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A date as Vietnamese officials write it, dd/mm/yyyy, in the given zone. */
export function formatDate(d: Date | string, zone = DEFAULT_TIME_ZONE): string {
  const dt = typeof d === 'string' ? DateTime.fromISO(d, { zone }) : DateTime.fromJSDate(d, { zone });
  return dt.toFormat('dd/MM/yyyy');
}

/** A moment as "HH:mm dd/mm/yyyy" in the given zone. */
export function formatDateTime(d: Date, zone = DEFAULT_TIME_ZONE): string {
  return DateTime.fromJSDate(d, { zone }).toFormat('HH:mm dd/MM/yyyy');
}

/** Whole days from `now` until the end of a calendar-day deadline in the zone (negative once it has passed). */
export function daysUntil(deadline: string, now: Date, zone = DEFAULT_TIME_ZONE): number {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const due = DateTime.fromISO(deadline, { zone }).startOf('day');
  return Math.round(due.diff(today, 'days').days);
}
