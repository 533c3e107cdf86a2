import { z } from 'zod';
import { agencyDue, agencyTermsOf, type CampaignTerms } from './deadlines.js';
import type { AgencyKind, AssessmentVerdict, FormKind, ResultStatus } from './kinds.js';
import type { AgencyStanding } from './standing.js';
import { localDay } from './time.js';

/** How staff's assessment of a reported initiative is written. */
export const ASSESSMENT_VERDICT_LABEL: Record<AssessmentVerdict, string> = {
  effective: 'Hiệu quả',
  not_effective: 'Chưa hiệu quả',
  not_assessed: 'Chưa đánh giá',
};

/**
 * The facts a campaign file may give points to (`scoring:`): a fact that holds scores its points once
 * (`registered_on_time`, `quota_met`, `results_on_time`, `results_all_reported`); a count scores its points per
 * initiative or form (`completed`, `in_progress`, `effective`, `late_form`, which is usually negative).
 */
export const SCORED_FACTS = [
  'registered_on_time',
  'quota_met',
  'results_on_time',
  'results_all_reported',
  'completed',
  'in_progress',
  'effective',
  'late_form',
] as const;
type ScoredFact = (typeof SCORED_FACTS)[number];

/** What each fact is called in the report and the evidence summary. */
export const SCORED_FACT_LABEL: Record<ScoredFact, string> = {
  registered_on_time: 'Đăng ký đúng hạn',
  quota_met: 'Đăng ký đủ số lượng tối thiểu',
  results_on_time: 'Báo cáo kết quả đúng hạn',
  results_all_reported: 'Báo cáo kết quả đủ các sáng kiến đã đăng ký',
  completed: 'Sáng kiến đã hoàn thành',
  in_progress: 'Sáng kiến đang triển khai',
  effective: 'Sáng kiến được đánh giá hiệu quả',
  late_form: 'Hồ sơ gửi sau hạn',
};

/** What the agency's own terms are called (its exemption from the quota, its extensions): one word everywhere. */
export const AGENCY_TERMS_LABEL = 'Không giao số lượng tối thiểu, gia hạn';

const Points = z.number().min(-100).max(100);

/**
 * A campaign's scoring table (the campaign file's `scoring:`): points per fact, and at most `max` in all. The
 * rules differ by province and year, so none is built in: without a table no points are given.
 */
export const ScoringTable = z
  .object({
    points: z.partialRecord(z.enum(SCORED_FACTS), Points),
    max: z.number().positive().optional(),
  })
  .strict();
export type ScoringTable = z.infer<typeof ScoringTable>;

/** A counted form of the agency (or of a commune counted toward it), as evidence of a fact. */
export interface EvidenceForm {
  reference: string;
  kind: FormKind;
  receivedAt: Date;
  late: boolean;
  /** The stored mail that carried it and the file's name. */
  messageId: string;
  filename: string;
}

/** An active initiative of the agency with its latest result and staff's assessment in force. */
export interface AssessedInitiative {
  id: string;
  title: string;
  result: ResultStatus | null;
  verdict: AssessmentVerdict | null;
}

/** Whether a deadline was kept: the forms of that kind, the first of them, and whether it came on time. */
export interface DeadlineFact {
  /** The agency's deadline (its own extension, else the campaign's) and the last day a form is on time. */
  deadline: string;
  lastDay: string;
  first: EvidenceForm | null;
  /** On time; false when the first came late or nothing came by the last day; null while the day has not passed. */
  onTime: boolean | null;
  forms: EvidenceForm[];
}

/** Everything an assessor checks of one agency in one campaign, with the evidence of each point. */
export interface AgencyAssessment {
  id: string;
  code: string;
  name: string;
  kind: AgencyKind;
  /** The communes and wards counted toward it (their forms are its evidence too), by id. */
  members: string[];
  exempt: boolean;
  /** The agency's own deadlines from the campaign file, when it has any. */
  extension: { registration?: string; results?: string } | null;
  required: number;
  registered: number;
  quotaMet: boolean;
  registration: DeadlineFact;
  results: DeadlineFact & { reported: number; allReported: boolean };
  initiatives: Record<ResultStatus | 'unreported', number>;
  assessment: Record<AssessmentVerdict, number>;
  lateForms: EvidenceForm[];
  /** Points by fact and in all, only where the campaign sets a scoring table (and the agency is not exempt). */
  score: { total: number; byFact: Partial<Record<ScoredFact, number>> } | null;
}

