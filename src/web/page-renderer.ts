import type { Response } from 'express';
import { DONE } from './action-runner.js';
import { sessionOf } from './session.js';
import type { ConsoleViews } from './views.js';

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
    const done = res.req.query.ok;
    res
      .status(status)
      .type('html')
      .send(
        views.page(name, {
          ...view,
          me: session?.account,
          isOperator: session?.account.role === 'operator',
          csrf: session?.csrfToken,
          // Fixed texts only: nothing of the URL reaches the page.
          flash: typeof done === 'string' && Object.hasOwn(DONE, done) ? DONE[done] : undefined,
        }),
      );
  };
}
