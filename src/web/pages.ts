import type { Request, Response, Router } from 'express';
import { AGENCY_KIND_LABEL, AGENCY_KIND_ORDER } from '../domain/labels.js';
import { HOLDING_REASONS } from '../domain/review-reasons.js';
import { daysUntil } from '../domain/time.js';
import { allCampaigns, type Campaign, resolveCampaign } from '../registry/campaigns.js';
import {
  agencyPage,
  fileForDownload,
  foldText,
  locateReference,
  messagePage,
  rawMessage,
  recentSubmissions,
  reviewPage,
} from '../registry/console-queries.js';
import { dueDay } from '../registry/deadlines.js';
import { REPORT_FORMATS, type ReportFormat, reportFile } from '../registry/report.js';
import { itemsForReview } from '../registry/review.js';
import { campaignStanding } from '../registry/standing.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';

const pct = (part: number, whole: number) =>
  whole > 0 ? Math.min(100, Math.round((part / whole) * 100)) : 100;

/** The campaign a page shows: `?campaign=` (code or year) when given and known, else the latest. */
async function chosenCampaign(
  deps: ConsoleDeps,
  req: Request,
): Promise<{ campaign: Campaign; campaigns: Campaign[] } | undefined> {
  const campaigns = await allCampaigns(deps.db);
  if (campaigns.length === 0) return undefined;
  const asked = typeof req.query.campaign === 'string' ? req.query.campaign : undefined;
  const campaign =
    (asked && campaigns.find((c) => c.code === asked || String(c.year) === asked)) ||
    (await resolveCampaign(deps.db));
  return { campaign, campaigns };
}

const campaignChoices = (campaigns: Campaign[], chosen: Campaign) =>
  campaigns.map((c) => ({ code: c.code, name: c.name, year: c.year, selected: c.id === chosen.id }));

function deadline(label: string, day: string, now: Date, zone: string) {
  const left = daysUntil(day, now, zone);
  return { label, day, daysLeft: left, passed: left < 0, today: left === 0, daysAgo: -left };
}

