import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { appendToMailbox } from '../../imap/append.js';
import { parseIncomingMessage } from '../../mail/incoming-message.js';
import { alreadyStored } from '../../registry/views/pipeline.js';
import type { CliDeps, WithContext } from '../cli-context.js';

export function registerInboxCommands(program: Command, { io }: CliDeps, withContext: WithContext): void {
  const inbox = program.command('inbox').description('the reform inbox');
  inbox
    .command('append')
    .description('append .eml files to the inbox as if they had been delivered')
    .argument('<files...>', 'RFC 5322 messages')
    .option('--skip-known', 'leave out messages whose Message-ID is already stored')
    .option('--as-sent', "each message arrives at the time its Date header says (replaying a season's mail)")
    .option('--json', 'print JSON')
    .action((files: string[], opts: { skipKnown?: boolean; asSent?: boolean; json?: boolean }) =>
      withContext('inbox', async (ctx) => {
        const raws: Buffer[] = [];
        const dates: (Date | undefined)[] = [];
        let skipped = 0;
        for (const file of files) {
          const raw = await readFile(file);
          const m = opts.skipKnown || opts.asSent ? await parseIncomingMessage(raw) : undefined;
          if (opts.skipKnown && m?.messageId && (await alreadyStored(ctx.db, m.messageId))) {
            skipped++;
            continue;
          }
          raws.push(raw);
          dates.push(opts.asSent ? (m?.sentAt ?? undefined) : undefined);
        }
        const uids = await appendToMailbox(ctx.config, raws, dates);
        if (opts.json) io.out(JSON.stringify({ appended: uids.length, skipped }));
        else
          io.out(
            `appended ${uids.length} message(s) to ${ctx.config.IMAP_MAILBOX}${skipped ? `; ${skipped} already stored, left out` : ''}`,
          );
      }),
    );
}
