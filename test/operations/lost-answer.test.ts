import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acknowledgeMessageJob } from '../../src/jobs/acknowledge-message.job.js';
import { MailRenderer } from '../../src/mail/render.js';
import { requeueStalledMessages } from '../../src/registry/intake/sweeps.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// A message's settled state is written with its answer, in one transaction: a process that dies while answering
// (and a Redis that loses the job with it) leaves the message unsettled, found by the sweep and answered once —
// never a settled message that nobody ever answers, nor says why not.

describe('no settled message without its answer', () => {
  const env = new OperationsEnv('lost-answer');
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  it('leaves a message whose answer was never written unsettled, and answers it exactly once', async () => {
    // The acknowledgement dies after the message's files are read and its state decided, each time it is tried.
    const real = env.deps.renderer;
    env.deps.renderer = Object.assign(Object.create(MailRenderer.prototype), {
      render: () => {
        throw new Error('the process died here');
      },
    });
    const raw = readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml'));
    const stored = await env.store(raw);
    await expect(env.runJobs()).rejects.toThrow(/failed/);
    env.deps.renderer = real;
    const settled = await env.db
      .selectFrom('messages')
      .select(['state', 'no_reply_reason'])
      .where('id', '=', stored.messageId)
      .executeTakeFirstOrThrow();
    expect(settled.state).toBe('received');
    expect(settled.no_reply_reason || null).toBeNull();
    expect(await env.outbox()).toEqual([]);

    // Redis comes back empty: the sweep, reading PostgreSQL, queues the message's work again, and it is answered.
    env.queued.jobs.length = 0;
    const later = new Date(Date.now() + 120_000);
    expect(await requeueStalledMessages(env.deps, later)).toBe(1);
    expect(env.queued.waiting().map((j) => j.id)).toEqual([`ack-${stored.messageId}`]);
    await env.runJobs();
    const outbox = await env.outbox();
    expect(outbox.map((o) => [o.kind, o.message_id])).toEqual([['acknowledgement', stored.messageId]]);
    expect(
      (
        await env.db
          .selectFrom('messages')
          .select('state')
          .where('id', '=', stored.messageId)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('processed');

    // Answered now: the next sweep finds nothing, and the same work run again writes no second answer.
    env.queued.jobs.length = 0;
    expect(await requeueStalledMessages(env.deps, later)).toBe(0);
    await acknowledgeMessageJob({ messageId: stored.messageId }, env.deps);
    expect(await env.outbox()).toHaveLength(1);
  });

  it('takes the settled state back with an answer that could not be written', async () => {
    // The outbox refuses the row (a fault inside the answer's transaction, after the message was settled in it).
    await sql`create or replace function refuse_outbox() returns trigger language plpgsql as
      $$ begin raise exception 'the disk is full'; end $$`.execute(env.db);
    await sql`create trigger refuse_outbox before insert on outbox for each row execute function refuse_outbox()`.execute(
      env.db,
    );
    let stored: Awaited<ReturnType<typeof env.store>>;
    try {
      stored = await env.store(readFileSync(fixture('emails', '08-so-tttt-dang-ky.eml')));
      await expect(env.runJobs()).rejects.toThrow(/failed/);
    } finally {
      await sql`drop trigger refuse_outbox on outbox`.execute(env.db);
    }
    const state = async () =>
      (
        await env.db
          .selectFrom('messages')
          .select(['state', 'no_reply_reason'])
          .where('id', '=', stored.messageId)
          .executeTakeFirstOrThrow()
      ).state;
    expect(await state()).toBe('received');

    // The disk has room again: the sweep finds the message unsettled and it is answered once.
    env.queued.jobs.length = 0;
    expect(await requeueStalledMessages(env.deps, new Date(Date.now() + 120_000))).toBe(1);
    await env.runJobs();
    expect(await state()).toBe('processed');
    const answers = (await env.outbox()).filter((o) => o.message_id === stored.messageId);
    expect(answers).toHaveLength(1);
  });

  it('leaves alone a message that was answered or told why not', async () => {
    const raw = readFileSync(fixture('emails', '05-gmail-ca-nhan.eml'));
    await env.receive(raw);
    // An out-of-office reply is answered by nothing, with the reason kept; a stranger's mail was answered.
    await env.receive(readFileSync(fixture('emails', '07-tra-loi-tu-dong.eml')));
    env.queued.jobs.length = 0;
    expect(await requeueStalledMessages(env.deps, new Date(Date.now() + 120_000))).toBe(0);
  });
});
