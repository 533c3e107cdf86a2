import type { Command } from 'commander';
import { campaignQuotas, findCampaign, latestCampaign } from '../../db/campaign.repository.js';
import { campaignProgress, pipelineCounts } from '../../db/status.repository.js';
import { requiredInitiatives, shortBy } from '../../domain/quota.js';
import { formatDate } from '../../domain/time.js';
import { DataFileError } from '../../errors.js';
import type { CliDeps, WithContext } from '../cli.js';
import { CliExit, formatTable } from '../cli-io.js';

export function registerStatusCommands(program: Command, { io }: CliDeps, withContext: WithContext): void {
  program
    .command('status')
    .description('quota table of a campaign (agencies still short first) and what the inbox received')
    .option('--campaign <code-or-year>', 'campaign code or year (default: the latest)')
    .option('--json', 'print JSON')
    .action((opts: { campaign?: string; json?: boolean }) =>
      withContext('status', async (ctx) => {
        const campaign = opts.campaign
          ? await findCampaign(ctx.db, opts.campaign)
          : await latestCampaign(ctx.db);
        if (!campaign) {
          throw new DataFileError(
            'unknown_campaign',
            `no campaign ${opts.campaign ?? 'loaded'}; load one with reform campaign load`,
          );
        }
        const quotas = await campaignQuotas(ctx.db, campaign.id);
        const rows = (await campaignProgress(ctx.db, campaign.id)).map((r) => {
          const quota = requiredInitiatives({ kind: r.kind, registryQuota: r.registry_quota }, quotas);
          return {
            agency: r.code,
            name: r.name,
            kind: r.kind,
            quota,
            registered: r.registered,
            reported: r.reported,
            short_by: shortBy(quota, r.registered),
            last_submission: r.last_submission_at
              ? formatDate(r.last_submission_at, campaign.time_zone)
              : null,
          };
        });
        rows.sort(
          (a, b) =>
            b.short_by - a.short_by || a.kind.localeCompare(b.kind) || a.agency.localeCompare(b.agency),
        );
        const counts = await pipelineCounts(ctx.db);
        if (opts.json) {
          io.out(
            JSON.stringify({ campaign: campaign.code, year: campaign.year, agencies: rows, inbox: counts }),
          );
          return;
        }
        const short = rows.filter((r) => r.short_by > 0).length;
        io.out(
          `${campaign.name} (${campaign.code}); registration by ${formatDate(campaign.registration_deadline)}, results by ${formatDate(campaign.results_deadline)}`,
        );
        io.out(
          formatTable(
            ['agency', 'kind', 'quota', 'registered', 'reported', 'short by', 'last submission'],
            rows.map((r) => [
              r.name,
              r.kind,
              r.quota,
              r.registered,
              r.reported,
              r.short_by || '',
              r.last_submission,
            ]),
          ),
        );
        io.out(`${rows.length - short} of ${rows.length} agencies meet their quota; ${short} still short.`);
        io.out(
          `Inbox: ${counts.messages} messages (${counts.automatic} automatic, ${counts.needs_review} waiting for a person, ${counts.in_progress} in progress); ` +
            `${counts.attachments} files: ${counts.forms} forms understood, ${counts.not_forms} not forms, ${counts.rejected} rejected, ${counts.failed} failed; ` +
            `${counts.outbox.sent} mails sent, ${counts.outbox.unsent} waiting.`,
        );
      }),
    );

  program
    .command('wait-idle')
    .description(
      'wait until every stored message has been handled and the outbox is empty (exit 1 on timeout)',
    )
    .option('--timeout <seconds>', 'give up after this long', '120')
    .option('--messages <n>', 'also wait until at least this many messages are stored', '0')
    .action((opts: { timeout: string; messages: string }) =>
      withContext('status', async (ctx) => {
        const deadline = Date.now() + Number(opts.timeout) * 1000;
        for (;;) {
          const c = await pipelineCounts(ctx.db);
          if (
            c.messages >= Number(opts.messages) &&
            c.in_progress === 0 &&
            c.pending === 0 &&
            c.outbox.unsent === 0
          )
            return;
          if (Date.now() > deadline) {
            io.err(`still busy after ${opts.timeout} s: ${JSON.stringify(c)}`);
            throw new CliExit(1);
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      }),
    );
}