export function registerPages(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const noCampaign = (res: Response, title: string) =>
    page(res, 'message', {
      title,
      message: 'Chưa có đợt đăng ký nào. Cán bộ vận hành nạp đợt bằng lệnh reform campaign load.',
    });

  router.get('/', async (req, res) => {
    const chosen = await chosenCampaign(deps, req);
    if (!chosen) return noCampaign(res, 'Tổng quan');
    const { campaign } = chosen;
    const now = deps.clock.now();
    const standing = await campaignStanding(deps.db, campaign.id);
    const waiting = (await itemsForReview(deps.db)).length;
    const recent = await recentSubmissions(deps.db, campaign.id);
    const t = standing.total;
    const short = standing.agencies.filter((a) => !a.met);
    page(res, 'dashboard', {
      title: 'Tổng quan',
      nav: 'home',
      campaign,
      campaigns: campaignChoices(chosen.campaigns, campaign),
      deadlines: [
        // The last on-time day, a deadline on a non-working day carried to the next working one.
        deadline('Hạn đăng ký sáng kiến', dueDay(campaign, null, 'registration'), now, campaign.time_zone),
        deadline('Hạn báo cáo kết quả', dueDay(campaign, null, 'results_report'), now, campaign.time_zone),
      ],
      total: { ...t, pct: pct(t.countedTowardQuota, t.required) },
      byKind: standing.byKind.map((k) => ({
        label: AGENCY_KIND_LABEL[k.kind],
        ...k.tally,
        pct: pct(k.tally.countedTowardQuota, k.tally.required),
      })),
      short: short.slice(0, 100).map((a) => ({ ...a, kindLabel: AGENCY_KIND_LABEL[a.kind] })),
      shortMore: Math.max(0, short.length - 100),
      waiting,
      recent,
      now,
    });
  });

  router.get('/reports', async (req, res) => {
    const chosen = await chosenCampaign(deps, req);
    if (!chosen) return noCampaign(res, 'Báo cáo');
    page(res, 'reports', {
      title: 'Báo cáo',
      nav: 'reports',
      campaign: chosen.campaign,
      campaigns: campaignChoices(chosen.campaigns, chosen.campaign),
      formats: [
        { format: 'xlsx', label: 'Bảng tính Excel (.xlsx)' },
        { format: 'docx', label: 'Văn bản Word (.docx)' },
        { format: 'csv', label: 'Dữ liệu CSV (.csv)' },
      ],
    });
  });

  router.get('/reports/:campaign/:format', async (req, res) => {
    const format = String(req.params.format);
    const campaigns = await allCampaigns(deps.db);
    const campaign = campaigns.find((c) => c.code === req.params.campaign);
    if (!campaign || !(REPORT_FORMATS as readonly string[]).includes(format))
      return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có báo cáo này.' }, 404);
    const file = await reportFile(deps.db, campaign, format as ReportFormat, deps.clock.now(), {
      issuer: deps.config.OFFICE_NAME,
    });
    res
      .type(file.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.bytes);
  });

  router.get('/agencies', async (req, res) => {
    const chosen = await chosenCampaign(deps, req);
    if (!chosen) return noCampaign(res, 'Đơn vị');
    const { campaign } = chosen;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const kind = typeof req.query.kind === 'string' ? req.query.kind : '';
    const standing = await campaignStanding(deps.db, campaign.id);
    const needle = foldText(q);
    const agencies = standing.agencies
      .filter((a) => !kind || a.kind === kind)
      .filter((a) => !needle || foldText(`${a.name} ${a.code}`).includes(needle))
      .sort(
        (a, b) => AGENCY_KIND_ORDER[a.kind] - AGENCY_KIND_ORDER[b.kind] || a.name.localeCompare(b.name, 'vi'),
      )
      .map((a) => ({ ...a, kindLabel: AGENCY_KIND_LABEL[a.kind] }));
    page(res, 'agencies', {
      title: 'Đơn vị',
      nav: 'agencies',
      campaign,
      campaigns: campaignChoices(chosen.campaigns, campaign),
      q,
      kinds: standing.byKind.map((k) => ({
        kind: k.kind,
        label: AGENCY_KIND_LABEL[k.kind],
        selected: k.kind === kind,
      })),
      agencies,
      count: agencies.length,
    });
  });

  router.get('/agencies/:code', async (req, res) => {
    const chosen = await chosenCampaign(deps, req);
    if (!chosen) return noCampaign(res, 'Đơn vị');
    const view = await agencyPage(deps.db, String(req.params.code), chosen.campaign.id);
    if (!view) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có đơn vị này.' }, 404);
    page(res, 'agency', {
      canCorrect: true,
      backBase: `/agencies/${view.agency.code}?campaign=${chosen.campaign.code}&open=`,
      backHere: `/agencies/${view.agency.code}?campaign=${chosen.campaign.code}`,
      title: view.agency.name,
      nav: 'agencies',
      campaign: chosen.campaign,
      campaigns: campaignChoices(chosen.campaigns, chosen.campaign),
      ...view,
      activeInitiatives: view.activeInitiatives.map((i) => ({ ...i, open: i.id === req.query.open })),
    });
  });

  router.get('/messages/:id', async (req, res) => {
    const view = await messagePage(deps.db, String(req.params.id));
    if (!view) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có thư này.' }, 404);
    page(res, 'submission', {
      canCorrect: true,
      backBase: `/messages/${view.message.id}?open=`,
      title: `Hồ sơ: ${view.message.subject ?? 'thư không có tiêu đề'}`,
      nav: 'review',
      ...view,
    });
  });

  router.get('/messages/:id/raw', async (req, res) => {
    const raw = await rawMessage(deps.db, String(req.params.id));
    if (!raw) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có thư này.' }, 404);
    sendFile(res, raw, `thu-${req.params.id}.eml`, 'message/rfc822');
  });

  router.get('/files/:id', async (req, res) => {
    const file = await fileForDownload(deps.db, String(req.params.id));
    if (!file) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có tệp này.' }, 404);
    sendFile(res, file.bytes, file.filename, 'application/octet-stream');
  });

  router.get('/submissions/:reference', async (req, res) => {
    const at = await locateReference(deps.db, String(req.params.reference));
    if (!at)
      return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có hồ sơ mang số này.' }, 404);
    res.redirect(303, `/messages/${at.message_id}#file-${at.attachment_id}`);
  });

  router.get('/review', async (_req, res) => {
    const view = await reviewPage(deps.db);
    page(res, 'review', {
      title: 'Việc cần xử lý',
      nav: 'review',
      count: view.items.length,
      agencies: view.agencies,
      dismissed: view.dismissed,
      bounced: view.bounced,
      items: view.items.map((i) => ({
        ...i,
        isMessage: i.kind === 'message',
        isResult: i.kind === 'result',
        kindLabel:
          i.kind === 'message'
            ? i.reasons.some((r) => (HOLDING_REASONS as readonly string[]).includes(r))
              ? 'Thư chờ xác nhận'
              : 'Thư cần kiểm tra'
            : i.kind === 'file'
              ? 'Tệp không đọc được'
              : 'Kết quả chưa khớp',
        link:
          i.kind === 'message'
            ? `/messages/${i.id}`
            : i.reference
              ? `/submissions/${encodeURIComponent(i.reference)}`
              : null,
      })),
    });
  });
}

/**
 * A stored file, always as a download: a sender's file is never shown inline by the browser (an HTML or SVG
 * file named .doc would otherwise run on the console's origin).
 */
function sendFile(res: Response, bytes: Buffer, filename: string, contentType: string): void {
  const ascii =
    filename
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '') || 'tep';
  res
    .type(contentType)
    .setHeader(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    )
    .send(bytes);
}
