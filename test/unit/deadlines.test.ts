import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CampaignFile } from '../../src/domain/campaign.js';
import {
  agencyDue,
  agencyTermsFromFile,
  calendarOf,
  deadlineFor,
  effectiveDeadline,
  exemptCodes,
  hasOwnDeadline,
  isLateFor,
  isWorkingDay,
  previousWorkingDay,
  type WorkingCalendar,
} from '../../src/domain/deadlines.js';
import { campaignStandingOf } from '../../src/domain/standing.js';
import { MailRenderer } from '../../src/mail/render.js';
import { projectRoot } from '../../src/ops/project-root.js';
import { acknowledgementView } from '../../src/registry/letters/acknowledgement-view.js';
import { onTimeLabel } from '../../src/reports/consolidated-report.js';

const ZONE = 'Asia/Ho_Chi_Minh';

// Vietnam's 2021 days off for civil servants, and an invented make-up Saturday to test the rule with.
const calendar: WorkingCalendar = {
  holidays: ['2021-04-30', '2021-05-01', '2021-05-03', '2021-09-02', '2021-09-03'],
  workingSaturdays: ['2021-08-07'],
  extendToNextWorkingDay: true,
};

/** A moment given as local time in Hanoi (UTC+7). */
const hanoi = (iso: string) => new Date(`${iso}+07:00`);

describe('working days', () => {
  it('are Monday to Friday, less the listed holidays, plus the listed make-up Saturdays', () => {
    expect(isWorkingDay('2021-07-30', calendar)).toBe(true); // Friday
    expect(isWorkingDay('2021-07-31', calendar)).toBe(false); // Saturday
    expect(isWorkingDay('2021-08-01', calendar)).toBe(false); // Sunday
    expect(isWorkingDay('2021-09-02', calendar)).toBe(false); // Thursday, Quốc khánh
    expect(isWorkingDay('2021-08-07', calendar)).toBe(true); // a make-up working Saturday
  });

  it('official mail due on a day off goes out on the working day before', () => {
    expect(previousWorkingDay('2021-07-31', calendar)).toBe('2021-07-30');
    expect(previousWorkingDay('2021-09-03', calendar)).toBe('2021-09-01');
  });
});

describe('the deadline that applies', () => {
  it('is the deadline day itself when that is a working day', () => {
    expect(effectiveDeadline('2021-11-30', calendar)).toBe('2021-11-30'); // Tuesday
  });

  it('ends with the Monday when the deadline falls on a Saturday (Civil Code art. 148)', () => {
    expect(effectiveDeadline('2021-07-31', calendar)).toBe('2021-08-02');
  });

  it('ends with the next working day when the deadline is a holiday, over the weekend after it', () => {
    expect(effectiveDeadline('2021-09-02', calendar)).toBe('2021-09-06');
    expect(effectiveDeadline('2021-04-30', calendar)).toBe('2021-05-04');
  });

  it('stays on a make-up working Saturday', () => {
    expect(effectiveDeadline('2021-08-07', calendar)).toBe('2021-08-07');
  });

  it('stays on the day itself when the campaign file turns the rule off', () => {
    expect(effectiveDeadline('2021-07-31', { ...calendar, extendToNextWorkingDay: false })).toBe(
      '2021-07-31',
    );
  });
});

describe('on time or late, in the campaign’s time zone', () => {
  /** Whether a results report received at `at` is late for a campaign whose results are due on `deadline`. */
  const late = (at: Date, deadline: string, extendToNextWorkingDay = true) =>
    isLateFor(
      {
        registration_deadline: '2021-07-30',
        results_deadline: deadline,
        time_zone: ZONE,
        calendar: {
          holidays: calendar.holidays,
          working_saturdays: calendar.workingSaturdays,
          extend_to_next_working_day: extendToNextWorkingDay,
        },
        agency_terms: {},
      },
      null,
      'results_report',
      at,
    );

  it('counts the whole deadline day as on time and the next minute as late', () => {
    expect(late(hanoi('2021-11-30T23:59'), '2021-11-30')).toBe(false);
    expect(late(hanoi('2021-12-01T00:01'), '2021-11-30')).toBe(true);
  });

  it('reads the arrival in local time, not UTC', () => {
    // 17:30 UTC on 30/11 is 00:30 on 1/12 in Hanoi.
    expect(late(new Date('2021-11-30T17:30:00Z'), '2021-11-30')).toBe(true);
    expect(late(new Date('2021-11-30T16:59:00Z'), '2021-11-30')).toBe(false);
  });

  it('keeps a form sent on the Sunday after a Saturday deadline on time, and the Tuesday late', () => {
    expect(late(hanoi('2021-08-01T10:00'), '2021-07-31')).toBe(false);
    expect(late(hanoi('2021-08-02T23:59'), '2021-07-31')).toBe(false);
    expect(late(hanoi('2021-08-03T00:01'), '2021-07-31')).toBe(true);
    expect(late(hanoi('2021-08-01T10:00'), '2021-07-31', false)).toBe(true);
  });
});

