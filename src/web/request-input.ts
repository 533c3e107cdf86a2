import type { Request, Response } from 'express';
import { z } from 'zod';
import type { PageRenderer } from './page-renderer.js';

/** Said of input no page of the console sends (a field twice, a list for a word): it was altered on the way. */
export const BAD_INPUT = 'Thông tin gửi lên chưa hợp lệ. Hãy tải lại trang và thử lại.';
/** Said of an address no page of the console links to. */
const BAD_ADDRESS = 'Địa chỉ trang có tham số không hợp lệ. Hãy mở trang từ trình đơn của hệ thống.';

const ID = /^\d{1,18}$/;

/** Text, cut at `max` characters; a missing field is empty. */
const text = (max = 10_000) =>
  z
    .string()
    .optional()
    .transform((v) => (v ?? '').slice(0, max));

/**
 * The fields a console form or address may carry, each read one way everywhere. Every field is one string: a
 * list (a field sent twice, which no page does) is refused.
 */
export const field = {
  text,
  /** A password or a token: whole, never cut; a missing field is empty. */
  secret: () =>
    z
      .string()
      .optional()
      .transform((v) => v ?? ''),
  /** A person's note: trimmed, and none when empty. */
  note: () => text().transform((v) => v.trim() || null),
  /** A record's number, as the database gives it; `what` names the record in the message. */
  id: (what: string) =>
    z
      .string({ error: `Số hiệu ${what} không hợp lệ.` })
      .regex(ID, { error: `Số hiệu ${what} không hợp lệ.` }),
  /** A checkbox: ticked or not. */
  ticked: () =>
    z
      .string()
      .optional()
      .transform((v) => v === 'on'),
  /** The page to go back to afterwards (safeNext checks it where it is used); empty when the form names none. */
  back: () => text(500),
  /** A value that may be left out, taken as it is. */
  optional: () => z.string().optional(),
  /** One of a fixed list of words (typed as the list is), else `message`. */
  oneOf: <T extends string>(values: readonly T[], message: string) =>
    z.string({ error: message }).transform((v, ctx): T => {
      const found = values.find((x) => x === v);
      if (found === undefined) ctx.addIssue({ code: 'custom', message });
      return found ?? z.NEVER;
    }),
};

export type Read<T> = { ok: true; input: T } | { ok: false; message: string };

/**
 * Parse `source` as `schema` declares; a refusal says what is wrong in Vietnamese: the field's own words, else
 * `otherwise` (never zod's English).
 */
export function read<T>(schema: z.ZodType<T>, source: unknown, otherwise = BAD_INPUT): Read<T> {
  const parsed = schema.safeParse(source, { error: () => otherwise });
  if (parsed.success) return { ok: true, input: parsed.data };
  return { ok: false, message: [...new Set(parsed.error.issues.map((i) => i.message))].join(' ') };
}

/** What an action posts: its form's fields and its path's parameters (a field never overrides the path). */
export const formOf = (req: Request): Record<string, unknown> => ({ ...req.body, ...req.params });

/** What a page is asked: its address's query and path parameters (a query never overrides the path). */
const addressOf = (req: Request): Record<string, unknown> => ({ ...req.query, ...req.params });

/**
 * The reader of a console page's address (query and path parameters) as `schema` declares. An address it cannot
 * read is answered in words, by `bad` when given (a page that is simply not there) or as a bad request, and gives
 * `undefined`: the page has nothing more to do.
 */
export function addressReader(page: PageRenderer) {
  return <T>(
    req: Request,
    res: Response,
    schema: z.ZodType<T>,
    bad?: (res: Response) => void,
  ): T | undefined => {
    const address = read(schema, addressOf(req), BAD_ADDRESS);
    if (address.ok) return address.input;
    if (bad) bad(res);
    else page(res, 'message', { title: 'Địa chỉ không hợp lệ', message: address.message }, 400);
    return undefined;
  };
}
