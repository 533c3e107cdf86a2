import type { Response, Router } from 'express';
import { z } from 'zod';
import { agencyDue, dueWords } from '../domain/deadlines.js';
import { AGENCY_KIND_LABEL } from '../domain/labels.js';
import { progressPercent } from '../domain/quota.js';
import { daysUntil, localDay } from '../domain/time.js';
import { allCampaigns } from '../registry/reference/campaigns.js';
import { campaignStanding } from '../registry/views/campaign-standing.js';
import { recentSubmissions } from '../registry/views/console-queries.js';
import { REPORT_FORMATS, reportFile } from '../registry/views/report.js';
import { itemsForReview } from '../registry/views/review.js';
import {
  CampaignQuery,
  campaignChoices,
  chosenCampaign,
  noCampaign as showNoCampaign,
} from './campaign-choice.js';
import type { ConsoleDeps } from './deps.js';
import { registerDownloads } from './downloads.js';
import type { PageRenderer } from './page-renderer.js';
import { registerRecordPages } from './record-pages.js';
import { addressReader, field } from './request-input.js';

// An unknown format is a report that is not there.
const ReportAddress = z.object({
  campaign: z.string(),
  format: field.oneOf(REPORT_FORMATS, 'Không có báo cáo này.'),
});

/** A deadline card: the announced day, the day it really ends when a day off moves it, the days left to that. */
function deadline(label: string, due: { deadline: string; lastDay: string }, now: Date, zone: string) {
  const left = daysUntil(due.lastDay, now, zone);
  const words = dueWords(due, localDay(now, zone));
  return {
    label,
    day: due.deadline,
    onTimeUntil: words.onTimeUntil,
    daysLeft: left,
    passed: left < 0,
    today: left === 0,
    daysAgo: -left,
  };
}

export function registerPages(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const noCampaign = (res: Response, title: string) => showNoCampaign(page, res, title);
  const address = addressReader(page);

  router.get('/', async (req, res) => {
    const q = address(req, res, CampaignQuery);
    if (!q) return;
    const chosen = await chosenCampaign(deps, q.campaign);
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
        // The announced day; a deadline on a non-working day carried to the next working one is said beside it.
        deadline('Hạn đăng ký sáng kiến', agencyDue(campaign, null, 'registration'), now, campaign.time_zone),
        deadline('Hạn báo cáo kết quả', agencyDue(campaign, null, 'results_report'), now, campaign.time_zone),
      ],
      total: { ...t, pct: progressPercent(t.countedTowardQuota, t.required) },
      byKind: standing.byKind.map((k) => ({
        label: AGENCY_KIND_LABEL[k.kind],
        ...k.tally,
        pct: progressPercent(k.tally.countedTowardQuota, k.tally.required),
      })),
      short: short.slice(0, 100).map((a) => ({ ...a, kindLabel: AGENCY_KIND_LABEL[a.kind] })),
      shortMore: Math.max(0, short.length - 100),
      waiting,
      recent,
      now,
    });
  });

  router.get('/reports', async (req, res) => {
    const q = address(req, res, CampaignQuery);
    if (!q) return;
    const chosen = await chosenCampaign(deps, q.campaign);
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

  const noReport = (res: Response) =>
    page(res, 'message', { title: 'Không tìm thấy', message: 'Không có báo cáo này.' }, 404);
  router.get('/reports/:campaign/:format', async (req, res) => {
    const asked = address(req, res, ReportAddress, noReport);
    if (!asked) return;
    const campaign = (await allCampaigns(deps.db)).find((c) => c.code === asked.campaign);
    if (!campaign) return noReport(res);
    const file = await reportFile(deps.db, campaign, asked.format, deps.clock.now(), {
      issuer: deps.config.REPORT_ISSUER,
    });
    res
      .type(file.contentType)
      .setHeader('Content-Disposition', `attachment; filename="${file.filename}"`)
      .send(file.bytes);
  });
  registerRecordPages(router, deps, page);
  registerDownloads(router, deps, page);
}
