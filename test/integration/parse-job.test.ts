import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAttachmentJob } from '../../src/jobs/parse-attachment.job.js';
import type { ParserPool } from '../../src/parser/parser-pool.js';
import { openParserPool } from '../../src/registry/intake/replay-attachment.js';
import { mailWith } from '../helpers/form-mail.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// A message with one file is parsed and answered by one job (no flow): its answer must come as a flow's would,
// after a parse that failed for a reason of our own as well as after one that succeeded.

describe('the job of a message with one file', () => {
  const env = new PipelineEnv('parse-job');
  const db = () => env.database.db;
  // A parser whose worker keeps failing (our fault, not the file's): the job is retried, then gives up.
  const broken: ParserPool = {
    parse: () => Promise.reject(new Error('the parse worker died')),
    stopped: () => ({ timeout: 0, memory: 0, crash: 0 }),
    close: async () => undefined,
  };
  let parser: ParserPool;
  beforeAll(async () => {
    await env.setUp();
    env.startPoller();
    parser = openParserPool(env.config, 1);
  }, 60_000);
  afterAll(async () => {
    await parser.close();
    await env.tearDown();
  });

  const stored = async (id: string) => {
    await waitFor(
      async () =>
        (
          await db()
            .selectFrom('messages')
            .select('id')
            .where('message_id', '=', `<${id}@test.example>`)
            .execute()
        ).length > 0,
      { what: `message ${id} stored` },
    );
    return db()
      .selectFrom('attachments')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .select(['attachments.id as attachmentId', 'messages.id as messageId'])
      .where('messages.message_id', '=', `<${id}@test.example>`)
      .executeTakeFirstOrThrow();
  };
  const outboxFor = (messageId: string) =>
    db().selectFrom('outbox').select(['kind', 'to_addresses']).where('message_id', '=', messageId).execute();
  const form = readFileSync(fixture('forms', 'dk-so-giao-thong-van-tai.docx'));

  it('answers after the parse, and a retry does not answer twice', async () => {
    await env.deliver(
      mailWith({
        from: 'vanthu_sogtvt@hanoi.gov.vn',
        subject: 'Đăng ký',
        id: 'one-ok',
        files: [{ name: 'dk.docx', bytes: form }],
      }),
    );
    const { attachmentId, messageId } = await stored('one-ok');
    const deps = { ...env.runtime, parser };
    const first = await parseAttachmentJob({ attachmentId, acknowledge: messageId }, deps);
    expect(first).toMatchObject({ status: 'parsed', acknowledgement: { status: 'sent' } });
    // Run again (a worker died after its work, before BullMQ heard of it): the file is left alone, one answer.
    const again = await parseAttachmentJob({ attachmentId, acknowledge: messageId }, deps);
    expect(again.status).toBe('skipped');
    expect(await outboxFor(messageId)).toEqual([
      { kind: 'acknowledgement', to_addresses: ['vanthu_sogtvt@hanoi.gov.vn'] },
    ]);
    const msg = await db()
      .selectFrom('messages')
      .select('state')
      .where('id', '=', messageId)
      .executeTakeFirst();
    expect(msg?.state).toBe('processed');
  });

  it('keeps a failing parse for its retries, and after the last one fails the file and still answers', async () => {
    await env.deliver(
      mailWith({
        from: 'vanthu_sogtvt@hanoi.gov.vn',
        subject: 'Đăng ký',
        id: 'one-broken',
        files: [{ name: 'dk.docx', bytes: form }],
      }),
    );
    const { attachmentId, messageId } = await stored('one-broken');
    const deps = { ...env.runtime, parser: broken };
    const payload = { attachmentId, acknowledge: messageId };
    await expect(parseAttachmentJob(payload, deps, { made: 0, max: 3 })).rejects.toThrow(
      'the parse worker died',
    );
    expect(await outboxFor(messageId)).toEqual([]);
    const pending = await db()
      .selectFrom('attachments')
      .select('state')
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    expect(pending?.state).toBe('pending');

    await expect(parseAttachmentJob(payload, deps, { made: 2, max: 3 })).rejects.toThrow(
      'the parse worker died',
    );
    const failed = await db()
      .selectFrom('attachments')
      .select(['state', 'reason_code'])
      .where('id', '=', attachmentId)
      .executeTakeFirst();
    expect(failed).toEqual({ state: 'failed', reason_code: 'processing_failed' });
    expect(await outboxFor(messageId)).toHaveLength(1);
    const msg = await db()
      .selectFrom('messages')
      .select('state')
      .where('id', '=', messageId)
      .executeTakeFirst();
    expect(msg?.state).toBe('needs_review');
  });
});
