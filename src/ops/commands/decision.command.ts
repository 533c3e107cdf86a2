import type { Command } from 'commander';
import { COUNTS_AS, type CountsAs, countSubmissionAs } from '../../registry/decisions/count-as.js';
import { markForgery } from '../../registry/decisions/dismiss-item.js';
import { undoConfirmation } from '../../registry/decisions/undo-confirmation.js';
import { askToResend } from '../../registry/letters/resend-request.js';
import { actor, BY, type CliDeps, type WithContext } from '../cli-context.js';
import { openRuntime } from '../runtime.js';

/**
 * A person's decisions about a mail and taking them back, and asking its sender to resend: `reform review
 * unconfirm | count-as | forgery | resend`.
 */
export function registerDecisionCommands(
  review: Command,
  { io, config }: Pick<CliDeps, 'io' | 'config'>,
  withContext: WithContext,
): void {
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
}
