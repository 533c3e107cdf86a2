import type { Command } from 'commander';
import { formatDate } from '../../domain/time.js';
import { clearBounce } from '../../registry/intake/bounces.js';
import { agencyRegistry } from '../../registry/reference/agencies.js';
import { importAgencyRegistry } from '../../registry/reference/registry-files.js';
import { actor, BY, type CliDeps, type WithContext } from '../cli-context.js';
import { formatTable } from '../cli-io.js';

export function registerAgencyCommands(program: Command, { io }: CliDeps, withContext: WithContext): void {
  const agencies = program.command('agencies').description('the agency registry');

  agencies
    .command('import')
    .description('import a registry CSV (code,name,kind,quota,email); a bad row imports nothing')
    .argument('<file>', 'CSV file, UTF-8')
    .option(
      '--prune',
      'also take out what the file no longer holds: addresses it does not list (staff-added ones too) are removed, agencies it does not list made inactive',
    )
    .option('--json', 'print the summary as JSON')
    .action((file: string, opts: { prune?: boolean; json?: boolean }) =>
      withContext('agencies', async (ctx) => {
        const s = await importAgencyRegistry(ctx.db, file, { prune: opts.prune ?? false });
        if (opts.json) io.out(JSON.stringify(s));
        else
          io.out(
            `${s.rows} agencies read: ${s.created} created, ${s.updated} updated, ${s.unchanged} unchanged; ` +
              `${s.addressesAdded} address(es) added, ${s.addressesMoved} moved` +
              (s.pruned
                ? `; pruned: ${s.pruned.addressesRemoved.length + s.pruned.staffAddressesRemoved.length} address(es) removed (${s.pruned.staffAddressesRemoved.length} added by staff), ${s.pruned.agenciesDeactivated.length} agenc(ies) made inactive`
                : ''),
          );
      }),
    );

  agencies
    .command('list')
    .description('list the agencies and their addresses')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withContext('agencies', async (ctx) => {
        const rows = await agencyRegistry(ctx.db);
        if (opts.json) {
          io.out(JSON.stringify(rows.map(({ id: _id, ...r }) => r)));
          return;
        }
        io.out(
          formatTable(
            ['code', 'name', 'kind', 'email'],
            rows.map((r) => [
              r.code,
              r.name,
              r.kind,
              r.emails
                .map((e) => {
                  const b = r.bounced.find((x) => x.email === e);
                  return b ? `${e} [bounced ${formatDate(b.bouncedAt)}]` : e;
                })
                .join(' '),
            ]),
          ),
        );
      }),
    );

  agencies
    .command('clear-bounce')
    .description('an address flagged as bounced works again: reminders go to it again (audited)')
    .argument('<email>', 'the registered address')
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((email: string, opts: { note?: string; by?: string; json?: boolean }) =>
      withContext('agencies', async (ctx) => {
        const r = await clearBounce(ctx.db, actor(opts.by), {
          email,
          note: opts.note ?? null,
        });
        io.out(
          opts.json
            ? JSON.stringify({ agency: r.agencyCode, email: r.email })
            : `${r.email} (${r.agencyCode}) is no longer flagged as bounced`,
        );
      }),
    );
}
