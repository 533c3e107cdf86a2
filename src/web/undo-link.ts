import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { sameSecret } from '../staff/same-secret.js';
import { UNDO, type Undo, type UndoKey } from './undo-actions.js';

// "Hoàn tác" after an action: the next page offers the one action that takes it back, as a form posting to it
// (the person's CSRF token added by the page), and a link to what was changed. Only a known undo and a subject of
// the expected shape come from the address; nothing else of it reaches the page.

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
