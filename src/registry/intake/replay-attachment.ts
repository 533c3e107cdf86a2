import { type Config, parserLimits, parseThreads } from '../../config.js';
import { attachmentForParsing } from '../../db/attachment.repository.js';
import type { Database } from '../../db/database.js';
import { attachmentIdsOf, lockMessageDecisions } from '../../db/message.repository.js';
import { submissionOfAttachment } from '../../db/submission.repository.js';
import { OperationRefused } from '../../errors.js';
import { createParserPool, type ParserPool } from '../../parser/parser-pool.js';
import { type Actor, recordAudit } from '../audit.js';
import { parserRegistry } from '../reference/reference-data.js';
import { keepRendering } from './keep-rendering.js';
import { settleMessage } from './record-again.js';
import { recordingContext, reRecordParseResult } from './record-parse-result.js';

/** The parser pool every parse goes through: the same worker processes, time limit and memory budget. */
export function openParserPool(config: Config, threads = parseThreads(config)): ParserPool {
  return createParserPool({ threads, timeoutMs: config.PARSE_TIMEOUT_MS });
}

/** What a parse understood, reduced to what a person compares: kind, agency, year, titles and fields. */
function readingSummary(result: unknown): unknown {
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
function jsonDiff(before: unknown, after: unknown, path = ''): string[] {
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

export interface Replayed {
  attachment: string;
  filename: string;
  changes: string[];
  applied: boolean;
}

export interface ReplayDeps {
  db: Database;
  config: Config;
  parser: ParserPool;
}

/**
 * Parse stored files again with the current parser (after a parser fix), through the same pool and limits as
 * the parser process, and say what would change; with `apply`, record it: the old reading is taken back and
 * the new one recorded in one transaction (people's corrections kept, later results linked again, the
 * reference kept, no mail sent), audited. Running it again changes nothing.
 */
export async function replayFiles(
  deps: ReplayDeps,
  by: Actor | null,
  input: { messageId?: string; attachmentId?: string; apply: boolean },
): Promise<Replayed[]> {
  const { db, config } = deps;
  if (!input.messageId === !input.attachmentId)
    throw new OperationRefused('invalid_input', 'give exactly one of a message or an attachment');
  if (input.apply && !by)
    throw new OperationRefused('invalid_input', 'applying a replay needs to know who asks');
  const ids = input.attachmentId ? [input.attachmentId] : await attachmentIdsOf(db, input.messageId ?? '');
  const out: Replayed[] = [];
  for (const id of ids) {
    const a = await attachmentForParsing(db, id);
    if (!a) continue;
    const outcome = await deps.parser.parse(a.bytes, a.filename, {
      registry: await parserRegistry(db),
      limits: parserLimits(config),
      render: input.apply,
    });
    // Reading a file again draws it again too (a file read before drawings were kept gets one).
    if (input.apply) await keepRendering(db, id, outcome);
    const before =
      a.state === 'rejected'
        ? { error: { code: a.reason_code, message: a.error_message } }
        : readingSummary(a.parse_result);
    const after = outcome.ok
      ? readingSummary(outcome.form)
      : { error: { code: outcome.error.code, message: outcome.error.message } };
    const changes = jsonDiff(before, after);
    let applied = false;
    if (input.apply && by && changes.length > 0) {
      await db.transaction().execute(async (trx) => {
        // Parsing took a while: a person may have decided about the mail meanwhile. Under the lock on its
        // decisions, the file is read again, so the new reading is recorded with the decisions as they are now.
        await lockMessageDecisions(trx, a.message_id);
        const now = (await attachmentForParsing(trx, id)) ?? a;
        const old = await submissionOfAttachment(trx, id);
        const recorded = await reRecordParseResult(
          db,
          trx,
          recordingContext(now, config),
          outcome,
          old?.reference ?? null,
        );
        await settleMessage(trx, a.message_id, recorded);
        await recordAudit(trx, by, {
          action: 'replay_file',
          subject: ['attachment', id],
          before: { state: a.state, reading: before, submission: old?.reference ?? null },
          after: { state: recorded.state, reading: after, status: recorded.status },
          note: changes.join('\n'),
        });
      });
      applied = true;
    }
    out.push({ attachment: id, filename: a.filename, changes, applied });
  }
  return out;
}
