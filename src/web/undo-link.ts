import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { sameSecret } from '../staff/same-secret.js';

// "Hoàn tác" after an action: the next page offers the one action that takes it back, as a form posting to it
// (the person's CSRF token added by the page), and a link to what was changed. Only a known undo and a subject of
// the expected shape come from the address; nothing else of it reaches the page.

interface Undo {
  /** The shape of the subject the address may carry. */
  subject: RegExp;
  /** Where the undoing form posts, and its fields. */
  form: (subject: string) => { action: string; fields: Record<string, string> };
  /** What was changed: the page showing it (record-pages.ts finds a record's place by its number), in words. */
  changed: (subject: string) => { href: string; text: string };
}

const REFERENCE = /^[A-Z]{2,10}-\d{4}-\d{1,18}$/;
const ID = /^\d{1,18}$/;

const theSubmission = (reference: string) => ({
  href: `/submissions/${reference}`,
  text: `Xem hồ sơ ${reference}`,
});
const theInitiative = (id: string) => ({ href: `/initiatives/${id}`, text: 'Xem sáng kiến' });
const theResult = (id: string) => ({ href: `/results/${id}`, text: 'Xem báo cáo kết quả' });

/** A review item (`message-12`, `file-7`, `result-3`): its kind and number. */
const itemOf = (s: string) => {
  const [kind = '', id = ''] = s.split('-');
  return { kind, id };
};

const UNDO: Record<string, Undo> = {
  unconfirm: {
    subject: REFERENCE,
    form: (reference) => ({ action: '/review/unconfirm', fields: { reference } }),
    changed: theSubmission,
  },
  count_as_mail: {
    subject: REFERENCE,
    form: (reference) => ({ action: '/review/count-as', fields: { reference, rule: 'mail' } }),
    changed: theSubmission,
  },
  // A dismissal, a forgery verdict too (a dismissal of the mail that says so).
  restore_item: {
    subject: /^(message|file|result)-\d{1,18}$/,
    form: (s) => ({ action: '/review/restore', fields: itemOf(s) }),
    changed: (s) => {
      const { kind, id } = itemOf(s);
      return kind === 'message'
        ? { href: `/messages/${id}`, text: 'Xem thư' }
        : kind === 'file'
          ? { href: `/files/${id}/mail`, text: 'Xem tệp' }
          : theResult(id);
    },
  },
  unlink: {
    subject: ID,
    form: (id) => ({ action: `/results/${id}/unlink`, fields: {} }),
    changed: theResult,
  },
  undo_correction: {
    subject: ID,
    form: (id) => ({ action: `/corrections/${id}/undo`, fields: {} }),
    changed: (id) => ({ href: `/corrections/${id}`, text: 'Xem mục đã sửa' }),
  },
  restore_initiative: {
    subject: ID,
    form: (id) => ({ action: `/initiatives/${id}/restore`, fields: {} }),
    changed: theInitiative,
  },
  unassess: {
    subject: ID,
    form: (id) => ({ action: `/initiatives/${id}/unassess`, fields: {} }),
    changed: theInitiative,
  },
};

type UndoKey = keyof typeof UNDO;

/** What an action tells the next page: what was done, and how to take it back in one click when it can be. */
export interface Done {
  done: string;
  undo?: { what: UndoKey; subject: string };
}

/**
 * The signature of an undo in an address, keyed by the person's session secret (their CSRF token): a link made by
 * anyone else — "done, click Hoàn tác" on a confirmation nobody undid — shows no undo button.
 */
function signature(key: string, done: string, what: string, subject: string): string {
  return createHmac('sha256', key).update(`${done}\n${what}\n${subject}`).digest('base64url').slice(0, 22);
}

/** The query an action's redirect carries for its undo, signed for the person who did it. */
export function undoQuery(d: Done, key: string): string {
  if (!d.undo) return '';
  const { what, subject } = d.undo;
  const sig = signature(key, d.done, what, subject);
  return `&undo=${encodeURIComponent(what)}&subject=${encodeURIComponent(subject)}&sig=${sig}`;
}

const UndoQuery = z
  .object({
    ok: z.string().optional().catch(undefined),
    undo: z.string().optional().catch(undefined),
    subject: z.string().optional().catch(undefined),
    sig: z.string().optional().catch(undefined),
  })
  .catch({ ok: undefined, undo: undefined, subject: undefined, sig: undefined });

/** The known undo and its subject of the expected shape, signed for this person; undefined otherwise. */
function undoOf(query: unknown, key: string | undefined): { u: Undo; subject: string } | undefined {
  const { ok, undo, subject, sig } = UndoQuery.parse(query);
  const u = undo && Object.hasOwn(UNDO, undo) ? UNDO[undo] : undefined;
  if (!u || !undo || !subject || !u.subject.test(subject) || !key || !ok || !sig) return undefined;
  return sameSecret(sig, signature(key, ok, undo, subject)) ? { u, subject } : undefined;
}

/** The link to what was just changed a page shows in its flash, from its address; undefined unless known. */
export function changedLink(query: unknown, key: string | undefined) {
  const known = undoOf(query, key);
  return known ? known.u.changed(known.subject) : undefined;
}

/** The undoing form a page shows in its flash, from its address; undefined unless both parts are known. */
export function undoForm(query: unknown, back: string, key: string | undefined) {
  const known = undoOf(query, key);
  if (!known) return undefined;
  const { action, fields } = known.u.form(known.subject);
  return {
    action,
    fields: [...Object.entries(fields), ['back', back]].map(([name, value]) => ({ name, value })),
  };
}
