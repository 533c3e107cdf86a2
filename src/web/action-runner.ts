import type { Request, Response } from 'express';
import { z } from 'zod';
import { OperationRefused } from '../errors.js';
import type { Actor } from '../registry/audit.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { formOf, read } from './request-input.js';
import { safeNext, sessionOf } from './session.js';
import { type Done, undoQuery } from './undo-link.js';

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
  parser_reading_restored:
    'Đã trả lại nội dung hệ thống đọc: hồ sơ được tính như khi chưa sửa; các lần sửa vẫn được lưu trong lịch sử.',
  correction_undone: 'Đã hoàn tác nội dung sửa: mục trở lại nội dung sửa trước đó.',
  correction_undone_to_reading: 'Đã hoàn tác nội dung sửa: mục trở lại nội dung hệ thống đọc.',
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
  assessed:
    'Đã ghi đánh giá của Phòng về kết quả sáng kiến (đưa vào bảng đánh giá chỉ số cải cách hành chính).',
  assessment_undone: 'Đã hủy đánh giá; đánh giá trước đó (nếu có) được dùng lại.',
};

const INVALID = 'Thông tin nhập chưa hợp lệ.';
const REFUSED: Record<string, string> = {
  not_found: 'Không còn mục này (có thể người khác đã xử lý).',
  wrong_state: 'Mục này đã được xử lý hoặc không còn ở trạng thái chờ.',
  invalid_input: INVALID,
  conflict: 'Thay đổi trùng với một thay đổi khác vừa được lưu; hãy tải lại trang.',
};

/** One console action: its name in the log, the form it reads, where it goes back to, its words for a refusal. */
export interface Action<T> {
  what: string;
  /** The form's fields (and the path's parameters), as the action reads them; a `back` field is where to return. */
  form: z.ZodType<T>;
  /** Where to go afterwards when the form names no page of its own (or could not be read). */
  back: string;
  /** The words for a refusal when the general ones would not say enough. */
  refused?: (err: OperationRefused) => string | undefined;
  /** The id of the form's field a refusal is about: focused when the person goes back to fix it. */
  field?: (form: Record<string, unknown>, err?: OperationRefused) => string | undefined;
}

/** Declares an action (typed by its form). */
export const action = <T>(a: Action<T>): Action<T> => a;

export interface ActionRunner {
  /**
   * Answers an action: reads its form, runs the operation as the signed-in person, and goes back with what was
   * done. Bad input and a refusal are shown in words; anything else is a server error.
   */
  act<T>(
    req: Request,
    res: Response,
    a: Action<T>,
    run: (input: T, by: Actor) => Promise<string | Done>,
  ): Promise<void>;
}

// A form that declares a `back` field returns there (when it names a page).
const BackField = z.object({ back: z.string().min(1) });

/** The way back to a form with the field in error focused (`?focus=`, read by the page renderer) and in view. */
function focusOn(back: string, field: string | undefined): string {
  if (!field || !FOCUSABLE.test(field)) return back;
  const [path = '/'] = back.split('#');
  return `${path}${path.includes('?') ? '&' : '?'}focus=${field}#${field}`;
}

/** A field's id as the console's templates write them (`agency-CCHC-2021-00001`, `dismiss-note-file-12`). */
export const FOCUSABLE = /^[A-Za-z0-9-]{1,120}$/;

/** How every console action runs: as the signed-in person, back to the page it came from with what was done. */
export function actionRunner(deps: ConsoleDeps, page: PageRenderer): ActionRunner {
  const actor = (res: Response): Actor => {
    const a = sessionOf(res)?.account;
    return { name: a ? `${a.displayName} (${a.username})` : 'unknown', via: 'console' };
  };

  const cannot = (res: Response, message: string, back: string, status: number, field?: string) =>
    page(
      res,
      'message',
      { title: 'Không thực hiện được', message, back: focusOn(safeNext(back), field) },
      status,
    );

  const act: ActionRunner['act'] = async (req, res, a, run) => {
    const form = read(a.form, formOf(req));
    if (!form.ok) {
      deps.log.info({ action: a.what, problem: form.message }, 'console action: bad input');
      return cannot(res, form.message, a.back, 400, a.field?.(formOf(req)));
    }
    const back = BackField.safeParse(form.input).data?.back ?? a.back;
    try {
      const by = actor(res);
      const result = await run(form.input, by);
      const done: Done = typeof result === 'string' ? { done: result } : result;
      deps.log.info({ action: a.what, by: by.name }, 'console action');
      const [path, hash] = safeNext(back).split('#');
      res.redirect(
        303,
        `${path}${path?.includes('?') ? '&' : '?'}ok=${done.done}${undoQuery(done)}${hash ? `#${hash}` : ''}`,
      );
    } catch (err) {
      if (!(err instanceof OperationRefused)) throw err;
      deps.log.info({ action: a.what, code: err.code, err }, 'console action refused');
      const status = err.code === 'not_found' ? 404 : err.code === 'invalid_input' ? 400 : 409;
      cannot(
        res,
        a.refused?.(err) ?? REFUSED[err.code] ?? INVALID,
        back,
        status,
        a.field?.(formOf(req), err),
      );
    }
  };

  return { act };
}
