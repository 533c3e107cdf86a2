import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { findCampaign, latestCampaign } from '../../db/campaign.repository.js';
import { DataFileError } from '../../errors.js';
import { buildConsolidatedReport } from '../../reports/consolidated-report.js';
import { renderCsv } from '../../reports/report-csv.js';
import { renderDocx } from '../../reports/report-docx.js';
import { renderXlsx } from '../../reports/report-xlsx.js';
import type { CliDeps, WithContext } from '../cli.js';

const RENDER = {
  xlsx: renderXlsx,
  docx: renderDocx,
  csv: async (r: Parameters<typeof renderCsv>[0]) => renderCsv(r),
};
type Format = keyof typeof RENDER;

export function registerExportCommand(program: Command, { io }: CliDeps, withContext: WithContext): void {
  program
    .command('export')
    .description(
      'the consolidated report for the City People’s Committee (every active initiative, by agency)',
    )
    .option('--campaign <code-or-year>', 'campaign code or year (default: the latest)')
    .option('--format <format>', 'xlsx, docx or csv', 'xlsx')
    .option('--out <file>', 'file to write (default: tong-hop-sang-kien-<year>.<format>)')
    .action((opts: { campaign?: string; format: string; out?: string }) =>
      withContext('export', async (ctx) => {
        if (!(opts.format in RENDER))
          throw new DataFileError(
            'invalid_campaign',
            `--format must be xlsx, docx or csv, not ${opts.format}`,
          );
        const campaign = opts.campaign
          ? await findCampaign(ctx.db, opts.campaign)
          : await latestCampaign(ctx.db);
        if (!campaign)
          throw new DataFileError('unknown_campaign', `no campaign ${opts.campaign ?? 'loaded'}`);
        const report = await buildConsolidatedReport(ctx.db, campaign, new Date());
        const bytes = await RENDER[opts.format as Format](report);
        const out = opts.out ?? `tong-hop-sang-kien-${campaign.year}.${opts.format}`;
        await writeFile(out, bytes);
        io.out(`${report.rows.length} initiatives of ${report.summary.length} agencies written to ${out}`);
      }),
    );
}
