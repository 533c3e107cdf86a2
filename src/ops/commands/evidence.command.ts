import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { resolveCampaign } from '../../registry/reference/campaigns.js';
import { evidencePack } from '../../registry/views/evidence-pack.js';
import type { CliDeps, WithContext } from '../cli-context.js';

/** `reform evidence --agency CODE [--campaign C] --out FILE.zip`: an agency's evidence pack for its assessment. */
export function registerEvidenceCommand(program: Command, { io }: CliDeps, withContext: WithContext): void {
  program
    .command('evidence')
    .description(
      "an agency's evidence pack (tài liệu kiểm chứng): its mails (.eml), its files as received, the office's mails to it and a summary of each fact's evidence",
    )
    .requiredOption('--agency <code>', 'the agency code (reform agencies list)')
    .option('--campaign <code-or-year>', 'campaign code or year (default: the latest)')
    .option('--out <file>', 'file to write (default: tai-lieu-kiem-chung-<agency>-<campaign>.zip)')
    .option('--json', 'print JSON')
    .action((opts: { agency: string; campaign?: string; out?: string; json?: boolean }) =>
      withContext('evidence', async (ctx) => {
        const campaign = await resolveCampaign(ctx.db, opts.campaign);
        const pack = await evidencePack(ctx.db, campaign, opts.agency, new Date(), {
          mailFrom: ctx.config.MAIL_FROM,
          issuer: ctx.config.OFFICE_NAME,
        });
        const out = opts.out ?? pack.filename;
        await writeFile(out, pack.bytes);
        io.out(
          opts.json
            ? JSON.stringify({ file: out, entries: pack.entries })
            : `${pack.entries.length} files of ${opts.agency} written to ${out}`,
        );
      }),
    );
}
