import { campaignQuotas, latestCampaign } from '../db/campaign.repository.js';
import { itemsForReview, lastDigestAt, submissionsSince } from '../db/digest.repository.js';
import { enqueueOutbox } from '../db/outbox.repository.js';
import { campaignProgress } from '../db/status.repository.js';
import type { AgencyKind } from '../domain/kinds.js';
import { requiredInitiatives, shortBy } from '../domain/quota.js';
import { localDay } from '../domain/reminder-schedule.js';
import { daysUntil, formatDate, formatDateTime } from '../domain/time.js';
import { enqueueMail } from '../queue/queues.js';
import { buildConsolidatedReport, KIND_NAME, KIND_ORDER } from '../reports/consolidated-report.js';
import { renderXlsx } from '../reports/report-xlsx.js';
import type { JobDeps } from './job-deps.js';

const REASON: Record<string, string> = {
  unknown_sender: 'người gửi chưa có trong danh sách',
  agency_mismatch: 'cơ quan trên biểu khác cơ quan gửi',
  spoofing: 'không qua kiểm tra xác thực người gửi',
  failed_attachment: 'tệp xử lý lỗi',
  unmatched_result: 'kết quả chưa khớp sáng kiến đã đăng ký',
  too_large: 'thư vượt dung lượng',
};

/** A bar drawn with table cells and inline styles, which every mail client renders. */
function bar(done: number, total: number) {
  const pct = total > 0 ? Math.min(100, Math.round((done / total) * 100)) : 0;
  return {
    done,
    total,
    pct,
    rest: 100 - pct,
    color: pct >= 100 ? '#15803d' : pct >= 50 ? '#d97706' : '#b91c1c',
  };
}

/** Everything the staff digest shows, from the database as it is now. */
export async function buildDigest(deps: Pick<JobDeps, 'db' | 'config'>, now: Date) {
  const { db } = deps;
  const campaign = await latestCampaign(db);
  if (!campaign) return null;
  const zone = campaign.time_zone;
  const since = await lastDigestAt(db);
  const quotas = await campaignQuotas(db, campaign.id);
  const agencies = (await campaignProgress(db, campaign.id)).map((a) => {
    const quota = requiredInitiatives({ kind: a.kind, registryQuota: a.registry_quota }, quotas);
    return {
      name: a.name,
      kind: a.kind,
      kindName: KIND_NAME[a.kind],
      quota,
      registered: a.registered,
      reported: a.reported,
      shortBy: shortBy(quota, a.registered),
      last: a.last_submission_at ? formatDate(a.last_submission_at, zone) : '',
    };
  });
  agencies.sort(
    (a, b) => b.shortBy - a.shortBy || a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name, 'vi'),
  );
  const kinds = [...new Set(agencies.map((a) => a.kind))].sort(
    (a, b) => KIND_ORDER[a] - KIND_ORDER[b],
  ) as AgencyKind[];
  const progress = [
    {
      label: 'Tất cả cơ quan, đơn vị',
      ...bar(
        agencies.reduce((n, a) => n + Math.min(a.registered, a.quota), 0),
        agencies.reduce((n, a) => n + a.quota, 0),
      ),
    },
    ...kinds.map((k) => {
      const of = agencies.filter((a) => a.kind === k);
      return {
        label: KIND_NAME[k],
        ...bar(
          of.reduce((n, a) => n + Math.min(a.registered, a.quota), 0),
          of.reduce((n, a) => n + a.quota, 0),
        ),
      };
    }),
  ];
  const afterRegistration = localDay(now, zone) > campaign.registration_deadline;
  const registered = agencies.reduce((n, a) => n + a.registered, 0);
  const reported = agencies.reduce((n, a) => n + a.reported, 0);
  const review = await itemsForReview(db);
  const newSubmissions = (await submissionsSince(db, since)).map((s) => ({
    reference: s.reference,
    agency: s.agency_name ?? s.from_address ?? '',
    what:
      s.kind === 'registration'
        ? `Biểu đăng ký, ${s.initiatives} sáng kiến`
        : `Báo cáo kết quả, ${s.results} sáng kiến`,
    status: {
      active: 'đã ghi nhận',
      pending_review: 'chờ xác nhận',
      superseded: 'đã được thay thế',
      duplicate: 'trùng',
    }[s.status],
    receivedAt: formatDateTime(s.received_at, zone),
  }));
  return {
    campaign,
    view: {
      office: 'Sở Nội vụ Hà Nội - Phòng Cải cách hành chính',
      heading: `Tổng hợp tình hình sáng kiến CCHC năm ${campaign.year}`,
      today: formatDate(now, zone),
      since: since ? formatDateTime(since, zone) : null,
      year: campaign.year,
      inboxAddress: campaign.inbox_address,
      deadlines: [
        {
          label: 'Hạn đăng ký',
          date: formatDate(campaign.registration_deadline, zone),
          daysLeft: daysUntil(campaign.registration_deadline, now, zone),
        },
        {
          label: 'Hạn báo cáo kết quả',
          date: formatDate(campaign.results_deadline, zone),
          daysLeft: daysUntil(campaign.results_deadline, now, zone),
        },
      ].map((d) => ({ ...d, passed: d.daysLeft < 0, overdueBy: -d.daysLeft })),
      progress,
      results: afterRegistration
        ? { label: 'Sáng kiến đã có báo cáo kết quả', ...bar(reported, registered) }
        : null,
      newSubmissions,
      review: {
        count: review.messages.length + review.files.length + review.results.length,
        messages: review.messages.map((m) => ({
          from: m.from_address ?? '',
          subject: m.subject ?? '',
          why: [...m.review_reasons, ...(m.reject_reason ? [m.reject_reason] : [])]
            .map((r) => REASON[r] ?? r)
            .join('; '),
        })),
        files: review.files.map((f) => ({
          filename: f.filename,
          from: f.from_address ?? '',
          why: f.reason_code ?? f.state,
        })),
        results: review.results.map((r) => ({
          title: r.title,
          agency: r.agency_name ?? '',
          reference: r.reference,
        })),
      },
      agencies,
      short: agencies.filter((a) => a.shortBy > 0).length,
      total: agencies.length,
    },
  };
}

/**
 * The staff digest in the outbox, with the consolidated report attached. `key` makes it once per day for the
 * scheduled run; an on-demand digest passes its own.
 */
export async function sendDigestJob(
  deps: JobDeps,
  now = deps.clock.now(),
  key?: string,
): Promise<{ queued: boolean }> {
  const digest = await buildDigest(deps, now);
  if (!digest || deps.config.STAFF_EMAILS.length === 0) return { queued: false };
  const { campaign, view } = digest;
  const rendered = deps.renderer.render('digest', view);
  const report = await renderXlsx(await buildConsolidatedReport(deps.db, campaign, now));
  const result = await enqueueOutbox(
    deps.db,
    {
      kind: 'digest',
      dedupe_key: key ?? `digest-${campaign.code}-${localDay(now, campaign.time_zone)}`,
      to_addresses: [...deps.config.STAFF_EMAILS],
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      headers: JSON.stringify({ 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' }),
      campaign_id: campaign.id,
    },
    [
      {
        filename: `Tong hop sang kien CCHC ${campaign.year} - ${view.today.replaceAll('/', '-')}.xlsx`,
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        bytes: report,
      },
    ],
  );
  if ('limited' in result || !result.created) return { queued: false };
  await enqueueMail(deps.queues, result.id, deps.config.MAIL_RETRY_BASE_MS);
  deps.log.info({ outboxId: result.id }, 'digest queued');
  return { queued: true };
}
