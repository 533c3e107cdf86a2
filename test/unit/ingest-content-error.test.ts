import { describe, expect, it } from 'vitest';
import { isConnectionError } from '../../src/errors.js';
import { isContentError, MessageNotStorable } from '../../src/imap/ingest-message.js';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('a failure caused by a message, told apart from a service out of reach', () => {
  it('takes PostgreSQL data, integrity and size-limit errors for the message content', () => {
    for (const code of ['22P05', '22008', '22021', '23514', '23502', '54000'])
      expect(isContentError(pgError(code))).toBe(true);
    expect(isContentError(new MessageNotStorable('message_not_storable', 'no'))).toBe(true);
    expect(isContentError(new Error('wrapped', { cause: pgError('22P05') }))).toBe(true);
  });

  it('does not take a duplicate key (already stored), a lost connection or an unknown error for content', () => {
    expect(isContentError(pgError('23505'))).toBe(false);
    expect(isContentError(pgError('08006'))).toBe(false);
    expect(isConnectionError(pgError('08006'))).toBe(true);
    expect(isContentError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      false,
    );
    expect(isContentError(new Error('something else'))).toBe(false);
    expect(isContentError('a string')).toBe(false);
  });
});
