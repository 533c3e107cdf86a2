import type { Database } from '../../db/database.js';
import { lockMessageDecisions } from '../../db/message.repository.js';
import {
  heldMessage,
  insertDismissal,
  lockReviewItem,
  openDismissal,
  type ReviewItemKind,
  reviewItemExists,
  undoDismissal,
} from '../../db/review.repository.js';
import { OperationRefused } from '../../errors.js';
import { type Actor, recordAudit } from '../audit.js';

export const REVIEW_ITEM_KINDS: readonly ReviewItemKind[] = ['message', 'file', 'result'];

export interface DismissItem {
  kind: ReviewItemKind;
  id: string;
  /** Why it needs nothing more (required: the next person should know). */
  note: string;
}

/**
 * A person takes an item off the review list (a rejected file the agency has since sent again, a message that
 * needs no action). Nothing is deleted: the item stays as it was, and the dismissal can be undone. Audited.
 */
export async function dismissItem(db: Database, by: Actor, input: DismissItem) {
  if (!REVIEW_ITEM_KINDS.includes(input.kind))
    throw new OperationRefused('invalid_input', `an item is a ${REVIEW_ITEM_KINDS.join(', a ')}`);
  const note = input.note.trim();
  if (!note) throw new OperationRefused('invalid_input', 'say why the item needs nothing more (a note)');
  return db.transaction().execute(async (trx) => {
    await (input.kind === 'message'
      ? lockMessageDecisions(trx, input.id)
      : lockReviewItem(trx, input.kind, input.id));
    if (!(await reviewItemExists(trx, input.kind, input.id)))
      throw new OperationRefused('not_found', `no ${input.kind} ${input.id}`, { ...input });
    if (await openDismissal(trx, input.kind, input.id))
      throw new OperationRefused('wrong_state', `${input.kind} ${input.id} is already dismissed`);
    await insertDismissal(trx, { item_kind: input.kind, item_id: input.id, dismissed_by: by.name, note });
    await recordAudit(trx, by, {
      action: 'dismiss_item',
      subject: [input.kind, input.id],
      before: { dismissed: false },
      after: { dismissed: true },
      note,
    });
    return { kind: input.kind, id: input.id };
  });
}

/**
 * A person judges a held message a forgery (a sender posing as an agency): it leaves the review list marked so,
 * its forms count nothing and cannot be confirmed until the verdict is undone (`undoDismissItem`). Audited.
 */
export async function markForgery(db: Database, by: Actor, input: { messageId: string; note: string }) {
  const note = input.note.trim();
  if (!note) throw new OperationRefused('invalid_input', 'say why the message is a forgery (a note)');
  return db.transaction().execute(async (trx) => {
    await lockMessageDecisions(trx, input.messageId);
    if (!(await heldMessage(trx, input.messageId)))
      throw new OperationRefused(
        'wrong_state',
        `message ${input.messageId} holds no form waiting for review`,
        {
          messageId: input.messageId,
        },
      );
    if (await openDismissal(trx, 'message', input.messageId))
      throw new OperationRefused('wrong_state', `message ${input.messageId} is already off the review list`);
    await insertDismissal(trx, {
      item_kind: 'message',
      item_id: input.messageId,
      dismissed_by: by.name,
      note,
      verdict: 'forgery',
    });
    await recordAudit(trx, by, {
      action: 'mark_forgery',
      subject: ['message', input.messageId],
      before: { verdict: null },
      after: { verdict: 'forgery' },
      note,
    });
    return { messageId: input.messageId };
  });
}

/** Put a dismissed item back on the review list (a forgery verdict too). Audited. */
export async function undoDismissItem(
  db: Database,
  by: Actor,
  input: { kind: ReviewItemKind; id: string; note?: string | null },
) {
  return db.transaction().execute(async (trx) => {
    await (input.kind === 'message'
      ? lockMessageDecisions(trx, input.id)
      : lockReviewItem(trx, input.kind, input.id));
    const open = await openDismissal(trx, input.kind, input.id);
    if (!open) throw new OperationRefused('wrong_state', `${input.kind} ${input.id} is not dismissed`);
    await undoDismissal(trx, open.id);
    await recordAudit(trx, by, {
      action: 'undo_dismiss_item',
      subject: [input.kind, input.id],
      before: { dismissed: true, verdict: open.verdict, by: open.dismissed_by, note: open.note },
      after: { dismissed: false },
      note: input.note ?? null,
    });
    return { kind: input.kind, id: input.id };
  });
}
