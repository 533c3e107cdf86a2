import type { Router } from 'express';
import { confirmSubmission } from '../registry/decisions/confirm-submission.js';
import { dismissItem, REVIEW_ITEM_KINDS, undoDismissItem } from '../registry/decisions/dismiss-item.js';
import { linkResult } from '../registry/decisions/link-result.js';
import { clearBounce } from '../registry/intake/bounces.js';
import { agencyCodeFromInput } from '../registry/views/console-queries.js';
import { type ActionRunner, id, text } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';

/**
 * The review list's actions: confirm a held form, link a result, dismiss or restore an item, ask a sender to
 * resend, clear a bounce.
 */
export function registerReviewActions(router: Router, deps: ConsoleDeps, { actor, act }: ActionRunner): void {
  router.post('/review/confirm', (req, res) =>
    act(
      res,
      'confirm_submission',
      async () => {
        const r = await confirmSubmission(deps, actor(res), {
          reference: text(req.body.reference, 100),
          agencyCode: (await agencyCodeFromInput(deps.db, text(req.body.agency, 200))) || null,
          rememberAddress: req.body.remember === 'on',
          note: text(req.body.note).trim() || null,
        });
        return r.addressRemembered ? 'confirmed_remembered' : 'confirmed';
      },
      text(req.body.back, 500) || '/review',
      (err) =>
        err.code === 'invalid_input'
          ? 'Hãy chọn đúng đơn vị trong danh sách (theo tên hoặc mã đơn vị), hoặc địa chỉ gửi đã thuộc về một đơn vị khác.'
          : undefined,
    ),
  );

  router.post('/review/link', (req, res) =>
    act(
      res,
      'link_result',
      async () => {
        await linkResult(deps.db, actor(res), {
          resultId: id(req.body.result),
          initiativeId: id(req.body.initiative),
          note: text(req.body.note).trim() || null,
        });
        return 'linked';
      },
      '/review',
      (err) =>
        err.code === 'invalid_input'
          ? 'Chỉ gắn được với sáng kiến của chính đơn vị đó trong cùng đợt.'
          : undefined,
    ),
  );

  router.post('/review/dismiss', (req, res) =>
    act(
      res,
      'dismiss_item',
      async () => {
        const kind = text(req.body.kind, 20);
        await dismissItem(deps.db, actor(res), {
          kind: (REVIEW_ITEM_KINDS as readonly string[]).includes(kind)
            ? (kind as 'message')
            : ('?' as 'message'),
          id: id(req.body.id),
          note: text(req.body.note),
        });
        return 'dismissed';
      },
      '/review',
      (err) => (err.code === 'invalid_input' ? 'Hãy ghi lý do gỡ việc này khỏi danh sách.' : undefined),
    ),
  );

  router.post('/review/restore', (req, res) =>
    act(
      res,
      'undo_dismiss_item',
      async () => {
        const kind = text(req.body.kind, 20);
        await undoDismissItem(deps.db, actor(res), {
          kind: (REVIEW_ITEM_KINDS as readonly string[]).includes(kind)
            ? (kind as 'message')
            : ('?' as 'message'),
          id: id(req.body.id),
          note: text(req.body.note).trim() || null,
        });
        return 'restored';
      },
      text(req.body.back, 500) || '/review',
    ),
  );

  router.post('/addresses/clear-bounce', (req, res) =>
    act(
      res,
      'clear_bounce',
      async () => {
        await clearBounce(deps.db, actor(res), {
          email: text(req.body.email, 320),
          note: text(req.body.note).trim() || null,
        });
        return 'bounce_cleared';
      },
      text(req.body.back, 500) || '/review',
    ),
  );
}
