import type { Command } from 'commander';
import { seedRegistry } from '../../registry/reference/seed.js';
import type { CliDeps, WithContext } from '../cli-context.js';
import { defaultDataFiles } from '../project-root.js';

export function registerSeedCommand(program: Command, { io }: CliDeps, withContext: WithContext): void {
  program
    .command('seed')
    .description('migrate, then load the shipped 2021 Hanoi campaign and agency registry (the demo data)')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }) =>
      withContext('seed', async (ctx) => {
        const files = defaultDataFiles();
        const { applied, campaign, registry } = await seedRegistry(ctx.db, files);
        if (opts.json) io.out(JSON.stringify({ applied, campaign: campaign.code, registry }));
        else
          io.out(
            `schema: ${applied.length} migration(s) applied; campaign ${campaign.code} ${campaign.changed ? 'loaded' : 'unchanged'}; ` +
              `registry: ${registry.rows} agencies (${registry.created} new)`,
          );
      }),
    );
}
