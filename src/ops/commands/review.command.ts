import type { Command } from 'commander';
import { history } from '../../registry/audit.js';
import { confirmSubmission } from '../../registry/decisions/confirm-submission.js';
import { dismissItem, REVIEW_ITEM_KINDS, undoDismissItem } from '../../registry/decisions/dismiss-item.js';
import { linkResult, unlinkResult } from '../../registry/decisions/link-result.js';
import { restoreInitiative, withdrawInitiative } from '../../registry/decisions/withdraw-initiative.js';
import { itemsForReview } from '../../registry/views/review.js';
import { actor, BY, type CliDeps, type WithContext } from '../cli-context.js';
import { formatTable } from '../cli-io.js';
import { registerAssessCommand } from './assessment.command.js';
import { registerCorrectCommand } from './correction.command.js';
import { registerDecisionCommands } from './decision.command.js';

/** What waits for a person, and the changes a person makes: `reform review …`, `reform initiative correct`. */
export function registerReviewCommands(
  program: Command,
  { io, config }: CliDeps,
  withContext: WithContext,
): void {
  const review = program.command('review').description('what waits for a person, and what a person decides');
  review
    .command('list')
    .description(
      'messages held for review, files that could not be read, results not matched (with their ids)',
    )
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) =>
      withContext('review', async (ctx) => {
        const items = await itemsForReview(ctx.db);
        if (opts.json) {
          io.out(JSON.stringify(items));
          return;
        }
        io.out(
          items.length
            ? formatTable(
                ['item', 'id', 'reference', 'from', 'what', 'why'],
                items.map((i) => [i.kind, i.id, i.reference ?? '', i.from, i.what, i.why]),
              )
            : 'nothing waits for a person',
        );
      }),
    );

  review
    .command('confirm')
    .description('count a submission held for review (unknown sender, agency mismatch) for the agency given')
    .argument('<reference>', 'the submission reference, e.g. CCHC-2021-00005')
    .option('--agency <code>', 'the agency it belongs to (default: the one its form names)')
    .option('--remember-address', "add the sender's address to the agency, so its next mail counts at once")
    .option(
      '--accept-risks',
      'remember it although it is a free-mail address or its mail was not authenticated (refused otherwise)',
    )
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action(
      (
        reference: string,
        opts: {
          agency?: string;
          rememberAddress?: boolean;
          acceptRisks?: boolean;
          note?: string;
          by?: string;
          json?: boolean;
        },
      ) =>
        withContext('review', async (ctx) => {
          const r = await confirmSubmission(ctx, actor(opts.by), {
            reference,
            agencyCode: opts.agency ?? null,
            rememberAddress: opts.rememberAddress ?? false,
            acceptRisks: opts.acceptRisks ?? false,
            note: opts.note ?? null,
          });
          const out = {
            reference: r.reference,
            agency: r.agency.code,
            status: r.status,
            address: r.addressRemembered,
          };
          io.out(
            opts.json
              ? JSON.stringify(out)
              : `${r.reference} confirmed for ${r.agency.name} (${r.status})${r.addressRemembered ? `; ${r.addressRemembered} remembered` : ''}`,
          );
        }),
    );

  review
    .command('link')
    .description('link a result that matched no registered initiative to the initiative it reports on')
    .argument('<result-id>', 'the result id (reform review list)')
    .argument('<initiative-id>', "the id of the agency's registered initiative")
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((resultId: string, initiativeId: string, opts: { note?: string; by?: string; json?: boolean }) =>
      withContext('review', async (ctx) => {
        const r = await linkResult(ctx.db, actor(opts.by), {
          resultId,
          initiativeId,
          note: opts.note ?? null,
        });
        io.out(opts.json ? JSON.stringify(r) : `result ${r.resultId} linked to "${r.title}"`);
      }),
    );

  review
    .command('unlink')
    .description("undo a person's link of a result: it goes back to matching by title")
    .argument('<result-id>', 'the result id')
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((resultId: string, opts: { note?: string; by?: string; json?: boolean }) =>
      withContext('review', async (ctx) => {
        const r = await unlinkResult(ctx.db, actor(opts.by), { resultId, note: opts.note ?? null });
        io.out(
          opts.json
            ? JSON.stringify(r)
            : `result ${r.resultId} unlinked${r.initiativeId ? ' (matched again by title)' : ''}`,
        );
      }),
    );

  review
    .command('dismiss')
    .description('take an item off the list (nothing is deleted; --undo puts it back)')
    .argument('<kind>', REVIEW_ITEM_KINDS.join(' | '))
    .argument('<id>', 'its id (reform review list)')
    .option('--note <text>', 'why it needs nothing more (required to dismiss)')
    .option('--undo', 'put a dismissed item back on the list')
    .option(...BY)
    .option('--json', 'print JSON')
    .action(
      (kind: string, id: string, opts: { note?: string; undo?: boolean; by?: string; json?: boolean }) =>
        withContext('review', async (ctx) => {
          const item = { kind: kind as (typeof REVIEW_ITEM_KINDS)[number], id };
          const r = opts.undo
            ? await undoDismissItem(ctx.db, actor(opts.by), { ...item, note: opts.note ?? null })
            : await dismissItem(ctx.db, actor(opts.by), { ...item, note: opts.note ?? '' });
          io.out(
            opts.json
              ? JSON.stringify(r)
              : `${r.kind} ${r.id} ${opts.undo ? 'back on the list' : 'dismissed'}`,
          );
        }),
    );

  registerDecisionCommands(review, { io, config }, withContext);

  const initiative = program.command('initiative').description('registered initiatives');
  registerCorrectCommand(initiative, { io }, withContext);

  initiative
    .command('withdraw')
    .description('withdraw an initiative (it stops counting, stays readable; restore undoes it)')
    .argument('<id>', 'the initiative id')
    .requiredOption('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((id: string, opts: { note: string; by?: string; json?: boolean }) =>
      withContext('initiative', async (ctx) => {
        const r = await withdrawInitiative(ctx.db, actor(opts.by), { initiativeId: id, note: opts.note });
        io.out(opts.json ? JSON.stringify(r) : `initiative ${r.initiativeId} "${r.title}": ${r.status}`);
      }),
    );
  initiative
    .command('restore')
    .description('undo a withdrawal: the initiative counts again as the rules say')
    .argument('<id>', 'the initiative id')
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((id: string, opts: { note?: string; by?: string; json?: boolean }) =>
      withContext('initiative', async (ctx) => {
        const r = await restoreInitiative(ctx.db, actor(opts.by), {
          initiativeId: id,
          note: opts.note ?? null,
        });
        io.out(opts.json ? JSON.stringify(r) : `initiative ${r.initiativeId} "${r.title}": ${r.status}`);
      }),
    );
  registerAssessCommand(initiative, { io }, withContext);

  program
    .command('history')
    .description('what people changed, newest first')
    .option('--subject <type:id>', 'one subject, e.g. submission:CCHC-2021-00005 or initiative:12')
    .option('--limit <n>', 'at most this many entries', '50')
    .option('--json', 'print JSON')
    .action((opts: { subject?: string; limit: string; json?: boolean }) =>
      withContext('history', async (ctx) => {
        const [type, ...rest] = (opts.subject ?? '').split(':');
        const subject = opts.subject && type ? { type, id: rest.join(':') } : undefined;
        const rows = await history(ctx.db, subject, Number(opts.limit) || 50);
        if (opts.json) {
          io.out(JSON.stringify(rows));
          return;
        }
        io.out(
          formatTable(
            ['when', 'who', 'via', 'action', 'subject', 'note'],
            rows.map((r) => [
              r.at.toISOString(),
              r.actor,
              r.via,
              r.action,
              `${r.subject_type}:${r.subject_id}`,
              r.note ?? '',
            ]),
          ),
        );
      }),
    );
}
