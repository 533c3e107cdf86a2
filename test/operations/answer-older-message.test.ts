import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeMessageJob } from '../../src/jobs/acknowledge-message.job.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// A message stored before the reply decision was kept with it (no_reply_reason null) is answered from its own
// headers, read again from its raw bytes: the guard against answering automatic mail still holds for it.

describe('a message stored before its reply decision was kept', () => {
  const env = new OperationsEnv('answer-older-message');
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  // Taken in and handled as any mail, then made to look as an older version left it: no reply decision kept, no
  // answer yet.
  async function storedLongAgo(name: string) {
    const { messageId } = await env.receive(readFileSync(fixture('emails', name)));
    await env.db.deleteFrom('outbox').where('message_id', '=', messageId).execute();
    await env.db
      .updateTable('messages')
      .set({ no_reply_reason: null, references: null, state: 'received' })
      .where('id', '=', messageId)
      .execute();
    return messageId;
  }

  it('answers an agency’s mail in its thread, and leaves an out-of-office reply unanswered with the reason', async () => {
    const agency = await storedLongAgo('01-so-tu-phap-dang-ky.eml');
    const automatic = await storedLongAgo('07-tra-loi-tu-dong.eml');
    await acknowledgeMessageJob({ messageId: agency }, env.deps);
    await acknowledgeMessageJob({ messageId: automatic }, env.deps);

    const outbox = await env.outbox();
    const answer = outbox.find((o) => o.message_id === agency);
    expect(answer?.kind).toBe('acknowledgement');
    const headers = (
      typeof answer?.headers === 'string' ? JSON.parse(answer.headers) : answer?.headers
    ) as Record<string, string>;
    expect(headers['In-Reply-To']).toMatch(/^<.+>$/);
    expect(headers.References).toContain(headers['In-Reply-To']);

    expect(outbox.some((o) => o.message_id === automatic)).toBe(false);
    const row = await env.db
      .selectFrom('messages')
      .select(['no_reply_reason', 'state'])
      .where('id', '=', automatic)
      .executeTakeFirstOrThrow();
    expect(row.no_reply_reason).toBeTruthy();
    expect(row.state).not.toBe('received');
  });
});
