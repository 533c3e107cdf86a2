import { findAgencyByCode } from '../../db/agency.repository.js';
import {
  filesOfMails,
  initiativesWithAssessment,
  lettersToAgencies,
  mailsOfAgencies,
} from '../../db/assessment.repository.js';
import type { Db } from '../../db/database.js';
import { outboxFiles } from '../../db/outbox.repository.js';
import {
  AGENCY_TERMS_LABEL,
  type AgencyAssessment,
  ASSESSMENT_VERDICT_LABEL,
  SCORED_FACT_LABEL,
} from '../../domain/assessment.js';
import { downloadName } from '../../domain/download-name.js';
import { RESULT_STATUS_LABEL, WORD } from '../../domain/labels.js';
import { formatDate, formatDateTime } from '../../domain/time.js';
import { OperationRefused } from '../../errors.js';
import { writtenMailEml } from '../../mail/outbox-eml.js';
import { deadlineWords, termsWords } from '../../reports/assessment-table.js';
import type { EvidenceSummary } from '../../reports/evidence-summary-docx.js';
import type { ArchiveEntry } from '../../reports/zip-archive.js';
import type { Campaign } from '../reference/campaigns.js';
import { campaignAssessment } from './assessment.js';

const AUTH_WORDS: Record<string, string> = {
  pass: 'xác thực người gửi: đạt',
  fail: 'xác thực người gửi: không đạt',
  none: 'xác thực người gửi: không có kết quả',
};
const LETTER_KIND: Record<string, string> = {
  acknowledgement: 'thu-bao-nhan',
  reminder: 'thu-nhac-han',
  overdue: 'thu-qua-han',
  notice: 'thu-de-nghi',
};

