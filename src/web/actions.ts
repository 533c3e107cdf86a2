import type { Response, Router } from 'express';
import { OperationRefused } from '../errors.js';
import type { Actor } from '../registry/audit.js';
import { clearBounce } from '../registry/bounces.js';
import { confirmSubmission } from '../registry/confirm-submission.js';
import { agencyCodeFromInput } from '../registry/console-queries.js';
import { correctField } from '../registry/correct-field.js';
import { dismissItem, REVIEW_ITEM_KINDS, undoDismissItem } from '../registry/dismiss-item.js';
import { linkResult, unlinkResult } from '../registry/link-result.js';
import { restoreInitiative, withdrawInitiative } from '../registry/withdraw-initiative.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { safeNext, sessionOf } from './session.js';

/** What a finished action tells the person on the next page (`?ok=KEY`): fixed texts, nothing from the URL. */
export const DONE: Record<string, string> = {
  confirmed: 'Đã xác nhận hồ sơ cho đơn vị; hồ sơ được tính từ bây giờ.',
  confirmed_remembered:
    'Đã xác nhận hồ sơ và ghi nhớ địa chỉ gửi cho đơn vị: thư sau từ địa chỉ này được tính ngay.',
  linked: 'Đã gắn kết quả với sáng kiến đã đăng ký.',
  dismissed: 'Đã gỡ việc khỏi danh sách (có ghi chú lý do).',
  restored: 'Đã đưa việc trở lại danh sách cần xử lý.',
  bounce_cleared: 'Đã ghi nhận địa chỉ dùng được trở lại: nhắc việc sẽ gửi đến địa chỉ này.',
  corrected: 'Đã lưu nội dung sửa; giá trị hệ thống đọc được vẫn được lưu lại.',
  withdrawn: 'Đã rút sáng kiến: sáng kiến không còn được tính nhưng vẫn được lưu.',
  initiative_restored: 'Đã khôi phục sáng kiến: sáng kiến được tính lại theo quy tắc.',
  unlinked: 'Đã bỏ gắn kết quả; kết quả được đối chiếu lại theo tên sáng kiến.',
};

const REFUSED: Record<string, string> = {
  not_found: 'Không còn mục này (có thể người khác đã xử lý).',
  wrong_state: 'Mục này đã được xử lý hoặc không còn ở trạng thái chờ.',
  invalid_input: 'Thông tin nhập chưa hợp lệ.',
  conflict: 'Thay đổi trùng với một thay đổi khác vừa được lưu; hãy tải lại trang.',
};

const text = (v: unknown, max = 10_000): string => (typeof v === 'string' ? v.slice(0, max) : '');
const id = (v: unknown): string => (typeof v === 'string' && /^\d{1,18}$/.test(v) ? v : '');

export function registerActions(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const actor = (res: Response): Actor => {
    const a = sessionOf(res)?.account;
    return { name: a ? `${a.displayName} (${a.username})` : 'unknown', via: 'console' };
  };

  /** Run an operation; a refusal is shown in words, anything else is a server error. */
  const act = async (
    res: Response,
    what: string,
    run: () => Promise<string>,
    back: string,
    detail?: (err: OperationRefused) => string | undefined,
  ) => {
    try {
      const done = await run();
      deps.log.info({ action: what, by: actor(res).name }, 'console action');
      const target = safeNext(back);
      const [path, hash] = target.split('#');
      res.redirect(303, `${path}${path?.includes('?') ? '&' : '?'}ok=${done}${hash ? `#${hash}` : ''}`);
    } catch (err) {
      if (!(err instanceof OperationRefused)) throw err;
      deps.log.info({ action: what, code: err.code, err }, 'console action refused');
      page(
        res,
        'message',
        {
          title: 'Không thực hiện được',
          message: detail?.(err) ?? REFUSED[err.code] ?? REFUSED.invalid_input,
          back: safeNext(back),
        },
        err.code === 'not_found' ? 404 : err.code === 'invalid_input' ? 400 : 409,
      );
    }
  };

  router.post('/review/confirm', (req, res) =>
    act(
      res,
      'confirm_submission',
      async () => {
        const r = await confirmSubmission(deps.db, actor(res), {
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
      '/review',
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

  router.post('/initiatives/:id/correct', (req, res) =>
    act(
      res,
      'correct_field',
      async () => {
        await correctField(deps.db, actor(res), {
          initiativeId: id(req.params.id),
          field: text(req.body.field, 40),
          value: text(req.body.value),
          note: text(req.body.note).trim() || null,
        });
        return 'corrected';
      },
      text(req.body.back, 500) || '/',
      // The reasons a value is refused are written for people (Vietnamese) by the correction rules.
      (err) => (err.code === 'invalid_input' ? `Nội dung sửa chưa hợp lệ: ${err.message}` : undefined),
    ),
  );

  router.post('/initiatives/:id/withdraw', (req, res) =>
    act(
      res,
      'withdraw_initiative',
      async () => {
        await withdrawInitiative(deps.db, actor(res), {
          initiativeId: id(req.params.id),
          note: text(req.body.note),
        });
        return 'withdrawn';
      },
      text(req.body.back, 500) || '/',
    ),
  );

  router.post('/initiatives/:id/restore', (req, res) =>
    act(
      res,
      'restore_initiative',
      async () => {
        await restoreInitiative(deps.db, actor(res), {
          initiativeId: id(req.params.id),
          note: text(req.body.note).trim() || null,
        });
        return 'initiative_restored';
      },
      text(req.body.back, 500) || '/',
    ),
  );

  router.post('/results/:id/unlink', (req, res) =>
    act(
      res,
      'unlink_result',
      async () => {
        await unlinkResult(deps.db, actor(res), { resultId: id(req.params.id) });
        return 'unlinked';
      },
      text(req.body.back, 500) || '/',
    ),
  );
}
