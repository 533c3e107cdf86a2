import type { Command } from 'commander';
import { DateTime } from 'luxon';
import { planReminders, sendRemindersJob } from '../../jobs/send-reminders.job.js';
import type { CliDeps } from '../cli-context.js';
import { formatTable } from '../cli-io.js';
import { openRuntime } from '../runtime.js';

/** 09:00 on a calendar day in the time zone, as the moment a reminder run "happens" on that day. */
function momentOf(date: string | undefined, zone: string): Date {
  if (!date) return new Date();
  const dt = DateTime.fromISO(date, { zone }).set({ hour: 9 });
  if (!dt.isValid) throw new Error(`--date expects YYYY-MM-DD, got ${date}`);
  return dt.toJSDate();
}

export function registerRemindCommand(program: Command, { io, config }: CliDeps): void {
  program
    .command('remind')
    .description('the reminders due today (or on --date): who would be emailed and why; --send queues them')
    .option('--dry-run', 'only show them (the default)')
    .option('--send', 'put them in the outbox for the mailer')
    .option('--date <YYYY-MM-DD>', 'plan as if today were this day (in the time zone)')
    .option('--json', 'print JSON')
    .action(async (opts: { send?: boolean; date?: string; json?: boolean }) => {
      const cfg = config();
      const runtime = openRuntime(cfg, 'remind');
      try {
        const now = momentOf(opts.date, cfg.TIME_ZONE);
        if (opts.send) {
          const { queued } = await sendRemindersJob(runtime, now);
          io.out(opts.json ? JSON.stringify({ queued }) : `${queued} reminder(s) queued`);
          return;
        }
        const plans = await planReminders(runtime, now);
        if (opts.json) {
          io.out(JSON.stringify(plans));
          return;
        }
        if (plans.length === 0) {
          io.out('no reminder is due');
          return;
        }
        io.out(
          formatTable(
            ['agency', 'to', 'phase', 'kind', 'deadline', 'days left', 'missing', 'cc'],
            plans.map((p) => [
              p.agencyName,
              p.to.join(' '),
              p.phase,
              `${p.kind} ${p.offset}`,
              p.deadline,
              p.daysLeft,
              p.missing,
              p.cc.join(' '),
            ]),
          ),
        );
      } finally {
        await runtime.close();
      }
    });
}
