import {
  columnOf,
  EXPECTED_PARTS,
  EXPECTED_WHOLE,
  fieldLabel,
  fieldSpec,
  type InitiativeColumns,
  isExpectedPart,
  WRITTEN_FIELDS,
  type WrittenField,
} from '../domain/initiative-fields.js';
import type { AgencyKind, ResultStatus } from '../domain/kinds.js';
import { AGENCY_KIND_ORDER, RESULT_STATUS_LABEL, WORD } from '../domain/labels.js';
import type { CampaignStanding } from '../domain/standing.js';
import { formatDate, localDay, twoDigits } from '../domain/time.js';

export interface ReportRow {
  stt: number;
  agency: string;
  agencyKind: AgencyKind;
  /** The text of every field the form writes, by field ('' where the form has none). */
  fields: Record<WrittenField, string>;
  /**
   * The form gave "Dự kiến kết quả đạt được" in its parts (sản phẩm, đối tượng thụ hưởng, lợi ích thu được):
   * they fill the sub-columns; otherwise its one text spans them.
   */
  expectedSplit: boolean;
  /** Số tiếp nhận of the form that registered it. */
  reference?: string;
  /** Ngày nhận: the day the form was received, dd/mm/yyyy in the campaign's zone. */
  receivedOn?: string;
  /** The form that registered it came after the agency's deadline (it still counts). */
  late?: boolean;
  result: { status: string; outcome: string } | null;
}

interface ReportSummaryRow {
  agency: string;
  kind: AgencyKind;
  quota: number;
  registered: number;
  reported: number;
  met: boolean;
}

/** An agency required to register that has not registered a single initiative yet. */
interface NotRegisteredRow {
  agency: string;
  kind: AgencyKind;
  quota: number;
}

/** Everything the consolidated report shows, in its order: departments first, then districts. */
export interface ConsolidatedReport {
  title: string;
  /** Under "BẢNG TỔNG HỢP" in the Word report: what it gathers. */
  subtitle: string;
  campaignName: string;
  year: number;
  generatedOn: string; // dd/mm/yyyy in the campaign's zone
  registrationDeadline: string;
  resultsDeadline: string;
  /** The results columns are shown: a result has been reported, or the results deadline has passed. */
  withResults: boolean;
  rows: ReportRow[];
  summary: ReportSummaryRow[];
  /** Agencies with a quota and nothing registered, departments first. */
  notRegistered?: NotRegisteredRow[];
  /** The issuing body as the office is named (OFFICE_NAME), for the appendix's heading. */
  issuer?: string;
  /** The date line of the appendix: "Hà Nội, ngày 30 tháng 11 năm 2021". */
  dateLine?: string;
}

/** An active initiative of the campaign, with its agency and submission, as the registry holds it (its fields by column). */
export interface ReportInitiative extends Partial<InitiativeColumns> {
  id: string;
  agency_name: string;
  agency_kind: AgencyKind;
  /** The district of a commune or ward. */
  parent_name?: string | null;
  title: string;
  /** The submission that registered it: its reference and when it was received. */
  reference?: string | null;
  received_at?: Date | string | null;
  /** Its submission came after the deadline. */
  late?: boolean;
}

/** What the report is made from: the registry's rows, read by the operation that asks for the report. */
export interface ReportSource {
  campaign: {
    name: string;
    year: number;
    registration_deadline: string;
    results_deadline: string;
    time_zone: string;
  };
  now: Date;
  initiatives: readonly ReportInitiative[];
  /** The latest result of each initiative that has one. */
  results: ReadonlyMap<string, { status: ResultStatus; outcome: string | null }>;
  standing: CampaignStanding;
  /** The office that issues the report (OFFICE_NAME). */
  issuer?: string;
  /** The place in the date line; Hà Nội unless given. */
  place?: string;
}

/**
 * The consolidated report for the City People's Committee: every active initiative grouped by agency, a
 * summary per agency against its quota, the agencies that have registered nothing, and the results as reported
 * as soon as there is one (or the results deadline has passed).
 */
