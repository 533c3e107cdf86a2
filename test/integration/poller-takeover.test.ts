import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMailboxState } from '../../src/db/mailbox.repository.js';
import { spawnProcess, stopProcess } from '../helpers/child-process.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

const emails = readdirSync(fixture('emails'))
  .filter((f) => f.endsWith('.eml') && !f.includes('trung-lap'))
  .sort();

describe('two pollers on one mailbox', () => {
  const env = new PipelineEnv('takeover', { IMAP_LOCK_TTL_SECONDS: '2', IMAP_POLL_INTERVAL_SECONDS: '1' });
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    await env.setUp();
    env.startWorkers();
  }, 60_000);
  afterAll(async () => {
    for (const c of children) await stopProcess(c);
    await env.tearDown();
  });

  const holder = async () =>
    (await getMailboxState(env.database.db, env.config.IMAP_MAILBOX))?.poller_id ?? null;

  it('lets one work while the other waits, and the other takes over when the first is killed', async () => {
    const first = spawnProcess('poller', env.env);
    children.push(first);
    const firstId = await waitFor(holder, {
      what: 'the first poller to hold the mailbox',
      timeoutMs: 20_000,
    });
    const second = spawnProcess('poller', env.env);
    children.push(second);

    await env.settle(await env.deliverAll(emails.slice(0, 4).map((f) => readFileSync(fixture('emails', f)))));
    // Several passes later the same poller still holds the mailbox: the second one only waited.
    await new Promise((r) => setTimeout(r, 2500));
    expect(await holder()).toBe(firstId);

    await stopProcess(first);
    const later = await env.deliverAll(emails.slice(4, 7).map((f) => readFileSync(fixture('emails', f))));
    const secondId = await waitFor(
      async () => {
        const h = await holder();
        return h && h !== firstId ? h : null;
      },
      { what: 'the second poller to take over', timeoutMs: 30_000 },
    );
    expect(secondId).not.toBe(firstId);
    await env.settle(later);
    const messages = await env.database.db.selectFrom('messages').select('message_id').execute();
    expect(messages).toHaveLength(7);
    expect(new Set(messages.map((m) => m.message_id)).size).toBe(7);
  }, 120_000);
});
