import { describe, expect, it } from 'vitest';
import { failureDisposition, type MessageFailure } from '../../src/imap/failure-disposition.js';

const failure = (f: Partial<MessageFailure> = {}): MessageFailure => ({
  connectionUsable: true,
  content: false,
  connectionLost: false,
  ...f,
});

/** What becomes of the message after its `attempts`-th failure, or `reconnect` when it is not counted. */
const outcome = (f: MessageFailure, attempts: number, maxAttempts = 3) => {
  const d = failureDisposition(f, maxAttempts);
  return d.action === 'reconnect' ? d : d.afterCounting(attempts);
};

describe('what the poller does with a message it could not store', () => {
  it('ends the pass without counting it when the IMAP connection died, whatever the error', () => {
    expect(failureDisposition(failure({ connectionUsable: false }), 3)).toEqual({ action: 'reconnect' });
    expect(failureDisposition(failure({ connectionUsable: false, content: true }), 3)).toEqual({
      action: 'reconnect',
    });
  });

  it('ends the pass without counting it when PostgreSQL, Redis or IMAP is out of reach', () => {
    expect(failureDisposition(failure({ connectionLost: true }), 3)).toEqual({ action: 'reconnect' });
  });

  it("sets a message aside at its first failure when its content caused it, even with a lost connection in the error's causes", () => {
    expect(outcome(failure({ content: true }), 1)).toEqual({ action: 'set_aside', why: 'content' });
    expect(outcome(failure({ content: true, connectionLost: true }), 1)).toEqual({
      action: 'set_aside',
      why: 'content',
    });
  });

  it('tries any other failure again on a later pass until the last attempt, then sets it aside', () => {
    expect(outcome(failure(), 1)).toEqual({ action: 'retry_later' });
    expect(outcome(failure(), 2)).toEqual({ action: 'retry_later' });
    expect(outcome(failure(), 3)).toEqual({ action: 'set_aside', why: 'too_many_attempts' });
    // Counted on another poller's earlier passes too: past the limit is set aside all the same.
    expect(outcome(failure(), 7)).toEqual({ action: 'set_aside', why: 'too_many_attempts' });
  });

  it('follows the configured number of attempts', () => {
    expect(outcome(failure(), 1, 1)).toEqual({ action: 'set_aside', why: 'too_many_attempts' });
    expect(outcome(failure(), 4, 5)).toEqual({ action: 'retry_later' });
  });
});
