import type { Command } from 'commander';
import { agencyDue } from '../../domain/deadlines.js';
import { formatDate } from '../../domain/time.js';
import { type Campaign, resolveCampaign } from '../../registry/reference/campaigns.js';
import { campaignStanding } from '../../registry/views/campaign-standing.js';
import { inboxCounts, isIdle } from '../../registry/views/pipeline.js';
import type { CliDeps, WithContext } from '../cli-context.js';
import { CliExit, formatTable } from '../cli-io.js';

/** A deadline, and the day it really ends on when that falls on a day off (Civil Code art. 148). */
function deadlineText(campaign: Campaign, kind: 'registration' | 'results_report'): string {
  const { deadline: day, lastDay: due } = agencyDue(campaign, null, kind);
  return due === day ? formatDate(day) : `${formatDate(day)} (a day off: on time until ${formatDate(due)})`;
}

export function registerStatusCommands(program: Command, { io }: CliDeps, withContext: WithContext): void {
  program
    .command('status')
    .description('quota table of a campaign (agencies still short first) and what the inbox received')
    .option('--campaign <code-or-year>', 'campaign code or year (default: the latest)')
    .option('--json', 'print JSON')
    .action((opts: { campaign?: string; json?: boolean }) =>
      withContext('status', async (ctx) => {
        const campaign = await resolveCampaign(ctx.db, opts.campaign);
        const standing = await campaignStanding(ctx.db, campaign.id);
        const rows = standing.agencies.map((a) => ({
          agency: a.code,
          name: a.name,
          kind: a.kind,
          quota: a.required,
          registered: a.registered,
          reported: a.reported,
          short_by: a.shortBy,
          // Forms that came after the agency's deadline: they still count, and are shown so staff see them.
          late: a.late,
          exempt: a.exempt,
          last_submission: a.lastSubmissionAt ? formatDate(a.lastSubmissionAt, campaign.time_zone) : null,
          // Communes and wards counted toward a district.
          members: a.members.map((m) => ({ code: m.code, name: m.name, registered: m.registered })),
        }));
        const counts = await inboxCounts(ctx.db);
        if (opts.json) {
          io.out(
            JSON.stringify({ campaign: campaign.code, year: campaign.year, agencies: rows, inbox: counts }),
          );
          return;
        }
        io.out(
          `${campaign.name} (${campaign.code}); registration by ${deadlineText(campaign, 'registration')}, results by ${deadlineText(campaign, 'results_report')}`,
        );
        io.out(
          formatTable(
            ['agency', 'kind', 'quota', 'registered', 'reported', 'short by', 'late', 'last submission'],
            rows.map((r) => [
              r.members.length
                ? `${r.name} (with ${r.members.map((m) => `${m.name} ${m.registered}`).join(', ')})`
                : r.name,
              r.kind,
              r.exempt ? 'exempt' : r.quota,
              r.registered,
              r.reported,
              r.short_by || '',
              r.late || '',
              r.last_submission,
            ]),
          ),
        );
        const t = standing.total;
        io.out(`${t.met} of ${t.agencies} agencies meet their quota; ${t.short} still short.`);
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
          const c = await inboxCounts(ctx.db);
          if (isIdle(c, Number(opts.messages))) return;
          if (Date.now() > deadline) {
            io.err(`still busy after ${opts.timeout} s: ${JSON.stringify(c)}`);
            throw new CliExit(1);
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      }),
    );
}