/** What the rule is given about one agency: its standing and what the registry holds of it. */
export interface AssessmentInput {
  campaign: CampaignTerms;
  scoring: ScoringTable | null;
  standing: AgencyStanding;
  /** The counted forms (not held, not copies) of the agency and of the communes counted toward it. */
  forms: readonly EvidenceForm[];
  initiatives: readonly AssessedInitiative[];
  now: Date;
}

function deadlineFact(input: AssessmentInput, kind: FormKind): DeadlineFact {
  const due = agencyDue(input.campaign, input.standing.code, kind);
  const forms = input.forms
    .filter((f) => f.kind === kind)
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  const first = forms[0] ?? null;
  const zone = input.campaign.time_zone;
  const onTime = first
    ? localDay(first.receivedAt, zone) <= due.lastDay
    : localDay(input.now, zone) > due.lastDay
      ? false
      : null;
  return { ...due, first, onTime, forms };
}

/**
 * One agency's assessment facts in a campaign: registered by its deadline (the first counted registration and its
 * receipt), quota met, results reported by the results deadline and for every initiative, the initiatives
 * completed / in progress / not started, staff's assessments, late forms, its exemption and extensions; and the
 * points, only where the campaign sets a scoring table. Pure: the registry's rows in, the facts out.
 */
export function assessAgency(input: AssessmentInput): AgencyAssessment {
  const s = input.standing;
  const terms = agencyTermsOf(input.campaign.agency_terms)[s.code];
  const extension =
    terms?.registration || terms?.results
      ? {
          ...(terms.registration ? { registration: terms.registration } : {}),
          ...(terms.results ? { results: terms.results } : {}),
        }
      : null;
  const registration = deadlineFact(input, 'registration');
  const reportedFact = deadlineFact(input, 'results_report');
  const initiatives: AgencyAssessment['initiatives'] = {
    completed: 0,
    in_progress: 0,
    not_started: 0,
    unknown: 0,
    unreported: 0,
  };
  const assessment: AgencyAssessment['assessment'] = { effective: 0, not_effective: 0, not_assessed: 0 };
  for (const i of input.initiatives) {
    initiatives[i.result ?? 'unreported'] += 1;
    if (i.result) assessment[i.verdict ?? 'not_assessed'] += 1;
  }
  const reported = input.initiatives.length - initiatives.unreported;
  const facts = {
    registered_on_time: registration.onTime === true,
    quota_met: s.met,
    results_on_time: reportedFact.onTime === true,
    results_all_reported: input.initiatives.length > 0 && initiatives.unreported === 0,
  };
  const counts = {
    completed: initiatives.completed,
    in_progress: initiatives.in_progress,
    effective: assessment.effective,
    late_form: input.forms.filter((f) => f.late).length,
  };
  return {
    id: s.id,
    code: s.code,
    name: s.name,
    kind: s.kind,
    members: s.members.map((m) => m.id),
    exempt: s.exempt,
    extension,
    required: s.required,
    registered: s.registered,
    quotaMet: s.met,
    registration,
    results: { ...reportedFact, reported, allReported: facts.results_all_reported },
    initiatives,
    assessment,
    lateForms: input.forms.filter((f) => f.late),
    score: input.scoring && !s.exempt ? scoreOf(input.scoring, facts, counts) : null,
  };
}

function scoreOf(
  table: ScoringTable,
  facts: Record<'registered_on_time' | 'quota_met' | 'results_on_time' | 'results_all_reported', boolean>,
  counts: Record<'completed' | 'in_progress' | 'effective' | 'late_form', number>,
): NonNullable<AgencyAssessment['score']> {
  const byFact: Partial<Record<ScoredFact, number>> = {};
  for (const fact of SCORED_FACTS) {
    const points = table.points[fact];
    if (points === undefined) continue;
    const earned =
      fact in facts
        ? Number(facts[fact as keyof typeof facts]) * points
        : counts[fact as keyof typeof counts] * points;
    byFact[fact] = earned || 0; // never -0 (a negative point per late form, and none late)
  }
  const sum = Object.values(byFact).reduce((n, p) => n + p, 0);
  // Points are kept to two decimals, as a scoring table writes them (0,25 a form); the total is never below 0.
  const total = Math.round((table.max !== undefined ? Math.min(sum, table.max) : sum) * 100) / 100;
  return { total: Math.max(0, total), byFact };
}
