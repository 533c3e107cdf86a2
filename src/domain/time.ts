import { DateTime } from 'luxon';

const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

/** A date as Vietnamese officials write it, dd/mm/yyyy, in the given zone. */
export function formatDate(d: Date | string, zone = DEFAULT_TIME_ZONE): string {
  const dt = typeof d === 'string' ? DateTime.fromISO(d, { zone }) : DateTime.fromJSDate(d, { zone });
  return dt.toFormat('dd/MM/yyyy');
}

// One formatter per zone, made once: every acknowledgement prints a moment, and building a zoned date per call
// cost more than the rest of the formatting.
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A moment as "HH:mm dd/mm/yyyy" in the given zone. */
export function formatDateTime(d: Date, zone = DEFAULT_TIME_ZONE): string {
  let format = dateTimeFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      hour: '2-digit',
      minute: '2-digit',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
    });
    dateTimeFormats.set(zone, format);
  }
  const part: Partial<Record<Intl.DateTimeFormatPartTypes, string>> = {};
  for (const p of format.formatToParts(d)) part[p.type] = p.value;
  return `${part.hour}:${part.minute} ${part.day}/${part.month}/${part.year}`;
}

/** Whole days from `now` until the end of a calendar-day deadline in the zone (negative once it has passed). */
export function daysUntil(deadline: string, now: Date, zone = DEFAULT_TIME_ZONE): number {
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const due = DateTime.fromISO(deadline, { zone }).startOf('day');
  return Math.round(due.diff(today, 'days').days);
}

/** A moment as official letters write it: "09 giờ 14 phút ngày 26/7/2021", in the given zone. */
export function formatMomentInWords(d: Date, zone = DEFAULT_TIME_ZONE): string {
  const dt = DateTime.fromJSDate(d, { zone });
  return `${dt.toFormat('HH')} giờ ${dt.toFormat('mm')} phút ngày ${dt.toFormat('d/M/yyyy')}`;
}

/** A calendar day as official letters write it: "31/7/2021". */
export function formatDayInWords(d: Date | string, zone = DEFAULT_TIME_ZONE): string {
  const dt = typeof d === 'string' ? DateTime.fromISO(d, { zone }) : DateTime.fromJSDate(d, { zone });
  return dt.toFormat('d/M/yyyy');
}

/** A count as official letters write it, with two digits below ten: 01, 02, 12. */
export function twoDigits(n: number): string {
  return n < 10 && n >= 0 ? `0${n}` : String(n);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone (a campaign's, for its deadlines). */
export function localDay(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? '';
}
