import {
  AGENCY_TERMS_LABEL,
  type AgencyAssessment,
  ASSESSMENT_VERDICT_LABEL,
  type DeadlineFact,
  SCORED_FACT_LABEL,
  SCORED_FACTS,
  type ScoringTable,
} from '../domain/assessment.js';
import { AGENCY_KIND_LABEL, RESULT_STATUS_LABEL, WORD } from '../domain/labels.js';
import { formatDate } from '../domain/time.js';

/** The assessment as the report shows it: one row per agency of the registry, the same in Excel and Word. */
export interface AssessmentTable {
  title: string;
  /** The campaign and the day the figures are of. */
  subtitle: string;
  /** The day the figures are of, as Decree 30/2020 writes it. */
  asOf: string;
  headers: string[];
  /** Headers over several columns, above `headers`: the counts of initiatives by result and by assessment. */
  groups: { label: string; from: number; span: number }[];
  /** Width of each column in characters, as a spreadsheet counts it. */
  widths: number[];
  rows: (string | number)[][];
  /** How the points were given, when the campaign sets a scoring table. */
  scoringNote: string | null;
}

/** "Đúng hạn (02/8/2021, CCHC-2021-00001)", "Gửi sau hạn (…)", "Chưa gửi" or "Chưa đến hạn". */
export function deadlineWords(fact: DeadlineFact, zone: string): string {
  const first = fact.first ? ` (${formatDate(fact.first.receivedAt, zone)}, ${fact.first.reference})` : '';
  if (fact.onTime === true) return `${WORD.onTime}${first}`;
  if (fact.first) return `${WORD.late}${first}`;
  return fact.onTime === false ? 'Chưa gửi' : 'Chưa đến hạn';
}

/** The agency's own terms: "Không giao số lượng tối thiểu", "Gia hạn đăng ký đến 16/8/2021", or ''. */
export function termsWords(a: AgencyAssessment): string {
  const words: string[] = [];
  if (a.exempt) words.push(WORD.exempt);
  if (a.extension?.registration) words.push(`Gia hạn đăng ký đến ${formatDate(a.extension.registration)}`);
  if (a.extension?.results) words.push(`Gia hạn báo cáo kết quả đến ${formatDate(a.extension.results)}`);
  return words.join('; ');
}

/** A number as Vietnamese writes it: a decimal comma (0,25). */
const decimal = (n: number) => String(n).replace('.', ',');

/** What a counted fact scores per: an initiative or a form (the others score once). */
const PER: Partial<Record<(typeof SCORED_FACTS)[number], string>> = {
  completed: 'sáng kiến',
  in_progress: 'sáng kiến',
  effective: 'sáng kiến',
  late_form: 'hồ sơ',
};

/** "2 điểm", "0,5 điểm mỗi sáng kiến", "trừ 1 điểm mỗi hồ sơ". */
function pointsWords(points: number, per: string | undefined): string {
  const each = per ? ` mỗi ${per}` : '';
  return points < 0 ? `trừ ${decimal(-points)} điểm${each}` : `${decimal(points)} điểm${each}`;
}

/** The "Đánh giá" sheet and appendix of a campaign's report. */
export function assessmentTable(
  assessment: { scoring: ScoringTable | null; agencies: readonly AgencyAssessment[] },
  campaign: { name: string; year: number; time_zone: string },
  now: Date,
): AssessmentTable {
  const zone = campaign.time_zone;
  const scored = assessment.scoring !== null;
  const headers = [
    'STT',
    WORD.agency,
    WORD.agencyKind,
    WORD.quota,
    WORD.registered,
    `Đăng ký: ${WORD.timeliness.toLowerCase()} (${WORD.receivedOn.toLowerCase()}, ${WORD.reference.toLowerCase()})`,
    WORD.met,
    `Báo cáo kết quả: ${WORD.timeliness.toLowerCase()} (${WORD.receivedOn.toLowerCase()}, ${WORD.reference.toLowerCase()})`,
    WORD.reported,
    RESULT_STATUS_LABEL.completed,
    RESULT_STATUS_LABEL.in_progress,
    `${RESULT_STATUS_LABEL.not_started}, không xác định`,
    WORD.notReported,
    ASSESSMENT_VERDICT_LABEL.effective,
    ASSESSMENT_VERDICT_LABEL.not_effective,
    ASSESSMENT_VERDICT_LABEL.not_assessed,
    `Hồ sơ ${WORD.late.toLowerCase()}`,
    AGENCY_TERMS_LABEL,
    ...(scored ? ['Điểm'] : []),
  ];
  // The counts of initiatives, under what they count: (10)–(13) by reported result, (14)–(16) by assessment.
  const groups = [
    { label: 'Số sáng kiến theo kết quả thực hiện', from: 9, span: 4 },
    { label: 'Số sáng kiến theo đánh giá hiệu quả', from: 13, span: 3 },
  ];
  const widths = [6, 36, 18, 9, 9, 28, 9, 28, 9, 10, 10, 10, 10, 9, 9, 9, 9, 22, ...(scored ? [8] : [])];
  const rows = assessment.agencies.map((a, i) => [
    i + 1,
    a.name,
    AGENCY_KIND_LABEL[a.kind],
    a.required,
    a.registered,
    deadlineWords(a.registration, zone),
    a.exempt ? WORD.exempt : a.quotaMet ? WORD.met : WORD.notMet,
    deadlineWords(a.results, zone),
    a.results.reported,
    a.initiatives.completed,
    a.initiatives.in_progress,
    a.initiatives.not_started + a.initiatives.unknown,
    a.initiatives.unreported,
    a.assessment.effective,
    a.assessment.not_effective,
    a.assessment.not_assessed,
    a.lateForms.length,
    termsWords(a),
    ...(scored ? [a.score?.total ?? '–'] : []),
  ]);
  const table = assessment.scoring;
  const scoringNote = table
    ? `Cách tính điểm (theo bảng chấm điểm của đợt): ${SCORED_FACTS.flatMap((f) => {
        const points = table.points[f];
        return points === undefined ? [] : [`${SCORED_FACT_LABEL[f]} ${pointsWords(points, PER[f])}`];
      }).join('; ')}${table.max !== undefined ? `; tối đa ${decimal(table.max)} điểm` : ''}.`
    : null;
  return {
    title: `ĐÁNH GIÁ KẾT QUẢ ĐĂNG KÝ VÀ THỰC HIỆN SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM ${campaign.year}`,
    subtitle: `${campaign.name}; số liệu đến ngày ${formatDate(now, zone)}`,
    asOf: formatDate(now, zone),
    headers,
    groups,
    widths,
    rows,
    scoringNote,
  };
}
