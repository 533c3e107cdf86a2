import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProcess, stopProcess } from '../helpers/child-process.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

const emails = readdirSync(fixture('emails'))
  .filter((f) => f.endsWith('.eml') && !f.includes('trung-lap'))
  .sort();

describe('graceful shutdown', () => {
  const env = new PipelineEnv('shutdown', { IMAP_LOCK_TTL_SECONDS: '30', JOB_LOCK_MS: '30000' });
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    await env.setUp();
    env.startWorkers({ parser: false, mailer: true });
  }, 60_000);
  afterAll(async () => {
    for (const c of children) await stopProcess(c);
    await env.tearDown();
  });

  it('finishes or hands back the jobs in hand on SIGTERM: a restarted worker loses none', async () => {
    const poller = spawnProcess('poller', env.env);
    const parser = spawnProcess('parser', env.env);
    children.push(poller, parser);
    const uids = await env.deliverAll(emails.map((f) => readFileSync(fixture('emails', f))));
    // Stop the parser while it is working.
    await waitFor(
      async () =>
        (
          await env.database.db
            .selectFrom('attachments')
            .select('id')
            .where('state', '<>', 'pending')
            .execute()
        ).length >= 1,
      { what: 'parsing to begin' },
    );
    const exited = once(parser, 'exit');
    parser.kill('SIGTERM');
    const [code] = (await exited) as [number];
    expect(code).toBe(0);
    // With the job locks of a clean shutdown released, a new worker goes on at once (no 30 s lock to wait out).
    const again = spawnProcess('parser', env.env);
    children.push(again);
    await env.settle(uids, 30_000);
    const pending = await env.database.db
      .selectFrom('attachments')
      .select('id')
      .where('state', '=', 'pending')
      .execute();
    expect(pending).toHaveLength(0);
    await waitFor(() => env.smtp.mails.length >= emails.length - 1, { what: 'every acknowledgement' });
    expect(new Set(env.smtp.mails.map((m) => m.parsed.inReplyTo)).size).toBe(emails.length - 1);
  }, 120_000);

  it('closes the IMAP session and releases the mailbox on SIGTERM, so a new poller starts at once', async () => {
    const [poller] = children;
    const exited = once(poller as ChildProcess, 'exit');
    poller?.kill('SIGTERM');
    expect(((await exited) as [number])[0]).toBe(0);
    const key = `${env.config.QUEUE_PREFIX}:poller-lock:${env.config.IMAP_USER}@${env.config.IMAP_HOST}:${env.config.IMAP_MAILBOX}`;
    expect(await env.runtime.redis.get(key)).toBeNull();
  });
});
