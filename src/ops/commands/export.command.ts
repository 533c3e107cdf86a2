import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { DataFileError } from '../../errors.js';
import { resolveCampaign } from '../../registry/reference/campaigns.js';
import { REPORT_FORMATS, type ReportFormat, reportFile } from '../../registry/views/report.js';
import type { CliDeps, WithContext } from '../cli-context.js';

export function registerExportCommand(program: Command, { io }: CliDeps, withContext: WithContext): void {
  program
    .command('export')
    .description(
      'the consolidated report for the City People’s Committee (every active initiative, by agency)',
    )
    .option('--campaign <code-or-year>', 'campaign code or year (default: the latest)')
    .option('--format <format>', REPORT_FORMATS.join(', '), 'xlsx')
    .option('--out <file>', 'file to write (default: tong-hop-sang-kien-<year>.<format>)')
    .action((opts: { campaign?: string; format: string; out?: string }) =>
      withContext('export', async (ctx) => {
        if (!(REPORT_FORMATS as readonly string[]).includes(opts.format))
          throw new DataFileError(
            'invalid_campaign',
            `--format must be ${REPORT_FORMATS.join(', ')}, not ${opts.format}`,
          );
        const campaign = await resolveCampaign(ctx.db, opts.campaign);
        const file = await reportFile(ctx.db, campaign, opts.format as ReportFormat, new Date(), {
          issuer: ctx.config.REPORT_ISSUER,
        });
        const out = opts.out ?? file.filename;
        await writeFile(out, file.bytes);
        io.out(
          `${file.report.rows.length} initiatives of ${file.report.summary.length} agencies written to ${out}`,
        );
      }),
    );
}
