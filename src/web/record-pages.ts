import type { Response, Router } from 'express';
import { AGENCY_KIND_LABEL, AGENCY_KIND_ORDER } from '../domain/labels.js';
import { isHeld } from '../domain/review-reasons.js';
import { fold } from '../domain/text.js';
import { campaignStanding } from '../registry/views/campaign-standing.js';
import { agencyPage, locateReference, messagePage, reviewPage } from '../registry/views/console-queries.js';
import { campaignChoices, chosenCampaign, noCampaign as showNoCampaign } from './campaign-choice.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';

/** The registry's own pages: agencies, one agency, a message with its files, the review list. */
export function registerRecordPages(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const noCampaign = (res: Response, title: string) => showNoCampaign(page, res, title);

  router.get('/agencies', async (req, res) => {
    const chosen = await chosenCampaign(deps, req);
    if (!chosen) return noCampaign(res, 'Đơn vị');
    const { campaign } = chosen;
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const kind = typeof req.query.kind === 'string' ? req.query.kind : '';
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
            ? isHeld(i.reasons)
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
              : i.messageId
                ? `/messages/${i.messageId}#file-${i.id}`
                : null,
      })),
    });
  });
}
