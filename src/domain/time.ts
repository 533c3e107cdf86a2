import { DateTime } from 'luxon';

const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

// Every date a person reads is written as Decree 30/2020/NĐ-CP writes dates in official documents: the day with
// two digits below 10, the month with two digits only for January and February (05/8/2021, 31/7/2021,
// 03/02/2022). One formatter, so a sentence never mixes 31/07/2021 with 12/7/2021.

function zoned(d: Date | string, zone: string): DateTime {
  return typeof d === 'string' ? DateTime.fromISO(d, { zone }) : DateTime.fromJSDate(d, { zone });
}

function decreeDay(dt: DateTime): string {
  return `${twoDigits(dt.day)}/${dt.month <= 2 ? twoDigits(dt.month) : dt.month}/${dt.year}`;
}

/** A calendar day as Decree 30/2020 writes it (05/8/2021, 31/7/2021, 03/02/2022), in the given zone. */
export function formatDate(d: Date | string, zone = DEFAULT_TIME_ZONE): string {
  return decreeDay(zoned(d, zone));
}

/** A moment as "HH:mm dd/m/yyyy" (the day as `formatDate` writes it), in the given zone. */
export function formatDateTime(d: Date | string, zone = DEFAULT_TIME_ZONE): string {
  const dt = zoned(d, zone);
  return `${dt.toFormat('HH:mm')} ${decreeDay(dt)}`;
}

/** A moment inside a sentence: "14:02 ngày 05/12/2021" (the day as `formatDate` writes it), in the given zone. */
export function formatTimeOnDay(d: Date | string, zone = DEFAULT_TIME_ZONE): string {
  const dt = zoned(d, zone);
  return `${dt.toFormat('HH:mm')} ngày ${decreeDay(dt)}`;
}

/** A month as people write it: "7/2021" (from YYYY-MM, or a year and a month). */
export function formatMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  return m ? `${Number(m[2])}/${m[1]}` : month;
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
  return `${dt.toFormat('HH')} giờ ${dt.toFormat('mm')} phút ngày ${decreeDay(dt)}`;
}

/** A count as official letters write it, with two digits below ten: 01, 02, 12. */
export function twoDigits(n: number): string {
  return n < 10 && n >= 0 ? `0${n}` : String(n);
}

/** The calendar day (YYYY-MM-DD) an instant falls on in a time zone (a campaign's, for its deadlines). */
export function localDay(now: Date, timeZone: string): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate() ?? '';
}
