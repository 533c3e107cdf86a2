import type { Database } from '../../db/database.js';
import { initiativeById, linkResultTo, resultById } from '../../db/initiative.repository.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';
import { rebuildLedger } from '../intake/ledger.js';
import { activeInitiative } from './active-initiative.js';

export interface LinkResult {
  resultId: string;
  /** The agency's registered initiative the result reports on. */
  initiativeId: string;
  note?: string | null;
}

/**
 * A person links a reported result that matched no registered initiative by title to the initiative it
 * reports on. Only a result that counts (its report confirmed and active, so its agency is known) and only an
 * active initiative of that agency and campaign: a held stranger's report can never be counted for an agency
 * by a link. One transaction, audited.
 */
export async function linkResult(db: Database, by: Actor, input: LinkResult) {
  return db.transaction().execute(async (trx) => {
    const result = await resultById(trx, input.resultId);
    if (!result)
      throw new OperationRefused('not_found', `no result ${input.resultId}`, { id: input.resultId });
    const initiative = activeInitiative(await initiativeById(trx, input.initiativeId), input.initiativeId);
    // A report held for review (an unknown or unproven sender) is confirmed first, which names its agency.
    if (result.submission_status !== 'active' || result.superseded || !result.agency_id)
      throw new OperationRefused(
        'wrong_state',
        `result ${result.id} belongs to report ${result.reference}, which is ${result.submission_status}${result.superseded ? ' and replaced' : ''}: only a confirmed, active report's result can be linked`,
        { resultId: result.id, submissionStatus: result.submission_status },
      );
    if (initiative.campaign_id !== result.campaign_id || initiative.agency_id !== result.agency_id) {
      throw new OperationRefused(
        'invalid_input',
        'a result can only be linked to an initiative its agency registered in the same campaign',
        { resultId: result.id, initiativeId: initiative.id },
      );
    }
    await linkResultTo(trx, result.id, initiative.id, by.name);
    // A person's link is kept by the ledger; a later report for the same initiative still replaces this one.
    await rebuildLedger(trx, initiative.campaign_id, initiative.agency_id);
    await recordAudit(trx, by, {
      action: 'link_result',
      subject: ['result', result.id],
      before: { initiative_id: result.initiative_id, needs_review: result.needs_review },
      after: { initiative_id: initiative.id, title: initiative.title },
      note: input.note ?? null,
    });
    return {
      resultId: result.id,
      initiativeId: initiative.id,
      title: initiative.title,
      reference: result.reference,
    };
  });
}

/**
 * Undo a person's link: the result goes back to the ledger's own matching by title (it may match nothing and
 * wait for a person again). Audited.
 */
export async function unlinkResult(
  db: Database,
  by: Actor,
  input: { resultId: string; note?: string | null },
) {
  return db.transaction().execute(async (trx) => {
    const result = await resultById(trx, input.resultId);
    if (!result)
      throw new OperationRefused('not_found', `no result ${input.resultId}`, { id: input.resultId });
    if (!result.linked_by)
      throw new OperationRefused('wrong_state', `result ${result.id} was not linked by a person`);
    await linkResultTo(trx, result.id, null, null);
    if (result.agency_id) await rebuildLedger(trx, result.campaign_id, result.agency_id);
    const after = await resultById(trx, result.id);
    await recordAudit(trx, by, {
      action: 'unlink_result',
      subject: ['result', result.id],
      before: { initiative_id: result.initiative_id, linked_by: result.linked_by },
      after: { initiative_id: after?.initiative_id ?? null, needs_review: after?.needs_review ?? true },
      note: input.note ?? null,
    });
    return { resultId: result.id, initiativeId: after?.initiative_id ?? null };
  });
}
