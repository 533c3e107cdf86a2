import type { Router } from 'express';
import { startOfYesterday } from '../domain/changes.js';
import { agencyDue, dueWords } from '../domain/deadlines.js';
import { AGENCY_KIND_LABEL } from '../domain/labels.js';
import { progressPercent } from '../domain/quota.js';
import { daysUntil, localDay } from '../domain/time.js';
import { campaignStanding, changesSince, lateForms } from '../registry/views/campaign-standing.js';
import { recentSubmissions } from '../registry/views/console-queries.js';
import { itemsForReview } from '../registry/views/review.js';
import { CampaignQuery, campaignChoices, chosenCampaign, noCampaign } from './campaign-choice.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { addressReader } from './request-input.js';

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

/** Tổng quan: deadlines, progress, forms sent late, what waits, what changed since yesterday. */
export function registerOverviewPage(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const address = addressReader(page);
  router.get('/', async (req, res) => {
    const q = address(req, res, CampaignQuery);
    if (!q) return;
    const chosen = await chosenCampaign(deps, q.campaign);
    if (!chosen) return noCampaign(page, res, 'Tổng quan');
    const { campaign } = chosen;
    const now = deps.clock.now();
    const since = startOfYesterday(now, campaign.time_zone);
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
      late: await lateForms(deps.db, campaign.id),
      changes: { since, ...(await changesSince(deps.db, campaign.id, since)) },
      waiting,
      recent,
      now,
    });
  });
}