export function assembleConsolidatedReport(src: ReportSource): ConsolidatedReport {
  const { campaign, now } = src;
  const zone = campaign.time_zone;
  // Results are shown once any has come in, not only after the deadline: the office follows them as they arrive.
  const withResults =
    localDay(now, zone) > campaign.results_deadline || src.initiatives.some((i) => src.results.has(i.id));
  // Where communes count toward their district, their initiatives are listed under it.
  const underDistrict = src.standing.agencies.some((a) => a.members.length > 0);
  const listed = src.initiatives.map((i) =>
    underDistrict && i.parent_name
      ? { ...i, agency_name: `${i.parent_name} – ${i.agency_name}`, agency_kind: 'district' as const }
      : i,
  );
  const sorted = [...listed].sort(
    (a, b) =>
      AGENCY_KIND_ORDER[a.agency_kind] - AGENCY_KIND_ORDER[b.agency_kind] ||
      a.agency_name.localeCompare(b.agency_name, 'vi'),
  );
  const rows = sorted.map((i, n): ReportRow => {
    const r = src.results.get(i.id);
    return {
      stt: n + 1,
      agency: i.agency_name,
      agencyKind: i.agency_kind,
      fields: Object.fromEntries(WRITTEN_FIELDS.map((f) => [f, i[columnOf(f)] ?? ''])) as Record<
        WrittenField,
        string
      >,
      expectedSplit: EXPECTED_PARTS.some((p) => Boolean(i[columnOf(p)])),
      reference: i.reference ?? '',
      receivedOn: i.received_at ? formatDate(i.received_at, zone) : '',
      late: i.late ?? false,
      result: withResults
        ? r
          ? { status: RESULT_STATUS_LABEL[r.status], outcome: r.outcome ?? '' }
          : { status: WORD.notReported, outcome: '' }
        : null,
    };
  });
  const summary = src.standing.agencies
    .map((a) => ({
      agency: a.name,
      kind: a.kind,
      quota: a.required,
      registered: a.registered,
      reported: a.reported,
      met: a.met,
    }))
    .sort(
      (a, b) =>
        AGENCY_KIND_ORDER[a.kind] - AGENCY_KIND_ORDER[b.kind] || a.agency.localeCompare(b.agency, 'vi'),
    );
  const notRegistered = src.standing.agencies
    .filter((a) => a.required > 0 && a.registered === 0)
    .map((a) => ({ agency: a.name, kind: a.kind, quota: a.required }))
    .sort(
      (a, b) =>
        AGENCY_KIND_ORDER[a.kind] - AGENCY_KIND_ORDER[b.kind] || a.agency.localeCompare(b.agency, 'vi'),
    );
  return {
    title: `BẢNG TỔNG HỢP ĐĂNG KÝ SÁNG KIẾN, GIẢI PHÁP, Ý TƯỞNG MỚI VỀ CẢI CÁCH HÀNH CHÍNH NĂM ${campaign.year}`,
    subtitle: `Đăng ký sáng kiến, giải pháp, ý tưởng mới về cải cách hành chính năm ${campaign.year} của các cơ quan, đơn vị`,
    campaignName: campaign.name,
    year: campaign.year,
    generatedOn: formatDate(now, zone),
    registrationDeadline: formatDate(campaign.registration_deadline, zone),
    resultsDeadline: formatDate(campaign.results_deadline, zone),
    withResults,
    rows,
    summary,
    notRegistered,
    issuer: src.issuer,
    dateLine: officialDateLine(src.place ?? 'Hà Nội', now, zone),
  };
}

/**
 * The date line of an official document: "Hà Nội, ngày 05 tháng 02 năm 2021" — days below 10 and the months
 * January and February with a leading zero, as the rules for administrative documents (Nghị định 30/2020) write them.
 */
export function officialDateLine(place: string, now: Date, zone: string): string {
  const [d, m, y] = formatDate(now, zone).split('/').map(Number) as [number, number, number];
  return `${place}, ngày ${twoDigits(d)} tháng ${m < 3 ? twoDigits(m) : m} năm ${y}`;
}

/** What the report says of a row's form: on time or late (Đúng hạn / Gửi sau hạn). */
export function onTimeLabel(r: Pick<ReportRow, 'late'>): string {
  return r.late ? WORD.late : WORD.onTime;
}

/**
 * The report's columns: the registration form's (with the agency after STT, since the report gathers every
 * agency's forms), "Dự kiến kết quả đạt được" as three sub-columns, then the form's reference, the day it was
 * received and whether it came on time; the results columns follow when shown. `group` is the merged header
 * above a sub-column; `flat` is the one-line header the CSV uses.
 */
export interface ReportColumn {
  header: string;
  group?: string;
  flat?: string;
  /** Width in characters, as a spreadsheet counts it. */
  width: number;
}

/** The form's fields the report has a column for: the parts of the expected results, not their whole. */
const COLUMN_FIELDS = WRITTEN_FIELDS.filter((f) => f !== EXPECTED_WHOLE);

export const REPORT_COLUMNS: readonly ReportColumn[] = [
  { header: 'STT', width: 6 },
  { header: 'Cơ quan, đơn vị', width: 22 },
  ...COLUMN_FIELDS.map((name): ReportColumn => {
    const f = fieldSpec(name);
    if (!('partOf' in f)) return { header: f.label, width: f.width };
    const group = fieldLabel(f.partOf);
    return {
      header: f.label,
      group,
      flat: `${group.replace(/ đạt được$/, '')} - ${f.label}`,
      width: f.width,
    };
  }),
  { header: WORD.reference, width: 16 },
  { header: WORD.receivedOn, width: 12 },
  { header: WORD.timeliness, width: 11 },
];

/** Where the expected results' sub-columns start in a row's cells (1-based, as spreadsheets count), and how many. */
export const EXPECTED_FIRST_COLUMN = REPORT_COLUMNS.findIndex((c) => c.group !== undefined) + 1;
export const EXPECTED_PART_COUNT = EXPECTED_PARTS.length;

const RESULT_COLUMNS: readonly ReportColumn[] = [
  { header: 'Kết quả thực hiện', width: 16 },
  { header: 'Hiệu quả đạt được', width: 34 },
];

/** The columns of a report: the form's, and the results' when it shows them. */
export function reportColumns(report: Pick<ConsolidatedReport, 'withResults'>): ReportColumn[] {
  return [...REPORT_COLUMNS, ...(report.withResults ? RESULT_COLUMNS : [])];
}

/** A row's cells in the order of `reportColumns`. */
export function rowCells(r: ReportRow): (string | number)[] {
  return [
    r.stt,
    r.agency,
    // A form with one text for its expected results: the text in the first sub-column (spanning them all).
    ...COLUMN_FIELDS.map((f) =>
      !r.expectedSplit && isExpectedPart(f)
        ? f === EXPECTED_PARTS[0]
          ? r.fields[EXPECTED_WHOLE]
          : ''
        : r.fields[f],
    ),
    r.reference ?? '',
    r.receivedOn ?? '',
    onTimeLabel(r),
    ...(r.result ? [r.result.status, r.result.outcome] : []),
  ];
}
