import type { Command } from 'commander';
import { migrateDownAll, migrateToLatest, migrationStatus } from '../../db/migrator.js';
import type { CliDeps, WithContext } from '../cli-context.js';

export function registerDbCommands(program: Command, { io }: CliDeps, withContext: WithContext): void {
  const db = program.command('db').description('database schema');

  db.command('migrate')
    .description('apply every pending migration')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }) =>
      withContext('migrate', async (ctx) => {
        const applied = await migrateToLatest(ctx.db);
        if (opts.json) io.out(JSON.stringify({ applied }));
        else io.out(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      }),
    );

  db.command('status')
    .description('list the migrations and whether each has run')
    .option('--json', 'print the result as JSON')
    .action((opts: { json?: boolean }) =>
      withContext('migrate', async (ctx) => {
        const rows = await migrationStatus(ctx.db);
        if (opts.json) io.out(JSON.stringify(rows));
        else for (const r of rows) io.out(`${r.executedAt ? 'applied' : 'pending'}  ${r.name}`);
      }),
    );

  db.command('reset')
    .description('drop every table of the registry and migrate again (all data is lost)')
    .requiredOption('--yes', 'confirm that all data is to be deleted')
    .action(() =>
      withContext('migrate', async (ctx) => {
        const down = await migrateDownAll(ctx.db);
        const up = await migrateToLatest(ctx.db);
        io.out(`reverted ${down.length}, applied ${up.length} migration(s)`);
      }),
    );
}
