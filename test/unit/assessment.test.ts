import { describe, expect, it } from 'vitest';
import {
  type AssessedInitiative,
  assessAgency,
  type EvidenceForm,
  ScoringTable,
} from '../../src/domain/assessment.js';
import { CampaignFile } from '../../src/domain/campaign.js';
import { agencyTermsFromFile } from '../../src/domain/deadlines.js';
import type { AgencyKind } from '../../src/domain/kinds.js';
import { agencyStanding } from '../../src/domain/standing.js';

// The assessment facts of one agency are one pure rule: a campaign with an agency on time, one late, one exempt
// and one with its own deadline, looked at after the results deadline.

const campaign = {
  registration_deadline: '2021-07-31', // a Saturday: on time until the end of Monday 2/8
  results_deadline: '2021-11-30',
  time_zone: 'Asia/Ho_Chi_Minh',
  calendar: { holidays: [], working_saturdays: [], extend_to_next_working_day: true },
  agency_terms: agencyTermsFromFile({ 'so-y-te': { registration: '2021-08-16' } }, ['so-gtvt']),
};
const quotas = { department: 1, district: 2 };
const after = new Date('2021-12-10T03:00:00Z');
const at = (iso: string) => new Date(`${iso}+07:00`);

function standing(code: string, kind: AgencyKind, registered: number, reported: number, exempt = false) {
  return agencyStanding(
    { id: code, code, name: code, kind, registryQuota: null, registered, reported, lastSubmissionAt: null },
    quotas,
    exempt,
  );
}
let n = 0;
function form(kind: EvidenceForm['kind'], receivedAt: Date, late = false): EvidenceForm {
  n += 1;
  return {
    reference: `CCHC-2021-${String(n).padStart(5, '0')}`,
    kind,
    receivedAt,
    late,
    messageId: String(n),
    filename: `f${n}.docx`,
  };
}
function initiative(
  result: AssessedInitiative['result'],
  verdict: AssessedInitiative['verdict'] = null,
): AssessedInitiative {
  n += 1;
  return { id: String(n), title: `Sáng kiến ${n}`, result, verdict };
}

