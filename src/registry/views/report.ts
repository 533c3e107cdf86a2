import type { Db } from '../../db/database.js';
import { activeInitiativesOfCampaign, latestResults } from '../../db/initiative.repository.js';
import { assessmentTable } from '../../reports/assessment-table.js';
import { assembleConsolidatedReport, type ConsolidatedReport } from '../../reports/consolidated-report.js';
import type { Campaign } from '../reference/campaigns.js';
import { campaignAssessment } from './assessment.js';
import { campaignStanding } from './campaign-standing.js';

export const REPORT_FORMATS = ['xlsx', 'docx', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const REPORT_CONTENT_TYPE: Record<ReportFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  csv: 'text/csv; charset=utf-8',
};

/** What the report says of who issues it (the office as configured, OFFICE_NAME). */
export interface ReportOptions {
  issuer?: string;
}

/** The consolidated report of a campaign as the registry holds it now. */
export async function consolidatedReport(
  db: Db,
  campaign: Campaign,
  now: Date,
  options: ReportOptions = {},
): Promise<ConsolidatedReport> {
  const initiatives = await activeInitiativesOfCampaign(db, campaign.id);
  const results = new Map(
    (await latestResults(db, campaign.id)).flatMap((r) =>
      r.initiative_id ? [[r.initiative_id, { status: r.status, outcome: r.outcome }] as const] : [],
    ),
  );
  const standing = await campaignStanding(db, campaign.id);
  return assembleConsolidatedReport({
    campaign,
    now,
    initiatives,
    results,
    standing,
    issuer: options.issuer,
  });
}

/** The report as a file: its bytes, a file name and its content type. */
export async function reportFile(
  db: Db,
  campaign: Campaign,
  format: ReportFormat,
  now: Date,
  options: ReportOptions = {},
): Promise<{ report: ConsolidatedReport; bytes: Buffer; filename: string; contentType: string }> {
  const report = await consolidatedReport(db, campaign, now, options);
  // The assessment of every agency: a sheet of the workbook, an appendix of the Word report.
  const assessment =
    format === 'csv'
      ? undefined
      : assessmentTable(await campaignAssessment(db, campaign, now), campaign, now);
  // Each writer (and the library it needs: exceljs, docx, csv-stringify) is loaded when a report of its format is
  // made: the processes that never make one (or make one a day) do not hold them.
  const bytes =
    format === 'xlsx'
      ? await (await import('../../reports/report-xlsx.js')).renderXlsx(report, assessment)
      : format === 'docx'
        ? await (await import('../../reports/report-docx.js')).renderDocx(report, assessment)
        : (await import('../../reports/report-csv.js')).renderCsv(report);
  return {
    report,
    bytes,
    filename: `tong-hop-sang-kien-${campaign.year}.${format}`,
    contentType: REPORT_CONTENT_TYPE[format],
  };
}
