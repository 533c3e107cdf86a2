import type { Command } from 'commander';
import { parserLimits } from '../../config.js';
import { findAgencyByCode } from '../../db/agency.repository.js';
import { itemsForReview } from '../../db/digest.repository.js';
import { attachmentIdsOf, setMessageState } from '../../db/message.repository.js';
import {
  attachmentForParsing,
  registryForParser,
  setSubmissionReference,
  submissionByReference,
} from '../../db/submission.repository.js';
import { reRecordParseResult } from '../../jobs/record-parse-result.js';
import type { ParsedForm } from '../../parser/form-types.js';
import { parseForm } from '../../parser/parse-form.js';
import { QUEUE, type QueueName } from '../../queue/queues.js';
import type { CliDeps, WithContext } from '../cli.js';
import { CliExit, formatTable } from '../cli-io.js';
import { openRuntime } from '../runtime.js';

/** What a parse understood, reduced to what a person compares: kind, agency, year, titles and fields. */
function summary(result: unknown): unknown {
  if (!result || typeof result !== 'object') return result ?? null;
  const r = result as Record<string, unknown>;
  if ('error' in r) return { error: r.error };
  return {
    kind: r.kind,
    agency_code: r.agency_code,
    year: r.year,
    initiatives: r.initiatives,
    results: r.results,
  };
}

/** Field-by-field differences between two JSON values, as "path: before → after". */
export function jsonDiff(before: unknown, after: unknown, path = ''): string[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  if (before && after && typeof before === 'object' && typeof after === 'object') {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) =>
      jsonDiff(
        (before as Record<string, unknown>)[k],
        (after as Record<string, unknown>)[k],
        path ? `${path}.${k}` : k,
      ),
    );
  }
  return [`${path || '(all)'}: ${JSON.stringify(before) ?? 'none'} → ${JSON.stringify(after) ?? 'none'}`];
}