describe('an agency’s own terms', () => {
  const campaign = {
    registration_deadline: '2021-07-30',
    results_deadline: '2021-11-30',
    time_zone: ZONE,
    calendar: { holidays: [], working_saturdays: [], extend_to_next_working_day: true },
    agency_terms: agencyTermsFromFile({ 'so-y-te': { registration: '2021-08-16' } }, ['ubnd-huyen-ba-vi']),
  };

  it('gives an agency with an extension its own deadline, for that kind of form only', () => {
    expect(deadlineFor(campaign, 'registration', { registration: '2021-08-16' })).toBe('2021-08-16');
    expect(deadlineFor(campaign, 'results_report', { registration: '2021-08-16' })).toBe('2021-11-30');
    expect(isLateFor(campaign, 'so-y-te', 'registration', hanoi('2021-08-10T09:00'))).toBe(false);
    expect(isLateFor(campaign, 'so-tu-phap', 'registration', hanoi('2021-08-10T09:00'))).toBe(true);
    expect(isLateFor(campaign, null, 'registration', hanoi('2021-07-30T23:59'))).toBe(false);
    expect(agencyDue(campaign, 'so-y-te', 'registration')).toEqual({
      deadline: '2021-08-16',
      lastDay: '2021-08-16',
    });
    // The campaign's 30/7/2021 was a Friday; an extension to a Sunday runs to the Monday.
    const sunday = {
      ...campaign,
      agency_terms: agencyTermsFromFile({ 'so-y-te': { results: '2021-11-28' } }, []),
    };
    expect(agencyDue(sunday, 'so-y-te', 'results_report')).toEqual({
      deadline: '2021-11-28',
      lastDay: '2021-11-29',
    });
    expect(agencyDue(sunday, 'so-y-te', 'registration').deadline).toBe('2021-07-30');
    expect(hasOwnDeadline(sunday, 'so-y-te')).toBe(true);
    expect(hasOwnDeadline(campaign, 'ubnd-huyen-ba-vi')).toBe(false);
  });

  it('requires nothing of an exempt agency', () => {
    const exempt = exemptCodes(campaign.agency_terms);
    expect([...exempt]).toEqual(['ubnd-huyen-ba-vi']);
    const base = { name: 'x', registryQuota: null, reported: 0, lastSubmissionAt: null };
    const s = campaignStandingOf(
      [
        { ...base, id: '1', code: 'ubnd-huyen-ba-vi', kind: 'district', registered: 0 },
        { ...base, id: '2', code: 'ubnd-huyen-dong-anh', kind: 'district', registered: 0, late: 1 },
      ],
      { district: 2 },
      exempt,
    );
    expect(s.agencies.map((a) => [a.code, a.required, a.met, a.exempt, a.late])).toEqual([
      ['ubnd-huyen-dong-anh', 2, false, false, 1],
      ['ubnd-huyen-ba-vi', 0, true, true, 0],
    ]);
    expect(s.total.required).toBe(2);
  });

  it('reads a calendar stored before calendars existed as the plain one', () => {
    expect(calendarOf(null)).toEqual({ holidays: [], workingSaturdays: [], extendToNextWorkingDay: true });
  });
});

describe('the campaign file', () => {
  const base = {
    year: 2021,
    name: 'Sáng kiến CCHC 2021',
    inbox_address: 'phongcchc_sonv@hanoi.gov.vn',
    registration_deadline: '31/07/2021',
    results_deadline: '30/11/2021',
    quotas: { department: 1, district: 2 },
  };

  it('reads the calendar, extensions and exemptions, dates as Vietnamese write them', () => {
    const c = CampaignFile.parse({
      ...base,
      calendar: { holidays: ['02/09/2021', '2021-09-03'], working_saturdays: ['07/08/2021'] },
      extensions: { 'so-y-te': { registration: '16/08/2021' } },
      exempt: ['ubnd-huyen-ba-vi'],
    });
    expect(c.calendar).toEqual({
      holidays: ['2021-09-02', '2021-09-03'],
      working_saturdays: ['2021-08-07'],
      extend_to_next_working_day: true,
    });
    expect(agencyTermsFromFile(c.extensions, c.exempt)).toEqual({
      'so-y-te': { registration: '2021-08-16' },
      'ubnd-huyen-ba-vi': { exempt: true },
    });
  });

  it('has a plain calendar and no agency terms when it says nothing of them', () => {
    const c = CampaignFile.parse(base);
    expect(c.calendar.extend_to_next_working_day).toBe(true);
    expect(c.extensions).toEqual({});
    expect(c.exempt).toEqual([]);
  });

  it('refuses a day that is both a holiday and a working Saturday, and a bad date', () => {
    expect(
      CampaignFile.safeParse({
        ...base,
        calendar: { holidays: ['07/08/2021'], working_saturdays: ['07/08/2021'] },
      }).success,
    ).toBe(false);
    expect(
      CampaignFile.safeParse({ ...base, extensions: { 'so-y-te': { registration: '32/08/2021' } } }).success,
    ).toBe(false);
  });
});

