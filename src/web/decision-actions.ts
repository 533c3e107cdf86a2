import type { Router } from 'express';
import { z } from 'zod';
import { COUNTS_AS, countSubmissionAs } from '../registry/decisions/count-as.js';
import { markForgery } from '../registry/decisions/dismiss-item.js';
import { undoConfirmation } from '../registry/decisions/undo-confirmation.js';
import { type ActionRunner, action } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';
import { field } from './request-input.js';

const Unconfirm = action({
  what: 'undo_confirm_submission',
  form: z.object({
    reference: field.text(100),
    keep_address: field.ticked(),
    note: field.note(),
    back: field.back(),
  }),
  back: '/review',
});

const CountAs = action({
  what: 'count_as',
  form: z.object({
    reference: field.text(100),
    // `mail`: as the mail said, which takes a person's earlier decision back.
    rule: field
      .oneOf(
        ['mail', ...COUNTS_AS],
        'Hãy chọn cách tính hồ sơ: bản thay thế, bản bổ sung hoặc theo nội dung thư.',
      )
      .transform((r) => (r === 'mail' ? null : r)),
    note: field.note(),
    back: field.back(),
  }),
  back: '/review',
});

const Forgery = action({
  what: 'mark_forgery',
  form: z.object({ message: field.id('thư'), note: field.text(), back: field.back() }),
  back: '/review',
  refused: (err) => (err.code === 'invalid_input' ? 'Hãy ghi lý do cho rằng thư là giả mạo.' : undefined),
});

/** A person's decisions about a mail's forms, and taking them back: confirmation, revision or supplement, forgery. */
export function registerDecisionActions(router: Router, deps: ConsoleDeps, { act }: ActionRunner): void {
  router.post('/review/unconfirm', (req, res) =>
    act(req, res, Unconfirm, async (f, by) => {
      const r = await undoConfirmation(deps, by, {
        reference: f.reference,
        keepAddress: f.keep_address,
        note: f.note,
      });
      return r.addressForgotten ? 'unconfirmed_forgotten' : 'unconfirmed';
    }),
  );

  router.post('/review/count-as', (req, res) =>
    act(req, res, CountAs, async (f, by) => {
      const r = await countSubmissionAs(deps.db, by, {
        reference: f.reference,
        countsAs: f.rule,
        note: f.note,
      });
      if (r.countsAs === null) return 'counted_as_mail';
      return {
        done: r.countsAs === 'supplement' ? 'counted_supplement' : 'counted_revision',
        undo: { what: 'count_as_mail', subject: f.reference },
      };
    }),
  );

  router.post('/review/forgery', (req, res) =>
    act(req, res, Forgery, async (f, by) => {
      const r = await markForgery(deps.db, by, { messageId: f.message, note: f.note });
      // The verdict is a dismissal of the mail: taken back as one.
      return { done: 'forgery_marked', undo: { what: 'restore_item', subject: `message-${r.messageId}` } };
    }),
  );
}
