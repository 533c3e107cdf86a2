import type { Response } from 'express';

/** Renders a console page into a response (with the session's CSRF token and the layout added). */
export type PageRenderer = (
  res: Response,
  name: string,
  view: Record<string, unknown>,
  status?: number,
) => void;
