import { z } from 'zod';

// "Hoàn tác" after an action: the next page offers the one action that takes it back, as a form posting to it
// (the person's CSRF token added by the page). Only a known undo and a subject of the expected shape come from the
// address; nothing else of it reaches the page.

interface Undo {
  /** The shape of the subject the address may carry. */
  subject: RegExp;
  /** Where the undoing form posts, and its fields. */
  form: (subject: string) => { action: string; fields: Record<string, string> };
}

const UNDO: Record<string, Undo> = {
  unconfirm: {
    subject: /^[A-Z]{2,10}-\d{4}-\d{1,18}$/,
    form: (reference) => ({ action: '/review/unconfirm', fields: { reference } }),
  },
  count_as_mail: {
    subject: /^[A-Z]{2,10}-\d{4}-\d{1,18}$/,
    form: (reference) => ({ action: '/review/count-as', fields: { reference, rule: 'mail' } }),
  },
  restore_item: {
    subject: /^(message|file|result)-\d{1,18}$/,
    form: (s) => {
      const [kind = '', id = ''] = s.split('-');
      return { action: '/review/restore', fields: { kind, id } };
    },
  },
  unlink: { subject: /^\d{1,18}$/, form: (id) => ({ action: `/results/${id}/unlink`, fields: {} }) },
  undo_correction: {
    subject: /^\d{1,18}$/,
    form: (id) => ({ action: `/corrections/${id}/undo`, fields: {} }),
  },
  restore_initiative: {
    subject: /^\d{1,18}$/,
    form: (id) => ({ action: `/initiatives/${id}/restore`, fields: {} }),
  },
};

type UndoKey = keyof typeof UNDO;

/** What an action tells the next page: what was done, and how to take it back in one click when it can be. */
export interface Done {
  done: string;
  undo?: { what: UndoKey; subject: string };
}

/** The query an action's redirect carries for its undo. */
export function undoQuery(d: Done): string {
  return d.undo
    ? `&undo=${encodeURIComponent(d.undo.what)}&subject=${encodeURIComponent(d.undo.subject)}`
    : '';
}

const UndoQuery = z
  .object({ undo: z.string().optional().catch(undefined), subject: z.string().optional().catch(undefined) })
  .catch({ undo: undefined, subject: undefined });

/** The undoing form a page shows in its flash, from its address; undefined unless both parts are known. */
export function undoForm(query: unknown, back: string) {
  const { undo, subject } = UndoQuery.parse(query);
  const u = undo && Object.hasOwn(UNDO, undo) ? UNDO[undo] : undefined;
  if (!u || !subject || !u.subject.test(subject)) return undefined;
  const { action, fields } = u.form(subject);
  return {
    action,
    fields: [...Object.entries(fields), ['back', back]].map(([name, value]) => ({ name, value })),
  };
}