export function registerOperatorCommands(
  program: Command,
  { io, config }: CliDeps,
  withContext: WithContext,
): void {
  const review = program.command('review').description('what waits for a person');
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
        const rows = [
          ...items.messages.map((m) => [
            'message',
            m.id,
            m.from_address ?? '',
            m.subject ?? '',
            [...m.review_reasons, m.reject_reason ?? ''].filter(Boolean).join(', '),
          ]),
          ...items.files.map((f) => [
            'attachment',
            f.id,
            f.from_address ?? '',
            f.filename,
            `${f.state}: ${f.reason_code ?? ''}`,
          ]),
          ...items.results.map((r) => [
            'result',
            r.reference,
            r.agency_name ?? '',
            r.title,
            'not matched to a registered initiative',
          ]),
        ];
        io.out(
          rows.length
            ? formatTable(['item', 'id', 'from', 'what', 'why'], rows)
            : 'nothing waits for a person',
        );
      }),
    );

  program
    .command('replay')
    .description(
      'parse stored attachments again with the current parser; shows what would change, --apply records it',
    )
    .option('--message <id>', 'every attachment of a message')
    .option('--attachment <id>', 'one attachment')
    .option('--apply', 'record the new result (the old one is taken back; no mail is sent)')
    .option('--json', 'print JSON')
    .action((opts: { message?: string; attachment?: string; apply?: boolean; json?: boolean }) =>
      withContext('replay', async (ctx) => {
        if (!opts.message === !opts.attachment) {
          io.err('give exactly one of --message ID or --attachment ID');
          throw new CliExit(64);
        }
        const ids = opts.attachment ? [opts.attachment] : await attachmentIdsOf(ctx.db, opts.message ?? '');
        const agencies = await registryForParser(ctx.db);
        const out: { attachment: string; filename: string; changes: string[]; applied: boolean }[] = [];
        for (const id of ids) {
          const a = await attachmentForParsing(ctx.db, id);
          if (!a) continue;
          const outcome = await parseForm(a.bytes, a.filename, {
            registry: agencies,
            limits: parserLimits(ctx.config),
          });
          const before =
            a.state === 'rejected'
              ? { error: { code: a.reason_code, message: a.error_message } }
              : summary(a.parse_result);
          const after = outcome.ok ? summary(outcome.form) : { error: outcome.error };
          const changes = jsonDiff(before, after);
          let applied = false;
          if (opts.apply && changes.length > 0) {
            await reRecordParseResult(
              ctx.db,
              {
                id,
                sha256: a.sha256,
                senderAgencyId: a.sender_agency_id,
                receivedAt: a.received_at,
                authVerdict: a.auth_verdict,
              },
              outcome,
              new Map(agencies.map((x) => [x.code, x.id])),
            );
            applied = true;
          }
          out.push({ attachment: id, filename: a.filename, changes, applied });
        }
        if (opts.json) io.out(JSON.stringify(out));
        else
          for (const r of out) {
            io.out(
              `attachment ${r.attachment} (${r.filename}): ${r.changes.length ? `${r.changes.length} change(s)${r.applied ? ', applied' : ''}` : 'unchanged'}`,
            );
            for (const c of r.changes) io.out(`  ${c}`);
          }
      }),
    );

  program
    .command('retry-failed')
    .description('put failed jobs back in their queue')
    .option('--queue <name>', `one queue: ${Object.values(QUEUE).join(', ')}`)
    .option('--json', 'print JSON')
    .action(async (opts: { queue?: string; json?: boolean }) => {
      const names = Object.values(QUEUE) as QueueName[];
      if (opts.queue && !names.includes(opts.queue as QueueName)) {
        io.err(`unknown queue ${opts.queue}; one of ${names.join(', ')}`);
        throw new CliExit(64);
      }
      const runtime = openRuntime(config(), 'retry');
      try {
        const retried: Record<string, number> = {};
        for (const name of opts.queue ? [opts.queue as QueueName] : names) {
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

/** `reform review confirm`: a person vouches for a submission held for review, which then counts. */
export function registerConfirmCommand(program: Command, { io }: CliDeps, withContext: WithContext): void {
  const review = program.commands.find((c) => c.name() === 'review') ?? program.command('review');
  review
    .command('confirm')
    .description('count a submission held for review (unknown sender, agency mismatch) for the agency given')
    .argument('<reference>', 'the submission reference, e.g. CCHC-2021-00005')
    .option('--agency <code>', 'the agency it belongs to (default: the one its form names)')
    .option('--json', 'print JSON')
    .action((reference: string, opts: { agency?: string; json?: boolean }) =>
      withContext('review', async (ctx) => {
        const submission = await submissionByReference(ctx.db, reference);
        if (!submission) {
          io.err(`no submission ${reference}`);
          throw new CliExit(65);
        }
        if (submission.status !== 'pending_review') {
          io.err(`${reference} is ${submission.status}, not waiting for review`);
          throw new CliExit(65);
        }
        const code = opts.agency ?? submission.form_agency_code;
        const agency = code ? await findAgencyByCode(ctx.db, code) : undefined;
        if (!agency) {
          io.err(
            `name the agency with --agency CODE (${code ? `no agency ${code}` : 'the form names none'})`,
          );
          throw new CliExit(65);
        }
        const agencies = await registryForParser(ctx.db);
        const form = submission.parse_result as unknown as ParsedForm;
        // Recorded again as if the agency had sent it: its initiatives count, and replace earlier ones by title.
        const recorded = await reRecordParseResult(
          ctx.db,
          {
            id: submission.attachment_id,
            sha256: submission.sha256,
            senderAgencyId: agency.id,
            receivedAt: submission.received_at,
            authVerdict: 'none',
          },
          { ok: true, form: { ...form, agency_code: agency.code } },
          new Map(agencies.map((a) => [a.code, a.id])),
        );
        // The sender was given this reference: it stays the submission's.
        if (recorded.submissionId) await setSubmissionReference(ctx.db, recorded.submissionId, reference);
        await setMessageState(ctx.db, submission.message_id, 'processed');
        const out = { reference, agency: agency.code, status: recorded.status };
        io.out(opts.json ? JSON.stringify(out) : `${reference} confirmed for ${agency.name} (${out.status})`);
      }),
    );
}
