import type { AgencyKind, ResultStatus } from '../domain/kinds.js';
import { AGENCY_KIND_ORDER, RESULT_STATUS_LABEL } from '../domain/labels.js';
import { localDay } from '../domain/reminder-schedule.js';
import type { CampaignStanding } from '../domain/standing.js';
import { formatDate } from '../domain/time.js';

export interface ReportRow {
  stt: number;
  agency: string;
  agencyKind: AgencyKind;
  title: string;
  summary: string;
  necessity: string;
  expectedResults: string;
  timeline: string;
  leadUnit: string;
  notes: string;
  /** The form that registered it came after the agency's deadline (it still counts). */
  late?: boolean;
  result: { status: string; outcome: string } | null;
}

export interface ReportSummaryRow {
  agency: string;
  kind: AgencyKind;
  quota: number;
  registered: number;
  reported: number;
  met: boolean;
}

/** Everything the consolidated report shows, in its order: departments first, then districts. */
export interface ConsolidatedReport {
  title: string;
  campaignName: string;
  year: number;
  generatedOn: string; // dd/mm/yyyy in the campaign's zone
  registrationDeadline: string;
  resultsDeadline: string;
  withResults: boolean;
  rows: ReportRow[];
  summary: ReportSummaryRow[];
}

/** An active initiative of the campaign, with its agency and submission, as the registry holds it. */
export interface ReportInitiative {
  id: string;
  agency_name: string;
  agency_kind: AgencyKind;
  /** The district of a commune or ward. */
  parent_name?: string | null;
  title: string;
  summary: string | null;
  necessity: string | null;
  expected_results: string | null;
  timeline: string | null;
  lead_unit: string | null;
  notes: string | null;
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
}

/**
 * The consolidated report for the City People's Committee: every active initiative grouped by agency, a
 * summary per agency against its quota, and once the results deadline has passed the results as reported.
 */
export function assembleConsolidatedReport(src: ReportSource): ConsolidatedReport {
  const { campaign, now } = src;
  const zone = campaign.time_zone;
  const withResults = localDay(now, zone) > campaign.results_deadline;
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
      title: i.title,
      summary: i.summary ?? '',
      necessity: i.necessity ?? '',
      expectedResults: i.expected_results ?? '',
      timeline: i.timeline ?? '',
      leadUnit: i.lead_unit ?? '',
      notes: i.notes ?? '',
      late: i.late ?? false,
      result: withResults
        ? r
          ? { status: RESULT_STATUS_LABEL[r.status], outcome: r.outcome ?? '' }
          : { status: 'Chưa báo cáo', outcome: '' }
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
  return {
    title: `TỔNG HỢP ĐĂNG KÝ SÁNG KIẾN, GIẢI PHÁP, Ý TƯỞNG MỚI VỀ CẢI CÁCH HÀNH CHÍNH NĂM ${campaign.year}`,
    campaignName: campaign.name,
    year: campaign.year,
    generatedOn: formatDate(now, zone),
    registrationDeadline: formatDate(campaign.registration_deadline, zone),
    resultsDeadline: formatDate(campaign.results_deadline, zone),
    withResults,
    rows,
    summary,
  };
}

/** What the report says of a row's form: on time or late (Đúng hạn/Muộn). */
export function onTimeLabel(r: Pick<ReportRow, 'late'>): string {
  return r.late ? 'Muộn' : 'Đúng hạn';
}

/**
 * A row's cells in the order of the registration form's columns, then whether its form came on time, then the
 * result when there is one.
 */
export function rowCells(r: ReportRow): (string | number)[] {
  return [
    r.stt,
    r.agency,
    r.title,
    r.summary,
    r.necessity,
    r.expectedResults,
    r.timeline,
    r.leadUnit,
    r.notes,
    onTimeLabel(r),
    ...(r.result ? [r.result.status, r.result.outcome] : []),
  ];
}
