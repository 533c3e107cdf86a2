import type { Response } from 'express';
import { OperationRefused } from '../errors.js';
import type { Actor } from '../registry/audit.js';
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
  unconfirmed: 'Đã hủy xác nhận: hồ sơ được xét lại như khi mới nhận.',
  unconfirmed_forgotten:
    'Đã hủy xác nhận và bỏ địa chỉ gửi đã ghi nhớ khỏi danh bạ đơn vị: hồ sơ được xét lại như khi mới nhận.',
  counted_supplement:
    'Đã ghi nhận hồ sơ là bản bổ sung: các sáng kiến đăng ký trước của đơn vị được tính lại.',
  counted_revision: 'Đã ghi nhận hồ sơ là bản thay thế đăng ký trước của đơn vị.',
  counted_as_mail: 'Đã bỏ quyết định của cán bộ: hồ sơ được tính theo nội dung thư.',
  forgery_marked: 'Đã đánh dấu thư là giả mạo: hồ sơ trong thư không được tính.',
  resend_requested:
    'Đã gửi thư đề nghị đơn vị gửi lại hồ sơ; thư và ghi chú được lưu trong lịch sử của hồ sơ.',
  replay_queued: 'Đã xếp tệp vào hàng đọc lại; kết quả hiện trên trang này sau ít giây.',
};

const REFUSED: Record<string, string> = {
  not_found: 'Không còn mục này (có thể người khác đã xử lý).',
  wrong_state: 'Mục này đã được xử lý hoặc không còn ở trạng thái chờ.',
  invalid_input: 'Thông tin nhập chưa hợp lệ.',
  conflict: 'Thay đổi trùng với một thay đổi khác vừa được lưu; hãy tải lại trang.',
};

export const text = (v: unknown, max = 10_000): string => (typeof v === 'string' ? v.slice(0, max) : '');
export const id = (v: unknown): string => (typeof v === 'string' && /^\d{1,18}$/.test(v) ? v : '');

export interface ActionRunner {
  actor(res: Response): Actor;
  /** Run an operation; a refusal is shown in words, anything else is a server error. */
  act(
    res: Response,
    what: string,
    run: () => Promise<string>,
    back: string,
    detail?: (err: OperationRefused) => string | undefined,
  ): Promise<void>;
}

/** How every console action runs: as the signed-in person, back to the page it came from with what was done. */
export function actionRunner(deps: ConsoleDeps, page: PageRenderer): ActionRunner {
  const actor = (res: Response): Actor => {
    const a = sessionOf(res)?.account;
    return { name: a ? `${a.displayName} (${a.username})` : 'unknown', via: 'console' };
  };

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

  return { actor, act };
}
