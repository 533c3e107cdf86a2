import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProcess, stopProcess } from '../helpers/child-process.js';
import { folderCounts } from '../helpers/imap.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

const emails = readdirSync(fixture('emails'))
  .filter((f) => f.endsWith('.eml'))
  .sort();

/** What an undisturbed run of the sample emails leaves behind (see pipeline-emails.test.ts). */
async function outcome(env: PipelineEnv) {
  const db = env.database.db;
  const one = async <T>(q: Promise<T[]>) => (await q)[0];
  return {
    messages: Number(
      (await one(db.selectFrom('messages').select(sql<number>`count(*)`.as('n')).execute()))?.n,
    ),
    attachments: await db
      .selectFrom('attachments')
      .select(['state', sql<number>`count(*)::int`.as('n')])
      .groupBy('state')
      .orderBy('state')
      .execute(),
    submissions: Number(
      (await one(db.selectFrom('submissions').select(sql<number>`count(*)`.as('n')).execute()))?.n,
    ),
    activeInitiatives: Number(
      (
        await one(
          db
            .selectFrom('initiatives')
            .select(sql<number>`count(*)`.as('n'))
            .where('status', '=', 'active')
            .execute(),
        )
      )?.n,
    ),
    outbox: Number((await one(db.selectFrom('outbox').select(sql<number>`count(*)`.as('n')).execute()))?.n),
    mailsSent: env.smtp.mails.length,
    distinctReplies: new Set(env.smtp.mails.map((m) => m.parsed.inReplyTo)).size,
  };
}

describe('crashes: SIGKILL of the poller and of the parser mid-message', () => {
  const env = new PipelineEnv('crash', {
    JOB_LOCK_MS: '1500',
    IMAP_LOCK_TTL_SECONDS: '2',
    IMAP_POLL_INTERVAL_SECONDS: '1',
  });
  const children: ChildProcess[] = [];
  let delivered: number[] = [];

  beforeAll(async () => {
    await env.setUp();
    delivered = await env.deliverAll(emails.map((file) => readFileSync(fixture('emails', file))));
    env.startWorkers({ parser: false, mailer: true });
  }, 60_000);
  afterAll(async () => {
    for (const c of children) await stopProcess(c);
    await env.tearDown();
  });

  it('loses nothing and duplicates nothing, however often the processes die', async () => {
    // Kill both processes at different moments of their work, several times, then let them finish.
    for (const delay of [900, 1300, 1700, 2100, 2600]) {
      const poller = spawnProcess('poller', env.env);
      const parser = spawnProcess('parser', env.env);
      children.push(poller, parser);
      await new Promise((r) => setTimeout(r, delay));
      await stopProcess(poller);
      await new Promise((r) => setTimeout(r, delay / 3));
      await stopProcess(parser);
    }
    children.push(spawnProcess('poller', env.env), spawnProcess('parser', env.env));
    await env.settle(delivered, 120_000);
    await waitFor(() => env.smtp.mails.length >= emails.length - 2, { what: 'every acknowledgement' });

    const result = await outcome(env);
    expect(result).toMatchObject({
      messages: emails.length - 1, // the second delivery of 08 is the same message
      outbox: emails.length - 2, // no acknowledgement to the auto-reply
      mailsSent: emails.length - 2,
      distinctReplies: emails.length - 2,
    });
    expect(result.attachments.every((a) => a.state !== 'pending')).toBe(true);
    // Every form gave exactly one submission.
    const forms = await env.database.db
      .selectFrom('attachments')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('parsed_kind', 'in', ['registration', 'results_report'])
      .executeTakeFirstOrThrow();
    expect(result.submissions).toBe(forms.n);
    const counts = await folderCounts(env.imap, ['INBOX', 'Processed', 'Needs review']);
    expect(counts.INBOX).toBe(0);
    expect((counts.Processed ?? 0) + (counts['Needs review'] ?? 0)).toBe(emails.length);
  }, 240_000);
});
