import type { Router } from 'express';
import { COUNTS_AS, type CountsAs, countSubmissionAs } from '../registry/decisions/count-as.js';
import { markForgery } from '../registry/decisions/dismiss-item.js';
import { undoConfirmation } from '../registry/decisions/undo-confirmation.js';
import { type ActionRunner, id, text } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';

/** A person's decisions about a mail's forms, and taking them back: confirmation, revision or supplement, forgery. */
export function registerDecisionActions(
  router: Router,
  deps: ConsoleDeps,
  { actor, act }: ActionRunner,
): void {
  router.post('/review/unconfirm', (req, res) =>
    act(
      res,
      'undo_confirm_submission',
      async () => {
        const r = await undoConfirmation(deps, actor(res), {
          reference: text(req.body.reference, 100),
          keepAddress: req.body.keep_address === 'on',
          note: text(req.body.note).trim() || null,
        });
        return r.addressForgotten ? 'unconfirmed_forgotten' : 'unconfirmed';
      },
      text(req.body.back, 500) || '/review',
    ),
  );

  router.post('/review/count-as', (req, res) =>
    act(
      res,
      'count_as',
      async () => {
        const rule = text(req.body.rule, 20);
        const r = await countSubmissionAs(deps.db, actor(res), {
          reference: text(req.body.reference, 100),
          countsAs:
            rule === 'mail'
              ? null
              : (COUNTS_AS as readonly string[]).includes(rule)
                ? (rule as CountsAs)
                : ('?' as CountsAs),
          note: text(req.body.note).trim() || null,
        });
        return r.countsAs === 'supplement'
          ? 'counted_supplement'
          : r.countsAs === 'revision'
            ? 'counted_revision'
            : 'counted_as_mail';
      },
      text(req.body.back, 500) || '/review',
    ),
  );

  router.post('/review/forgery', (req, res) =>
    act(
      res,
      'mark_forgery',
      async () => {
        await markForgery(deps.db, actor(res), {
          messageId: id(req.body.message),
          note: text(req.body.note),
        });
        return 'forgery_marked';
      },
      text(req.body.back, 500) || '/review',
      (err) => (err.code === 'invalid_input' ? 'Hãy ghi lý do cho rằng thư là giả mạo.' : undefined),
    ),
  );
}
