import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { type Actor, cliActor, history } from '../../registry/audit.js';
import { confirmSubmission } from '../../registry/confirm-submission.js';
import { correctField } from '../../registry/correct-field.js';
import { COUNTS_AS, type CountsAs, countSubmissionAs } from '../../registry/count-as.js';
import { dismissItem, markForgery, REVIEW_ITEM_KINDS, undoDismissItem } from '../../registry/dismiss-item.js';
import { linkResult, unlinkResult } from '../../registry/link-result.js';
import { askToResend } from '../../registry/resend-request.js';
import { itemsForReview } from '../../registry/review.js';
import { undoConfirmation } from '../../registry/undo-confirmation.js';
import { restoreInitiative, withdrawInitiative } from '../../registry/withdraw-initiative.js';
import type { CliDeps, WithContext } from '../cli-context.js';
import { formatTable } from '../cli-io.js';
import { openRuntime } from '../runtime.js';

const BY = ['--by <name>', 'who is making the change (default: the operating-system user)'] as const;
const actor = (by: string | undefined): Actor => cliActor(by, userInfo().username);

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
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action(
      (
        reference: string,
        opts: { agency?: string; rememberAddress?: boolean; note?: string; by?: string; json?: boolean },
      ) =>
        withContext('review', async (ctx) => {
          const r = await confirmSubmission(ctx, actor(opts.by), {
            reference,
            agencyCode: opts.agency ?? null,
            rememberAddress: opts.rememberAddress ?? false,
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
    .command('unconfirm')
    .description("take back a person's confirmation: the form is held again as its mail alone would have it")
    .argument('<reference>', 'the submission reference')
    .option('--keep-address', 'keep the address the confirmation added to the registry')
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action(
      (reference: string, opts: { keepAddress?: boolean; note?: string; by?: string; json?: boolean }) =>
        withContext('review', async (ctx) => {
          const r = await undoConfirmation(ctx, actor(opts.by), {
            reference,
            keepAddress: opts.keepAddress ?? false,
            note: opts.note ?? null,
          });
          io.out(
            opts.json
              ? JSON.stringify(r)
              : `${r.reference} no longer confirmed (${r.status})${r.addressForgotten ? `; ${r.addressForgotten} taken out of the registry` : ''}`,
          );
        }),
    );

  review
    .command('count-as')
    .description(
      'say whether a registration replaces the agency\'s earlier one (revision) or adds to it (supplement); "mail" goes back to what its mail says',
    )
    .argument('<reference>', 'the submission reference')
    .argument('<rule>', [...COUNTS_AS, 'mail'].join(' | '))
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((reference: string, rule: string, opts: { note?: string; by?: string; json?: boolean }) =>
      withContext('review', async (ctx) => {
        const r = await countSubmissionAs(ctx.db, actor(opts.by), {
          reference,
          countsAs: rule === 'mail' ? null : (rule as CountsAs),
          note: opts.note ?? null,
        });
        io.out(
          opts.json
            ? JSON.stringify(r)
            : `${r.reference} counts as ${r.countsAs ?? 'its mail says'} (${r.status})`,
        );
      }),
    );

  review
    .command('forgery')
    .description(
      'judge a held message a forgery: off the list, its forms never counted (dismiss --undo takes it back)',
    )
    .argument('<message-id>', 'the message id (reform review list)')
    .requiredOption('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action((messageId: string, opts: { note: string; by?: string; json?: boolean }) =>
      withContext('review', async (ctx) => {
        const r = await markForgery(ctx.db, actor(opts.by), { messageId, note: opts.note });
        io.out(opts.json ? JSON.stringify(r) : `message ${r.messageId} judged a forgery`);
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

  review
    .command('resend')
    .description(
      "ask a message's sender to send its files again: a mail in its thread saying which files and why (audited)",
    )
    .argument('<message-id>', 'the message id (reform review list)')
    .option('--note <text>', 'a few words to the sender, added to the mail (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action(async (messageId: string, opts: { note?: string; by?: string; json?: boolean }) => {
      const by = actor(opts.by);
      // The mail is rendered and queued for the mailer: this needs the queues and templates, not only the database.
      const runtime = openRuntime(config(), 'review');
      try {
        const r = await askToResend(runtime, by, { messageId, note: opts.note ?? null });
        io.out(opts.json ? JSON.stringify(r) : `${r.to} asked to resend (outbox mail ${r.outboxId})`);
      } finally {
        await runtime.close();
      }
    });

  const initiative = program.command('initiative').description('registered initiatives');
  initiative
    .command('correct')
    .description("correct a field the parser misread (kept beside the parser's reading; a replay keeps it)")
    .argument('<id>', 'the initiative id')
    .requiredOption(
      '--field <field>',
      'title, summary, necessity, expected_results, products, beneficiaries, benefits, timeline, start, end, lead_unit, notes',
    )
    .requiredOption('--value <text>', 'the right value ("" when the form has none)')
    .option('--note <text>', 'why (kept in the history)')
    .option(...BY)
    .option('--json', 'print JSON')
    .action(
      (id: string, opts: { field: string; value: string; note?: string; by?: string; json?: boolean }) =>
        withContext('initiative', async (ctx) => {
          const r = await correctField(ctx.db, actor(opts.by), {
            initiativeId: id,
            field: opts.field,
            value: opts.value,
            note: opts.note ?? null,
          });
          io.out(
            opts.json
              ? JSON.stringify(r)
              : `initiative ${r.initiativeId}: ${r.field} ${JSON.stringify(r.before)} → ${JSON.stringify(r.after)}`,
          );
        }),
    );

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
