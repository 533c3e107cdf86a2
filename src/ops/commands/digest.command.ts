import type { Command } from 'commander';
import { buildDigest, sendDigestJob } from '../../jobs/send-digest.job.js';
import type { CliDeps } from '../cli-context.js';
import { openRuntime } from '../runtime.js';

export function registerDigestCommand(program: Command, { io, config }: CliDeps): void {
  program
    .command('digest')
    .description(
      'the staff digest: --dry-run prints it, --send puts it in the outbox (with the consolidated report)',
    )
    .option('--dry-run', 'print the digest as text (the default)')
    .option('--send', 'send it now to STAFF_EMAILS')
    .option('--json', 'print the digest data as JSON')
    .action(async (opts: { send?: boolean; json?: boolean }) => {
      const runtime = openRuntime(config(), 'digest');
      try {
        const now = new Date();
        if (opts.send) {
          const { queued } = await sendDigestJob(runtime, now, `digest-on-demand-${now.toISOString()}`);
          io.out(
            queued
              ? `digest queued for ${runtime.config.STAFF_EMAILS.join(', ')}`
              : 'no campaign or no staff address: nothing sent',
          );
          return;
        }
        const digest = await buildDigest(runtime, now);
        if (!digest) {
          io.out('no campaign loaded');
          return;
        }
        if (opts.json) io.out(JSON.stringify(digest.view));
        else {
          const rendered = runtime.renderer.render('digest', digest.view);
          io.out(`Subject: ${rendered.subject}\n\n${rendered.text}`);
        }
      } finally {
        await runtime.close();
      }
    });
}
