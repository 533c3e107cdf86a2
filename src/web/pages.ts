import type { Response, Router } from 'express';
import { z } from 'zod';
import { allCampaigns } from '../registry/reference/campaigns.js';
import { REPORT_FORMATS, reportFile } from '../registry/views/report.js';
import {
  CampaignQuery,
  campaignChoices,
  chosenCampaign,
  noCampaign as showNoCampaign,
} from './campaign-choice.js';
import type { ConsoleDeps } from './deps.js';
import { registerDownloads } from './downloads.js';
import { registerOverviewPage } from './overview-page.js';
import type { PageRenderer } from './page-renderer.js';
import { registerRecordPages } from './record-pages.js';
import { addressReader, field } from './request-input.js';

// An unknown format is a report that is not there.
const ReportAddress = z.object({
  campaign: z.string(),
  format: field.oneOf(REPORT_FORMATS, 'Không có báo cáo này.'),
});

export function registerPages(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const noCampaign = (res: Response, title: string) => showNoCampaign(page, res, title);
  const address = addressReader(page);

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
  registerOverviewPage(router, deps, page);
  registerRecordPages(router, deps, page);
  registerDownloads(router, deps, page);
}
