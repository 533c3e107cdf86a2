import type { Command } from 'commander';
import { QUEUE, type QueueName } from '../../queue/queues.js';
import { drawMissing } from '../../registry/intake/draw-missing.js';
import { openParserPool, replayFiles } from '../../registry/intake/replay-attachment.js';
import { retryFailedMail } from '../../registry/letters/send-due-mail.js';
import { actor, type CliDeps, type WithContext } from '../cli-context.js';
import { CliExit } from '../cli-io.js';
import { openRuntime } from '../runtime.js';

export function registerOperatorCommands(
  program: Command,
  { io, config }: CliDeps,
  withContext: WithContext,
): void {
  program
    .command('replay')
    .description(
      'parse stored attachments again with the current parser; shows what would change, --apply records it',
    )
    .option('--message <id>', 'every attachment of a message')
    .option('--attachment <id>', 'one attachment')
    .option('--apply', 'record the new result (the old one is taken back; corrections kept; no mail is sent)')
    .option('--by <name>', 'who applies it (default: the operating-system user)')
    .option('--json', 'print JSON')
    .action((opts: { message?: string; attachment?: string; apply?: boolean; by?: string; json?: boolean }) =>
      withContext('replay', async (ctx) => {
        if (!opts.message === !opts.attachment) {
          io.err('give exactly one of --message ID or --attachment ID');
          throw new CliExit(64);
        }
        const parser = openParserPool(ctx.config, 1);
        try {
          const out = await replayFiles(
            { db: ctx.db, config: ctx.config, parser },
            opts.apply ? actor(opts.by) : null,
            { messageId: opts.message, attachmentId: opts.attachment, apply: opts.apply ?? false },
          );
          if (opts.json) io.out(JSON.stringify(out));
          else
            for (const r of out) {
              io.out(
                `attachment ${r.attachment} (${r.filename}): ${r.changes.length ? `${r.changes.length} change(s)${r.applied ? ', applied' : ''}` : 'unchanged'}`,
              );
              for (const c of r.changes) io.out(`  ${c}`);
            }
        } finally {
          await parser.close();
        }
      }),
    );

  program
    .command('draw-missing')
    .description(
      'draw the files read before the console kept their drawing (the document shown beside its reading)',
    )
    .option('--limit <n>', 'at most this many files', '1000')
    .option('--json', 'print JSON')
    .action((opts: { limit: string; json?: boolean }) =>
      withContext('draw-missing', async (ctx) => {
        const limit = Number(opts.limit);
        if (!Number.isInteger(limit) || limit < 1) {
          io.err('--limit takes a whole number of files, 1 or more');
          throw new CliExit(64);
        }
        const parser = openParserPool(ctx.config);
        try {
          const out = await drawMissing({ db: ctx.db, config: ctx.config, parser }, limit);
          if (opts.json) io.out(JSON.stringify(out));
          else {
            io.out(`${out.drawn} file(s) drawn`);
            for (const n of out.notDrawn) io.out(`  attachment ${n.attachment}: not drawn (${n.reason})`);
          }
        } finally {
          await parser.close();
        }
      }),
    );

  program
    .command('retry-failed')
    .description('put failed jobs back in their queue, and failed outbox mail back in the outbox (mail)')
    .option('--queue <name>', `one queue: ${[...Object.values(QUEUE), 'mail'].join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (opts: { queue?: string; json?: boolean }) => {
      const names = [...(Object.values(QUEUE) as QueueName[]), 'mail' as const];
      if (opts.queue && !names.includes(opts.queue as QueueName)) {
        io.err(`unknown queue ${opts.queue}; one of ${names.join(', ')}`);
        throw new CliExit(64);
      }
      const runtime = openRuntime(config(), 'retry');
      try {
        const retried: Record<string, number> = {};
        for (const name of opts.queue ? [opts.queue as (typeof names)[number]] : names) {
          if (name === 'mail') {
            // The outbox is the mailer's queue: its failed mail is due again at once.
            retried.mail = await retryFailedMail(runtime.db);
            continue;
          }
          const failed = await runtime.queues[name].getFailed(0, 10_000);
          for (const job of failed) await job.retry();
          retried[name] = failed.length;
        }
        io.out(
          opts.json
            ? JSON.stringify({ retried })
            : Object.entries(retried)
                .map(([q, n]) => `${q}: ${n} retried`)
                .join('\n'),
        );
      } finally {
        await runtime.close();
      }
    });
}
