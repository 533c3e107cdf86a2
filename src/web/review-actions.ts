import type { Router } from 'express';
import { z } from 'zod';
import { confirmSubmission } from '../registry/decisions/confirm-submission.js';
import { dismissItem, REVIEW_ITEM_KINDS, undoDismissItem } from '../registry/decisions/dismiss-item.js';
import { linkResult } from '../registry/decisions/link-result.js';
import { agencyCodeFromInput } from '../registry/views/console-queries.js';
import { type ActionRunner, action } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';
import { fieldId } from './field-focus.js';
import { field } from './request-input.js';

const Confirm = action({
  what: 'confirm_submission',
  form: z.object({
    reference: field.text(100),
    agency: field.text(200),
    remember: field.ticked(),
    acceptRisks: field.ticked(),
    note: field.note(),
    back: field.back(),
  }),
  back: '/review',
  refused: (err) =>
    err.context.reason === 'remember_risk'
      ? 'Chưa xác nhận: địa chỉ này có rủi ro khi ghi nhớ. Hãy đánh dấu ô “Tôi đã liên hệ, xác minh với cơ quan, đơn vị…”, hoặc bỏ chọn “Ghi nhớ … là địa chỉ thư của cơ quan, đơn vị này” để chỉ xác nhận hồ sơ này.'
      : err.code === 'invalid_input'
        ? 'Hãy chọn đúng cơ quan, đơn vị trong danh sách (theo tên hoặc mã), hoặc địa chỉ thư này đã được ghi nhớ cho một cơ quan, đơn vị khác.'
        : undefined,
  // The second tick a risky address needs, else the agency: the refusals a person fixes in the form.
  field: (form, err) =>
    fieldId(err?.context.reason === 'remember_risk' ? 'accept-risks' : 'agency', form, 'reference'),
});

const Link = action({
  what: 'link_result',
  form: z.object({ result: field.id('kết quả'), initiative: field.id('sáng kiến'), note: field.note() }),
  back: '/review',
  refused: (err) =>
    err.code === 'invalid_input'
      ? 'Chỉ gắn được với sáng kiến của chính cơ quan, đơn vị đó trong cùng đợt.'
      : undefined,
});

const Item = z.object({
  kind: field.oneOf(
    REVIEW_ITEM_KINDS,
    'Không rõ loại việc (thư, tệp hay kết quả). Hãy tải lại trang và thử lại.',
  ),
  id: field.id('việc'),
});

const Dismiss = action({
  what: 'dismiss_item',
  form: Item.extend({ note: field.text() }),
  back: '/review',
  refused: (err) => (err.code === 'invalid_input' ? 'Hãy ghi lý do gỡ việc này khỏi danh sách.' : undefined),
  field: (form) => fieldId('dismiss-note', form, 'kind', 'id'),
});

const Restore = action({
  what: 'undo_dismiss_item',
  form: Item.extend({ note: field.note(), back: field.back() }),
  back: '/review',
});

/**
 * The review list's actions: confirm a held form, link a result, dismiss or restore an item.
 */
export function registerReviewActions(router: Router, deps: ConsoleDeps, { act }: ActionRunner): void {
  router.post('/review/confirm', (req, res) =>
    act(req, res, Confirm, async (f, by) => {
      const r = await confirmSubmission(deps, by, {
        reference: f.reference,
        agencyCode: (await agencyCodeFromInput(deps.db, f.agency)) || null,
        rememberAddress: f.remember,
        acceptRisks: f.acceptRisks,
        note: f.note,
      });
      return {
        done: r.addressRemembered ? 'confirmed_remembered' : 'confirmed',
        undo: { what: 'unconfirm', subject: r.reference },
      };
    }),
  );

  router.post('/review/link', (req, res) =>
    act(req, res, Link, async (f, by) => {
      await linkResult(deps.db, by, { resultId: f.result, initiativeId: f.initiative, note: f.note });
      return { done: 'linked', undo: { what: 'unlink', subject: f.result } };
    }),
  );

  router.post('/review/dismiss', (req, res) =>
    act(req, res, Dismiss, async (f, by) => {
      await dismissItem(deps.db, by, { kind: f.kind, id: f.id, note: f.note });
      return { done: 'dismissed', undo: { what: 'restore_item', subject: `${f.kind}-${f.id}` } };
    }),
  );

  router.post('/review/restore', (req, res) =>
    act(req, res, Restore, async (f, by) => {
      await undoDismissItem(deps.db, by, { kind: f.kind, id: f.id, note: f.note });
      return 'restored';
    }),
  );
}
