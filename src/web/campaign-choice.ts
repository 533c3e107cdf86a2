import type { Response } from 'express';
import { z } from 'zod';
import { allCampaigns, type Campaign, resolveCampaign } from '../registry/reference/campaigns.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { field } from './request-input.js';

/** The address of a page that shows one campaign: `?campaign=` a code or a year. */
export const CampaignQuery = z.object({ campaign: field.optional() });

/** The campaign a page shows: `?campaign=` (code or year) when given and known, else the latest. */
export async function chosenCampaign(
  deps: ConsoleDeps,
  asked: string | undefined,
): Promise<{ campaign: Campaign; campaigns: Campaign[] } | undefined> {
  const campaigns = await allCampaigns(deps.db);
  if (campaigns.length === 0) return undefined;
  const campaign =
    (asked && campaigns.find((c) => c.code === asked || String(c.year) === asked)) ||
    (await resolveCampaign(deps.db));
  return { campaign, campaigns };
}

export const campaignChoices = (campaigns: Campaign[], chosen: Campaign) =>
  campaigns.map((c) => ({ code: c.code, name: c.name, year: c.year, selected: c.id === chosen.id }));

/** The page shown when no campaign is loaded yet. */
export function noCampaign(page: PageRenderer, res: Response, title: string): void {
  page(res, 'message', {
    title,
    message: 'Chưa có đợt đăng ký nào. Đề nghị liên hệ cán bộ kỹ thuật để nạp tệp đợt đăng ký vào hệ thống.',
  });
}
