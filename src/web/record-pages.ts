import type { Response, Router } from 'express';
import { z } from 'zod';
import { AGENCY_KIND_LABEL, AGENCY_KIND_ORDER, WORD } from '../domain/labels.js';
import { fold } from '../domain/text.js';
import { campaignStanding } from '../registry/views/campaign-standing.js';
import { agencyPage, messagePage } from '../registry/views/console-queries.js';
import {
  CampaignQuery,
  campaignChoices,
  chosenCampaign,
  noCampaign as showNoCampaign,
} from './campaign-choice.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { registerPlaceLinks } from './place-links.js';
import { addressReader, field } from './request-input.js';
import { registerReviewPage } from './review-page.js';

// Path parameters are looked up as they are: one that names nothing is a page that is not there (404).
const AgenciesQuery = CampaignQuery.extend({
  q: field.optional().transform((v) => (v ?? '').trim().slice(0, 100)),
  kind: field.text(40),
});
const AgencyAddress = CampaignQuery.extend({ code: z.string(), open: field.optional() });
const MessageAddress = z.object({ id: z.string() });

/** The registry's own pages: agencies, one agency, a message with its files, the review list. */
export function registerRecordPages(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const noCampaign = (res: Response, title: string) => showNoCampaign(page, res, title);
  const address = addressReader(page);

  router.get('/agencies', async (req, res) => {
    const asked = address(req, res, AgenciesQuery);
    if (!asked) return;
    const { q, kind } = asked;
    const chosen = await chosenCampaign(deps, asked.campaign);
    if (!chosen) return noCampaign(res, WORD.agency);
    const { campaign } = chosen;
    const standing = await campaignStanding(deps.db, campaign.id);
    const needle = fold(q);
    const agencies = standing.agencies
      .filter((a) => !kind || a.kind === kind)
      .filter((a) => !needle || fold(`${a.name} ${a.code}`).includes(needle))
      .sort(
        (a, b) => AGENCY_KIND_ORDER[a.kind] - AGENCY_KIND_ORDER[b.kind] || a.name.localeCompare(b.name, 'vi'),
      )
      .map((a) => ({ ...a, kindLabel: AGENCY_KIND_LABEL[a.kind] }));
    page(res, 'agencies', {
      title: WORD.agency,
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
    const asked = address(req, res, AgencyAddress);
    if (!asked) return;
    const chosen = await chosenCampaign(deps, asked.campaign);
    if (!chosen) return noCampaign(res, WORD.agency);
    const view = await agencyPage(deps.db, asked.code, chosen.campaign.id);
    if (!view)
      return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có cơ quan, đơn vị này.' }, 404);
    page(res, 'agency', {
      canCorrect: true,
      backBase: `/agencies/${view.agency.code}?campaign=${chosen.campaign.code}&open=`,
      backHere: `/agencies/${view.agency.code}?campaign=${chosen.campaign.code}`,
      title: view.agency.name,
      nav: 'agencies',
      campaign: chosen.campaign,
      campaigns: campaignChoices(chosen.campaigns, chosen.campaign),
      ...view,
      activeInitiatives: view.activeInitiatives.map((i) => ({ ...i, open: i.id === asked.open })),
    });
  });

  router.get('/messages/:id', async (req, res) => {
    const asked = address(req, res, MessageAddress);
    if (!asked) return;
    const view = await messagePage(deps.db, asked.id);
    if (!view) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có thư này.' }, 404);
    page(res, 'submission', {
      canCorrect: true,
      backBase: `/messages/${view.message.id}?open=`,
      title: `Hồ sơ: ${view.message.subject ?? 'thư không có tiêu đề'}`,
      nav: 'review',
      ...view,
    });
  });

  registerPlaceLinks(router, deps, page);
  registerReviewPage(router, deps, page);
}
