import { DateTime } from 'luxon';
import { z } from 'zod';
import { ScoringTable } from './assessment.js';
import { AGENCY_KINDS } from './kinds.js';

// A calendar day as YYYY-MM-DD or as Vietnamese write it, D/M/YYYY.
const CalendarDay = z.union([z.string(), z.date()]).transform((v, ctx) => {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const s = v.trim();
  const dmy = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const iso = dmy ? `${dmy[3]}-${dmy[2]?.padStart(2, '0')}-${dmy[1]?.padStart(2, '0')}` : s;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso) || !DateTime.fromISO(iso).isValid) {
    ctx.addIssue({ code: 'custom', message: `expected a date as YYYY-MM-DD or DD/MM/YYYY, got "${s}"` });
    return z.NEVER;
  }
  return iso;
});

const AgencyCode = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected an agency code such as so-tu-phap');

/** Working days (src/domain/deadlines.ts): listed public holidays and make-up working Saturdays. */
const Calendar = z
  .object({
    holidays: z.array(CalendarDay).default([]),
    working_saturdays: z.array(CalendarDay).default([]),
    extend_to_next_working_day: z.boolean().default(true),
  })
  .strict()
  .refine((c) => !c.holidays.some((d) => c.working_saturdays.includes(d)), {
    message: 'a day cannot be both a holiday and a working Saturday',
  })
  .transform((c) => ({
    ...c,
    holidays: [...new Set(c.holidays)].sort(),
    working_saturdays: [...new Set(c.working_saturdays)].sort(),
  }));

const Extension = z
  .object({ registration: CalendarDay.optional(), results: CalendarDay.optional() })
  .strict();

const Offsets = z
  .array(z.number().int().min(0).max(365))
  .transform((a) => [...new Set(a)].sort((x, y) => y - x));

/** The document that launched the campaign, as official mail cites it ("Văn bản số 1980/SNV-CCHC ngày 12/7/2021"). */
const SourceDocument = z
  .object({
    number: z.string().trim().min(1),
    date: CalendarDay,
    issuer: z.string().trim().min(1).default('Sở Nội vụ'),
  })
  .strict();

/** Whom agencies may call at the office about their forms; named in every mail to them. */
const Contact = z
  .object({
    name: z.string().trim().min(1),
    phone: z
      .string()
      .trim()
      .regex(/^[0-9+().\s-]{6,}$/, 'expected a phone number such as 024.3825.xxxx')
      .optional(),
  })
  .strict();

/** A campaign file (YAML or JSON): year, deadlines, quotas per agency kind, reminder offsets. */
export const CampaignFile = z
  .object({
    code: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/, 'code must be a lowercase slug such as hanoi-2021')
      .optional(),
    year: z.number().int().min(2000).max(2100),
    name: z.string().trim().min(1),
    inbox_address: z.email(),
    time_zone: z
      .string()
      .default('Asia/Ho_Chi_Minh')
      .refine((tz) => DateTime.local().setZone(tz).isValid, 'expected an IANA time zone'),
    registration_deadline: CalendarDay,
    results_deadline: CalendarDay,
    quotas: z.partialRecord(z.enum(AGENCY_KINDS), z.number().int().min(0)),
    reminders: z
      .object({
        before_days: Offsets.default([14, 7, 3, 1]),
        after_days: Offsets.default([1]),
      })
      .default({ before_days: [14, 7, 3, 1], after_days: [1] }),
    calendar: Calendar.default({ holidays: [], working_saturdays: [], extend_to_next_working_day: true }),
    /** An agency's own deadlines, by agency code. */
    extensions: z.record(AgencyCode, Extension).default({}),
    document: SourceDocument.optional(),
    contact: Contact.optional(),
    /** Agencies with no quota in this campaign, by code. */
    exempt: z
      .array(AgencyCode)
      .default([])
      .transform((a) => [...new Set(a)].sort()),
    /** Points per assessment fact (src/domain/assessment.ts); none are given without it. */
    scoring: ScoringTable.optional(),
  })
  .strict()
  .refine((c) => c.registration_deadline <= c.results_deadline, {
    message: 'registration_deadline must not be after results_deadline',
    path: ['results_deadline'],
  })
  .transform((c) => ({ ...c, code: c.code ?? String(c.year) }));
export type CampaignFile = z.infer<typeof CampaignFile>;
