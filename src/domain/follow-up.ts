// What a person may do next about a stored mail or file: read a file again, ask its sender to send again. Each
// rule is decided here once, for the operation that does it and for the console that offers it.

/**
 * Why a stored file cannot be read again now, or null when it can: one still being read the first time
 * (`pending`), or one that is not a file to read (`not_a_file`: a forwarded mail's container, an automatic mail's
 * file, skipped without a reason).
 */
export function replayRefusal(file: {
  state: string;
  reason_code: string | null;
}): 'pending' | 'not_a_file' | null {
  if (file.state === 'pending') return 'pending';
  if (file.state === 'skipped' && !file.reason_code) return 'not_a_file';
  return null;
}

/** A message as the resend rule reads it. */
export interface ResendFacts {
  state: string;
  files: readonly { state: string; reason_code: string | null }[];
  /** A person judged the mail a forgery: its sender is not the agency, and is not written to. */
  forgery: boolean;
}

/**
 * Why the sender of a message cannot be asked to send again, or null when nothing stands in the way (whether they
 * may be written to at all is `decideReply`'s): a mail still being processed, or one judged a forgery.
 */
export function resendRefusal(m: ResendFacts): 'processing' | 'forgery' | null {
  if (m.state === 'received' || m.files.some((f) => f.state === 'pending')) return 'processing';
  if (m.forgery) return 'forgery';
  return null;
}

/** Whether something of a message did not count, so its sender could be asked for it: held or refused whole, or a file refused, failed or left unread. */
function somethingToResend(m: Pick<ResendFacts, 'state' | 'files'>): boolean {
  return (
    m.state === 'needs_review' ||
    m.state === 'rejected' ||
    m.files.some(
      (f) =>
        f.state === 'rejected' || f.state === 'failed' || (f.state === 'skipped' && f.reason_code !== null),
    )
  );
}

/** Whether the console offers to ask the sender to send again (the operation decides again when asked). */
export function offerResend(m: ResendFacts): boolean {
  return resendRefusal(m) === null && somethingToResend(m);
}