const day = (d: Date) => d.toISOString().slice(0, 10);
const pad = (n: number) => String(n).padStart(2, '0');
/** A name safe as one path segment in the archive: no folders, no control characters. */
const segment = (name: string) =>
  downloadName(name.replace(/[\p{Cc}]/gu, '').replace(/[\\/:*?"<>|]/g, '_')).name.slice(0, 150);

/**
 * An agency's evidence pack for a campaign (tài liệu kiểm chứng), as a zip: every mail it sent (`.eml`, as
 * received: its arrival and authentication are in its headers), every file as received, every mail the office
 * wrote to it (acknowledgements, requests, reminders, as `.eml`), and a summary (`.docx`) listing the evidence of
 * each fact of its assessment (the one rule, `assessAgency`). Reads only.
 */
export async function evidencePack(
  db: Db,
  campaign: Campaign,
  agencyCode: string,
  now: Date,
  options: { mailFrom: string; issuer?: string },
): Promise<{ filename: string; bytes: Buffer; entries: string[]; assessment: AgencyAssessment }> {
  const agency = await findAgencyByCode(db, agencyCode);
  if (!agency) throw new OperationRefused('not_found', `no agency ${agencyCode}`, { code: agencyCode });
  const all = await campaignAssessment(db, campaign, now);
  // A commune counted toward its district is in the district's pack.
  const assessment = all.agencies.find((a) => a.id === agency.id);
  if (!assessment)
    throw new OperationRefused(
      'wrong_state',
      `${agencyCode} is counted toward its district: ask for the district's pack`,
    );
  const zone = campaign.time_zone;
  const agencyIds = [agency.id, ...assessment.members];

  const entries: ArchiveEntry[] = [];
  const pieces: EvidenceSummary['pieces'] = [];
  const mailEntry = new Map<string, string>();
  const fileEntry = new Map<string, string>();
  const mails = await mailsOfAgencies(db, agencyIds, campaign.id, campaign.year);
  const files = await filesOfMails(
    db,
    mails.map((m) => m.id),
  );
  mails.forEach((m, i) => {
    const received = new Date(m.received_at);
    const name = `1-thu-den/${pad(i + 1)}-${day(received)}-thu-${m.id}.eml`;
    mailEntry.set(m.id, name);
    if (m.raw) entries.push({ name, bytes: m.raw, modified: received });
    pieces.push({
      entry: m.raw ? name : `${name} (không còn lưu bản gốc)`,
      description: `Thư của ${m.from_address ?? 'người gửi không rõ'}, nhận lúc ${formatDateTime(received, zone)}; ${
        AUTH_WORDS[m.auth_verdict] ?? m.auth_verdict
      }; tiêu đề: ${m.subject ?? '(không có)'}`,
    });
    files
      .filter((f) => f.message_id === m.id)
      .forEach((f, j) => {
        const fname = `2-ho-so/${pad(i + 1)}-${pad(j + 1)}-${segment(f.filename)}`;
        fileEntry.set(`${m.id}/${f.filename}`, fname);
        entries.push({ name: fname, bytes: f.bytes, modified: received });
        pieces.push({
          entry: fname,
          description: `Tệp "${f.filename}"${f.nested ? ' (trong tệp nén)' : ''} đính kèm thư ${pad(i + 1)}`,
        });
      });
  });

  const letters = await lettersToAgencies(
    db,
    agencyIds,
    mails.map((m) => m.id),
    campaign.id,
  );
  const lettersOf = new Map<string, string[]>();
  for (const [i, l] of letters.entries()) {
    const date = new Date(l.sent_at ?? l.created_at);
    const name = `3-thu-da-gui/${pad(i + 1)}-${day(date)}-${LETTER_KIND[l.kind] ?? l.kind}-${l.id}.eml`;
    const headers = (typeof l.headers === 'string' ? JSON.parse(l.headers) : l.headers) as Record<
      string,
      string
    >;
    entries.push({
      name,
      bytes: await writtenMailEml({
        from: options.mailFrom,
        to: l.to_addresses,
        cc: l.cc_addresses,
        subject: l.subject,
        text: l.text,
        html: l.html,
        headers,
        date,
        messageId: l.smtp_message_id,
        files: await outboxFiles(db, l.id),
      }),
      modified: date,
    });
    if (l.message_id) lettersOf.set(l.message_id, [...(lettersOf.get(l.message_id) ?? []), name]);
    pieces.push({
      entry: name,
      description: `Thư của Phòng CCHC gửi ${l.to_addresses.join(', ')}, ${
        l.sent_at ? `gửi lúc ${formatDateTime(new Date(l.sent_at), zone)}` : `chưa gửi (${l.status})`
      }: ${l.subject}`,
    });
  }

  /** The evidence of forms: each form's file, the mail that carried it, and the office's answer to that mail. */
  const evidenceOf = (forms: readonly { messageId: string; filename: string; reference: string }[]) =>
    forms.flatMap((f) => [
      `${f.reference}: ${fileEntry.get(`${f.messageId}/${f.filename}`) ?? f.filename}`,
      ...(mailEntry.has(f.messageId) ? [mailEntry.get(f.messageId) as string] : []),
      ...(lettersOf.get(f.messageId) ?? []),
    ]);
  const a = assessment;
  const registrations = a.registration.forms;
  const reports = a.results.forms;
  const facts: EvidenceSummary['facts'] = [
    {
      fact: SCORED_FACT_LABEL.registered_on_time,
      finding: `${deadlineWords(a.registration, zone)}; hạn ${formatDate(a.registration.deadline)}`,
      evidence: evidenceOf(a.registration.first ? [a.registration.first] : []),
    },
    {
      fact: SCORED_FACT_LABEL.quota_met,
      finding: a.exempt
        ? WORD.exempt
        : `${WORD.registered} ${a.registered}/${a.required}: ${a.quotaMet ? WORD.met : WORD.notMet}`,
      evidence: evidenceOf(registrations),
    },
    {
      fact: SCORED_FACT_LABEL.results_on_time,
      finding: `${deadlineWords(a.results, zone)}; hạn ${formatDate(a.results.deadline)}`,
      evidence: evidenceOf(a.results.first ? [a.results.first] : []),
    },
    {
      fact: SCORED_FACT_LABEL.results_all_reported,
      finding: `${WORD.reported} ${a.results.reported}/${a.registered}; ${RESULT_STATUS_LABEL.completed.toLowerCase()} ${
        a.initiatives.completed
      }, ${RESULT_STATUS_LABEL.in_progress.toLowerCase()} ${a.initiatives.in_progress}, ${RESULT_STATUS_LABEL.not_started.toLowerCase()} ${
        a.initiatives.not_started
      }, ${WORD.notReported.toLowerCase()} ${a.initiatives.unreported}`,
      evidence: evidenceOf(reports),
    },
    {
      fact: SCORED_FACT_LABEL.effective,
      finding: `${ASSESSMENT_VERDICT_LABEL.effective} ${a.assessment.effective}, ${ASSESSMENT_VERDICT_LABEL.not_effective.toLowerCase()} ${
        a.assessment.not_effective
      }, ${ASSESSMENT_VERDICT_LABEL.not_assessed.toLowerCase()} ${a.assessment.not_assessed}`,
      evidence: ['Mục II; nhật ký thay đổi của Phòng CCHC (ai, khi nào, ghi chú)', ...evidenceOf(reports)],
    },
    {
      fact: SCORED_FACT_LABEL.late_form,
      finding: String(a.lateForms.length),
      evidence: evidenceOf(a.lateForms),
    },
    {
      fact: AGENCY_TERMS_LABEL,
      finding: termsWords(a) || 'Không',
      evidence: ['Kế hoạch của đợt (tệp cấu hình đợt)'],
    },
    ...(a.score
      ? [{ fact: 'Điểm', finding: String(a.score.total), evidence: ['Bảng chấm điểm của đợt'] }]
      : []),
  ];
  const initiatives = (await initiativesWithAssessment(db, campaign.id))
    .filter((i) => i.agency_id && agencyIds.includes(i.agency_id))
    .map((i) => ({
      title: i.title,
      result: i.result ? RESULT_STATUS_LABEL[i.result] : WORD.notReported,
      assessment: i.verdict
        ? `${ASSESSMENT_VERDICT_LABEL[i.verdict]} (${i.assessed_by}, ${formatDate(new Date(i.assessed_at as unknown as string), zone)})${
            i.assessment_note ? `: ${i.assessment_note}` : ''
          }`
        : ASSESSMENT_VERDICT_LABEL.not_assessed,
    }));
  const summaryName = `0-tong-hop-tai-lieu-kiem-chung-${agency.code}.docx`;
  const { renderEvidenceSummary } = await import('../../reports/evidence-summary-docx.js');
  entries.unshift({
    name: summaryName,
    bytes: await renderEvidenceSummary({
      agency: agency.name,
      campaign: campaign.name,
      generatedOn: formatDate(now, zone),
      issuer: options.issuer,
      facts,
      initiatives,
      pieces,
    }),
    modified: now,
  });
  const { zipArchive } = await import('../../reports/zip-archive.js');
  return {
    filename: `tai-lieu-kiem-chung-${agency.code}-${campaign.code}.zip`,
    bytes: zipArchive(entries),
    entries: entries.map((e) => e.name),
    assessment,
  };
}
