import { compareOrder } from './ledger-plan.js';
import { settledWithout } from './review-reasons.js';
import { fold } from './text.js';

/** A file as the rule of replaced files reads it: whose it is, what it is, when its mail arrived. */
export interface FileFacts {
  id: string;
  /** The agency its mail came from (a refused file) or it counts for (a file read): null for a stranger. */
  agencyId: string | null;
  /** The sender's address. */
  from: string | null;
  filename: string;
  sha256: string;
  /** Its mail's place in the order of arrival (`arrivalOrder(mail)`). */
  order: readonly number[];
}

/**
 * The name a file keeps through a resend: without its extension ("Biểu đăng ký.docm" and "Bieu dang ky.docx" are
 * one name), a copy's number ("(1)", "- Copy", "- bản sao") or case, marks and punctuation.
 */
function sentName(filename: string): string {
  const stem = filename.replace(/\.[A-Za-z0-9]{1,5}$/, '');
  return fold(stem)
    .replace(/(?: copy| ban sao)+$/u, '')
    .replace(/ \d{1,2}$/u, '')
    .trim();
}

const sameSender = (a: FileFacts, b: FileFacts) =>
  (a.agencyId !== null && a.agencyId === b.agencyId) ||
  (a.from !== null && b.from !== null && a.from.toLowerCase() === b.from.toLowerCase());

/**
 * The file that replaced one that could not be read (refused or failed), if any: a file read and counted (not
 * held for a person), from the same agency (or the same address), in the same mail or a later one, with the same
 * bytes or the same name (the form sent again, in another format or without its password). Such a file leaves the
 * review list: nothing is left to do with it. It comes back as soon as its copy stops counting (a confirmation
 * undone). An earlier file read does not replace a later refused one: that may be a revision staff must see.
 */
export function replacementOf<T extends FileFacts>(unread: FileFacts, read: readonly T[]): T | undefined {
  const name = sentName(unread.filename);
  return read.find(
    (r) =>
      r.id !== unread.id &&
      sameSender(unread, r) &&
      compareOrder(r.order, unread.order) >= 0 &&
      (r.sha256 === unread.sha256 || (name !== '' && sentName(r.filename) === name)),
  );
}

/**
 * A message on the review list once its failed files were all replaced: the failure no longer asks for anyone,
 * so it goes; the message stays only while another reason keeps it there.
 */
export function afterReplacement(reasons: readonly string[], failedFilesLeft: number) {
  return failedFilesLeft > 0
    ? { state: 'needs_review' as const, reasons: [...reasons] }
    : settledWithout(reasons, (r) => r === 'failed_attachment');
}