describe('what the office shows of a late form', () => {
  const submission = {
    kind: 'registration' as const,
    status: 'active' as const,
    reference: 'CCHC-2021-00007',
    review_reasons: [],
    supersedes_id: null,
    late: true,
    initiatives: [{ title: 'Số hóa hồ sơ', timeline: null }],
    results: [],
  };
  const view = (s: typeof submission | { [k: string]: unknown }, minimal = false) =>
    acknowledgementView({
      office: 'Phòng CCHC',
      inboxAddress: 'phongcchc_sonv@hanoi.gov.vn',
      zone: ZONE,
      receivedAt: hanoi('2021-08-03T00:01'),
      subject: null,
      rawSize: 1000,
      rejectReason: null,
      maxMessageBytes: 1e6,
      senderAgencyName: 'Sở Tư pháp',
      files: [
        {
          filename: 'bieu.docx',
          state: 'parsed',
          reason_code: null,
          warnings: [],
          submission: s as typeof submission,
        },
      ],
      standing: null,
      deadlines: { registration: '2021-07-31', results_report: '2021-11-30' },
      contact: null,
      minimal,
      advice: {},
    });
  const ack = (s: typeof submission | { [k: string]: unknown }, minimal = false) =>
    view(s, minimal).files[0]?.lateNote;

  it('tells the sender a late form arrived after the deadline and still counts', () => {
    expect(ack(submission)).toBe(
      'Biểu đăng ký được gửi sau hạn (thời hạn: chậm nhất ngày 31/7/2021); Phòng CCHC vẫn tiếp nhận và tính vào số lượng đăng ký.',
    );
  });

  it('puts the note in both parts of the mail, under the file it is about', () => {
    const mail = new MailRenderer(join(projectRoot(), 'templates')).render(
      'acknowledgement',
      view(submission),
    );
    expect(mail.text).toMatch(
      /\* bieu\.docx\n[^*]*được gửi sau hạn \(thời hạn: chậm nhất ngày 31\/7\/2021\)/,
    );
    expect(mail.html).toContain('Biểu đăng ký được gửi sau hạn (thời hạn: chậm nhất ngày 31/7/2021)');
  });

  it('says nothing of lateness for a form on time, one held for review, or to a stranger', () => {
    expect(ack({ ...submission, late: false })).toBeNull();
    expect(ack({ ...submission, status: 'pending_review' })).toBeNull();
    expect(ack(submission, true)).toBeNull();
  });

  it('marks a new late form “gửi sau hạn” in the staff digest', () => {
    const renderer = new MailRenderer(join(projectRoot(), 'templates'));
    const row = { reference: 'CCHC-2021-00007', agency: 'Sở Tư pháp', what: 'Biểu đăng ký, 1 sáng kiến' };
    const digest = renderer.render('digest', {
      newSubmissions: [
        { ...row, status: 'Đã ghi nhận', late: true },
        { ...row, reference: 'CCHC-2021-00008', status: 'Đã ghi nhận', late: false },
      ],
      review: { count: 0, messages: [], files: [], results: [] },
      bounces: { count: 0 },
    });
    expect(digest.text).toContain(
      '- CCHC-2021-00007 | Sở Tư pháp | Biểu đăng ký, 1 sáng kiến | Đã ghi nhận | Gửi sau hạn',
    );
    expect(digest.text).toContain(
      '- CCHC-2021-00008 | Sở Tư pháp | Biểu đăng ký, 1 sáng kiến | Đã ghi nhận\n',
    );
    expect(digest.html).toContain('(Gửi sau hạn)');
  });

  it('marks the report’s row Gửi sau hạn or Đúng hạn', () => {
    expect([onTimeLabel({ late: true }), onTimeLabel({ late: false }), onTimeLabel({})]).toEqual([
      'Gửi sau hạn',
      'Đúng hạn',
      'Đúng hạn',
    ]);
  });
});
