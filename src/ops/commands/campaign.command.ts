import type { Command } from 'commander';
import { campaignsWithQuotas } from '../../registry/reference/campaigns.js';
import { loadCampaignFile } from '../../registry/reference/registry-files.js';
import type { CliDeps, WithContext } from '../cli-context.js';
import { formatTable } from '../cli-io.js';

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
        const withQuotas = await campaignsWithQuotas(ctx.db);
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
