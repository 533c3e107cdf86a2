import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { appendToMailbox } from '../../imap/append.js';
import { parseIncomingMessage } from '../../mail/incoming-message.js';
import { alreadyStored } from '../../registry/pipeline.js';
import type { CliDeps, WithContext } from '../cli-context.js';

export function registerInboxCommands(program: Command, { io }: CliDeps, withContext: WithContext): void {
  const inbox = program.command('inbox').description('the reform inbox');
  inbox
    .command('append')
    .description('append .eml files to the inbox as if they had been delivered')
    .argument('<files...>', 'RFC 5322 messages')
    .option('--skip-known', 'leave out messages whose Message-ID is already stored')
    .option('--json', 'print JSON')
    .action((files: string[], opts: { skipKnown?: boolean; json?: boolean }) =>
      withContext('inbox', async (ctx) => {
        const raws: Buffer[] = [];
        let skipped = 0;
        for (const file of files) {
          const raw = await readFile(file);
          if (opts.skipKnown) {
            const id = (await parseIncomingMessage(raw)).messageId;
            if (id && (await alreadyStored(ctx.db, id))) {
              skipped++;
              continue;
            }
          }
          raws.push(raw);
        }
        const uids = await appendToMailbox(ctx.config, raws);
        if (opts.json) io.out(JSON.stringify({ appended: uids.length, skipped }));
        else
          io.out(
            `appended ${uids.length} message(s) to ${ctx.config.IMAP_MAILBOX}${skipped ? `; ${skipped} already stored, left out` : ''}`,
          );
      }),
    );
}
