import type { Command } from 'commander';
import { campaignQuotas, listCampaigns } from '../../db/campaign.repository.js';
import type { CliDeps, WithContext } from '../cli.js';
import { formatTable } from '../cli-io.js';
import { loadCampaignFile } from '../registry-import.js';

export function registerCampaignCommands(program: Command, { io }: CliDeps, withContext: WithContext): void {
  const campaign = program.command('campaign').description('campaigns: deadlines, quotas, reminder offsets');

  campaign
    .command('load')
    .description('insert or update a campaign from a YAML or JSON file')
    .argument('<file>', 'campaign file')
    .option('--json', 'print the result as JSON')
    .action((file: string, opts: { json?: boolean }) =>
      withContext('campaign', async (ctx) => {
        const r = await loadCampaignFile(ctx.db, file);
        if (opts.json) io.out(JSON.stringify({ code: r.code, year: r.year, changed: r.changed }));
        else io.out(`campaign ${r.code} (${r.year}) ${r.changed ? 'loaded' : 'unchanged'}`);
      }),
    );

  campaign
    .command('list')
    .description('list the campaigns')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withContext('campaign', async (ctx) => {
        const rows = await listCampaigns(ctx.db);
        const withQuotas = await Promise.all(
          rows.map(async (c) => ({
            code: c.code,
            year: c.year,
            name: c.name,
            inbox_address: c.inbox_address,
            time_zone: c.time_zone,
            registration_deadline: c.registration_deadline,
            results_deadline: c.results_deadline,
            quotas: await campaignQuotas(ctx.db, c.id),
            reminders: { before_days: c.reminder_offsets_days, after_days: c.overdue_offsets_days },
          })),
        );
        if (opts.json) {
          io.out(JSON.stringify(withQuotas));
          return;
        }
        io.out(
          formatTable(
            ['code', 'year', 'registration', 'results', 'quotas', 'inbox'],
            withQuotas.map((c) => [
              c.code,
              c.year,
              c.registration_deadline,
              c.results_deadline,
              Object.entries(c.quotas)
                .map(([k, v]) => `${k} ${v}`)
                .join(', '),
              c.inbox_address,
            ]),
          ),
        );
      }),
    );
}
