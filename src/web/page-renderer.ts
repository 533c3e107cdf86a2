import type { Response } from 'express';
import { z } from 'zod';
import { DONE } from './action-words.js';
import { FOCUSABLE } from './field-focus.js';
import { sessionOf } from './session.js';
import { changedLink, undoForm } from './undo-link.js';
import type { ConsoleViews } from './views.js';

// `?ok=KEY` after an action: only a known key shows anything, and a malformed one never stops a page.
const Flash = z
  .object({
    ok: z.string().optional().catch(undefined),
    // The field a refused action was about, focused on return (`autofocus`: the console runs no script).
    focus: z.string().regex(FOCUSABLE).optional().catch(undefined),
  })
  .catch({ ok: undefined, focus: undefined });

/** Renders a console page into a response (with the session's CSRF token and the layout added). */
export type PageRenderer = (
  res: Response,
  name: string,
  view: Record<string, unknown>,
  status?: number,
) => void;

/** The renderer of every console page: the signed-in person, their CSRF token and what was just done added. */
export function pageRenderer(views: ConsoleViews): PageRenderer {
  return (res, name, view, status = 200) => {
    const session = sessionOf(res);
    const { ok: done, focus } = Flash.parse(res.req.query);
    res
      .status(status)
      .type('html')
      .send(
        views.page(name, {
          ...view,
          me: session?.account,
          isOperator: session?.account.role === 'operator',
          csrf: session?.csrfToken,
          focus,
          // Fixed texts only: nothing of the URL reaches the page.
          flash: done && Object.hasOwn(DONE, done) ? DONE[done] : undefined,
          // "Hoàn tác": the action that takes it back, posting from this very page.
          undo:
            done && Object.hasOwn(DONE, done)
              ? undoForm(res.req.query, res.req.path, session?.csrfToken)
              : undefined,
          // And what it changed, one click away ("Xem hồ sơ CCHC-2021-00005").
          changed:
            done && Object.hasOwn(DONE, done) ? changedLink(res.req.query, session?.csrfToken) : undefined,
        }),
      );
  };
}
