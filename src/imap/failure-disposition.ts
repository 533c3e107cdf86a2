/** What is known of a failure to store one message of the inbox, when the poller judges it. */
export interface MessageFailure {
  /** The IMAP connection still answers after the failure. */
  connectionUsable: boolean;
  /** The message's content caused it (isContentError): trying the same bytes again cannot help. */
  content: boolean;
  /** A service was out of reach (isConnectionError): IMAP, PostgreSQL or Redis. */
  connectionLost: boolean;
}

/** What becomes of the message once the failure is counted against it. */
type AfterCounting =
  /** Left in the inbox and read again on the next pass; the messages after it go on now. */
  | { action: 'retry_later' }
  /** Filed in Needs review and marked set aside, for a person, rather than fetched forever. */
  | { action: 'set_aside'; why: 'content' | 'too_many_attempts' };

export type FailureDisposition =
  /**
   * The failure says nothing about the message: it is not counted, stays in the inbox, and the pass ends so the
   * poller reconnects after a back-off.
   */
  | { action: 'reconnect' }
  /** The failure is the message's: count it (imap_failures), then act on the count. */
  | { action: 'count'; afterCounting(attempts: number): AfterCounting };

/**
 * What the poller does after a message could not be stored (docs/limits.md, "Mail that cannot be read or
 * stored"). `maxAttempts` is how many failures a message may have before it is set aside; the count includes the
 * failure being judged.
 */
export function failureDisposition(failure: MessageFailure, maxAttempts: number): FailureDisposition {
  // A dead connection, or a service out of reach, is no fault of the message (a content error stays the
  // message's even when its cause chain also names a lost connection).
  if (!failure.connectionUsable || (!failure.content && failure.connectionLost))
    return { action: 'reconnect' };
  return {
    action: 'count',
    afterCounting: (attempts) =>
      failure.content
        ? { action: 'set_aside', why: 'content' }
        : attempts < maxAttempts
          ? { action: 'retry_later' }
          : { action: 'set_aside', why: 'too_many_attempts' },
  };
}