describe('the assessment facts of an agency', () => {
  it('an agency on time: registered by the deadline, its quota met, results on time, each initiative counted', () => {
    const registration = form('registration', at('2021-08-02T16:59:00'));
    const results = form('results_report', at('2021-11-29T10:00:00'));
    const a = assessAgency({
      campaign,
      scoring: null,
      standing: standing('so-tu-phap', 'department', 2, 2),
      forms: [results, registration],
      initiatives: [initiative('completed', 'effective'), initiative('in_progress')],
      now: after,
    });
    expect(a.registration).toMatchObject({ deadline: '2021-07-31', lastDay: '2021-08-02', onTime: true });
    expect(a.registration.first?.reference).toBe(registration.reference);
    expect(a.results).toMatchObject({ onTime: true, reported: 2, allReported: true });
    expect(a.quotaMet).toBe(true);
    expect(a.initiatives).toEqual({
      completed: 1,
      in_progress: 1,
      not_started: 0,
      unknown: 0,
      unreported: 0,
    });
    expect(a.assessment).toEqual({ effective: 1, not_effective: 0, not_assessed: 1 });
    expect(a.lateForms).toEqual([]);
    expect(a.score).toBeNull(); // no scoring table: no points
  });

  it('a late agency: its first registration after the last day, results late and one initiative unreported', () => {
    const a = assessAgency({
      campaign,
      scoring: null,
      standing: standing('huyen-thanh-tri', 'district', 2, 1),
      forms: [
        form('registration', at('2021-08-03T08:00:00'), true),
        form('results_report', at('2021-12-01T08:00:00'), true),
      ],
      initiatives: [initiative('not_started', 'not_effective'), initiative(null)],
      now: after,
    });
    expect(a.registration.onTime).toBe(false);
    expect(a.results).toMatchObject({ onTime: false, reported: 1, allReported: false });
    expect(a.initiatives).toMatchObject({ not_started: 1, unreported: 1 });
    expect(a.assessment).toEqual({ effective: 0, not_effective: 1, not_assessed: 0 });
    expect(a.lateForms).toHaveLength(2);
  });

  it('an agency with its own deadline is on time by it; an exempt one is required nothing and scored nothing', () => {
    const scoring = ScoringTable.parse({ points: { registered_on_time: 2, quota_met: 2 } });
    const extended = assessAgency({
      campaign,
      scoring,
      standing: standing('so-y-te', 'department', 1, 0),
      forms: [form('registration', at('2021-08-16T15:00:00'))],
      initiatives: [initiative(null)],
      now: after,
    });
    expect(extended.extension).toEqual({ registration: '2021-08-16' });
    expect(extended.registration).toMatchObject({
      deadline: '2021-08-16',
      lastDay: '2021-08-16',
      onTime: true,
    });
    expect(extended.results.onTime).toBe(false); // nothing reported, and the results deadline has passed
    expect(extended.score).toEqual({ total: 4, byFact: { registered_on_time: 2, quota_met: 2 } });

    const exempt = assessAgency({
      campaign,
      scoring,
      standing: standing('so-gtvt', 'department', 0, 0, true),
      forms: [],
      initiatives: [],
      now: after,
    });
    expect(exempt).toMatchObject({ exempt: true, required: 0, quotaMet: true, score: null });
    expect(exempt.registration.onTime).toBe(false);
  });

  it('before a deadline, nothing received is not yet late', () => {
    const a = assessAgency({
      campaign,
      scoring: null,
      standing: standing('so-tu-phap', 'department', 1, 0),
      forms: [form('registration', at('2021-07-20T09:00:00'))],
      initiatives: [initiative(null)],
      now: at('2021-09-01T09:00:00'),
    });
    expect(a.registration.onTime).toBe(true);
    expect(a.results.onTime).toBeNull();
  });

  it('scores each fact as the campaign file says, per initiative for counts, within the maximum', () => {
    const scoring = ScoringTable.parse({
      points: {
        registered_on_time: 2,
        quota_met: 2,
        results_on_time: 2,
        completed: 1,
        effective: 1,
        late_form: -0.5,
      },
      max: 8,
    });
    const a = assessAgency({
      campaign,
      scoring,
      standing: standing('huyen-dong-anh', 'district', 3, 3),
      forms: [
        form('registration', at('2021-07-30T09:00:00')),
        form('results_report', at('2021-11-20T09:00:00')),
        form('results_report', at('2021-12-02T09:00:00'), true),
      ],
      initiatives: [
        initiative('completed', 'effective'),
        initiative('completed', 'effective'),
        initiative('completed'),
      ],
      now: after,
    });
    expect(a.score?.byFact).toEqual({
      registered_on_time: 2,
      quota_met: 2,
      results_on_time: 2,
      completed: 3,
      effective: 2,
      late_form: -0.5,
    });
    expect(a.score?.total).toBe(8); // 10.5, capped at 8
  });

  it('a campaign file may give a scoring table; a fact it does not know is refused', () => {
    const base = {
      year: 2021,
      name: 'Đợt 2021',
      inbox_address: 'phongcchc_sonv@hanoi.gov.vn',
      registration_deadline: '31/07/2021',
      results_deadline: '30/11/2021',
      quotas: { department: 1 },
    };
    expect(CampaignFile.parse({ ...base, scoring: { points: { quota_met: 5 }, max: 10 } }).scoring).toEqual({
      points: { quota_met: 5 },
      max: 10,
    });
    expect(CampaignFile.safeParse({ ...base, scoring: { points: { speed: 5 } } }).success).toBe(false);
    expect(CampaignFile.parse(base).scoring).toBeUndefined();
  });
});
