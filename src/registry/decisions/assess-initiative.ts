import {
  assessmentInForce,
  initiativeForAssessment,
  insertAssessment,
  undoAssessmentInForce,
} from '../../db/assessment.repository.js';
import type { Database } from '../../db/database.js';
import { ASSESSMENT_VERDICTS, type AssessmentVerdict } from '../../domain/kinds.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';
import { activeInitiative } from './active-initiative.js';

export interface AssessInitiative {
  initiativeId: string;
  verdict: AssessmentVerdict;
  note?: string | null;
}

/**
 * A person assesses the reported results of an active initiative ("hiệu quả", "chưa hiệu quả", "chưa đánh giá"),
 * for the PAR-index assessment. The assessment in force is replaced, never overwritten; audited, and
 * `undoAssessment` takes it back.
 */
export async function assessInitiative(db: Database, by: Actor, input: AssessInitiative) {
  if (!ASSESSMENT_VERDICTS.includes(input.verdict))
    throw new OperationRefused('invalid_input', `an assessment is one of ${ASSESSMENT_VERDICTS.join(', ')}`);
  const note = input.note?.trim() || null;
  return db.transaction().execute(async (trx) => {
    const initiative = activeInitiative(
      await initiativeForAssessment(trx, input.initiativeId),
      input.initiativeId,
    );
    if (!initiative.reported)
      throw new OperationRefused(
        'wrong_state',
        `initiative ${initiative.id} has no reported result to assess`,
      );
    const before = await assessmentInForce(trx, initiative.id);
    if (before?.verdict === input.verdict && (before.note ?? null) === note)
      return { initiativeId: initiative.id, title: initiative.title, verdict: input.verdict, changed: false };
    const id = await insertAssessment(trx, {
      initiativeId: initiative.id,
      verdict: input.verdict,
      note,
      by: by.name,
    });
    await recordAudit(trx, by, {
      action: 'assess_initiative',
      subject: ['initiative', initiative.id],
      before: { verdict: before?.verdict ?? null, by: before?.assessed_by ?? null },
      after: { verdict: input.verdict, assessment: id },
      note,
    });
    return { initiativeId: initiative.id, title: initiative.title, verdict: input.verdict, changed: true };
  });
}

/** Take back the assessment in force: the one it replaced, if any, is in force again. Audited. */
export async function undoAssessment(
  db: Database,
  by: Actor,
  input: { initiativeId: string; note?: string | null },
) {
  return db.transaction().execute(async (trx) => {
    const initiative = await initiativeForAssessment(trx, input.initiativeId);
    if (!initiative)
      throw new OperationRefused('not_found', `no initiative ${input.initiativeId}`, {
        id: input.initiativeId,
      });
    const current = await assessmentInForce(trx, initiative.id);
    if (!current)
      throw new OperationRefused('wrong_state', `initiative ${initiative.id} has no assessment to take back`);
    const previous = await undoAssessmentInForce(trx, current.id, initiative.id, by.name);
    await recordAudit(trx, by, {
      action: 'undo_assessment',
      subject: ['initiative', initiative.id],
      before: { verdict: current.verdict, by: current.assessed_by, note: current.note },
      after: { verdict: previous?.verdict ?? null },
      note: input.note?.trim() || null,
    });
    return { initiativeId: initiative.id, title: initiative.title, verdict: previous?.verdict ?? null };
  });
}
