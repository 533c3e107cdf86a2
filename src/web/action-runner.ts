import type { Request, Response } from 'express';
import { z } from 'zod';
import { OperationRefused } from '../errors.js';
import type { Actor } from '../registry/audit.js';
import { INVALID, REFUSED } from './action-words.js';
import type { ConsoleDeps } from './deps.js';
import { focusOn } from './field-focus.js';
import type { PageRenderer } from './page-renderer.js';
import { formOf, read } from './request-input.js';
import { safeNext, sessionOf } from './session.js';
import { type Done, undoQuery } from './undo-link.js';

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
        `${path}${path?.includes('?') ? '&' : '?'}ok=${done.done}${undoQuery(done, sessionOf(res)?.csrfToken ?? '')}${hash ? `#${hash}` : ''}`,
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
