import { campaignQuotas } from '../db/campaign.repository.js';
import type { Database } from '../db/database.js';
import { activeInitiativesOfCampaign, latestResults } from '../db/report.repository.js';
import { campaignProgress } from '../db/status.repository.js';
import type { AgencyKind, ResultStatus } from '../domain/kinds.js';
import { requiredInitiatives } from '../domain/quota.js';
import { localDay } from '../domain/reminder-schedule.js';
import { formatDate } from '../domain/time.js';

export const KIND_ORDER: Record<AgencyKind, number> = { department: 0, district: 1, commune: 2, ward: 3 };
export const KIND_NAME: Record<AgencyKind, string> = {
  department: 'Sở, ban, ngành',
  district: 'UBND quận, huyện, thị xã',
  commune: 'UBND xã',
  ward: 'UBND phường',
};
export const STATUS_NAME: Record<ResultStatus, string> = {
  completed: 'Đã hoàn thành',
  in_progress: 'Đang triển khai',
  not_started: 'Chưa thực hiện',
  unknown: 'Chưa rõ',
};

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

/**
 * The consolidated report for the City People's Committee: every active initiative grouped by agency, a
 * summary per agency against its quota, and once the results deadline has passed the results as reported.
 */
export async function buildConsolidatedReport(
  db: Database,
  campaign: {
    id: string;
    name: string;
    year: number;
    registration_deadline: string;
    results_deadline: string;
    time_zone: string;
  },
  now: Date,
): Promise<ConsolidatedReport> {
  const zone = campaign.time_zone;
  const withResults = localDay(now, zone) > campaign.results_deadline;
  const initiatives = await activeInitiativesOfCampaign(db, campaign.id);
  const results = new Map((await latestResults(db, campaign.id)).map((r) => [r.initiative_id, r]));
  const sorted = [...initiatives].sort(
    (a, b) =>
      KIND_ORDER[a.agency_kind] - KIND_ORDER[b.agency_kind] ||
      a.agency_name.localeCompare(b.agency_name, 'vi'),
  );
  const rows = sorted.map((i, n): ReportRow => {
    const r = results.get(i.id);
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
      result: withResults
        ? r
          ? { status: STATUS_NAME[r.status], outcome: r.outcome ?? '' }
          : { status: 'Chưa báo cáo', outcome: '' }
        : null,
    };
  });
  const quotas = await campaignQuotas(db, campaign.id);
  const summary = (await campaignProgress(db, campaign.id))
    .map((a) => {
      const quota = requiredInitiatives({ kind: a.kind, registryQuota: a.registry_quota }, quotas);
      return {
        agency: a.name,
        kind: a.kind,
        quota,
        registered: a.registered,
        reported: a.reported,
        met: a.registered >= quota,
      };
    })
    .sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.agency.localeCompare(b.agency, 'vi'));
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

/** A row's cells in the order of the registration form's columns (then the result, when there is one). */
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
    ...(r.result ? [r.result.status, r.result.outcome] : []),
  ];
}
