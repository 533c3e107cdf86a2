import type { Database } from '../../db/database.js';
import { initiativeById, setInitiativeWithdrawal } from '../../db/initiative.repository.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';
import { rebuildLedger } from '../intake/ledger.js';

export interface WithdrawInitiative {
  initiativeId: string;
  /** Why (the agency asked, it is not an initiative...): required, the next person should know. */
  note: string;
}

/**
 * A person withdraws an initiative: it stops counting and stays readable; every later rebuild of the agency's
 * registry keeps it withdrawn, and the initiatives it had replaced do not come back. Audited; `restoreInitiative`
 * undoes it.
 */
export async function withdrawInitiative(db: Database, by: Actor, input: WithdrawInitiative) {
  const note = input.note.trim();
  if (!note) throw new OperationRefused('invalid_input', 'say why the initiative is withdrawn (a note)');
  return db.transaction().execute(async (trx) => {
    const before = await initiativeById(trx, input.initiativeId);
    if (!before)
      throw new OperationRefused('not_found', `no initiative ${input.initiativeId}`, {
        id: input.initiativeId,
      });
    if (before.withdrawn_at)
      throw new OperationRefused('wrong_state', `initiative ${before.id} is already withdrawn`);
    await setInitiativeWithdrawal(trx, before.id, by.name);
    await rebuildLedger(trx, before.campaign_id, before.agency_id);
    const after = await initiativeById(trx, before.id);
    await recordAudit(trx, by, {
      action: 'withdraw_initiative',
      subject: ['initiative', before.id],
      before: { status: before.status },
      after: { status: after?.status },
      note,
    });
    return { initiativeId: before.id, title: before.title, status: after?.status ?? 'withdrawn' };
  });
}

/** Undo a withdrawal: the initiative counts again as the agency's registry rules say. Audited. */
export async function restoreInitiative(
  db: Database,
  by: Actor,
  input: { initiativeId: string; note?: string | null },
) {
  return db.transaction().execute(async (trx) => {
    const before = await initiativeById(trx, input.initiativeId);
    if (!before)
      throw new OperationRefused('not_found', `no initiative ${input.initiativeId}`, {
        id: input.initiativeId,
      });
    if (!before.withdrawn_at)
      throw new OperationRefused('wrong_state', `initiative ${before.id} is not withdrawn`);
    await setInitiativeWithdrawal(trx, before.id, null);
    await rebuildLedger(trx, before.campaign_id, before.agency_id);
    const after = await initiativeById(trx, before.id);
    await recordAudit(trx, by, {
      action: 'restore_initiative',
      subject: ['initiative', before.id],
      before: { status: before.status, withdrawn_by: before.withdrawn_by },
      after: { status: after?.status },
      note: input.note ?? null,
    });
    return { initiativeId: before.id, title: before.title, status: after?.status ?? 'active' };
  });
}
