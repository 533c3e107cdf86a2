import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getMailboxState } from '../../src/db/mailbox.repository.js';
import { spawnProcess, stopProcess } from '../helpers/child-process.js';
import { freePort } from '../helpers/free-port.js';
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
    const secondPort = await freePort();
    const second = spawnProcess('poller', { ...env.env, METRICS_PORT: String(secondPort) });
    children.push(second);
    const secondHealth = async () => {
      const r = await fetch(`http://127.0.0.1:${secondPort}/healthz`).catch(() => null);
      return r?.ok ? ((await r.json()) as { holdsLock: boolean }) : null;
    };
    await env.settle(await env.deliverAll(emails.slice(0, 4).map((f) => readFileSync(fixture('emails', f)))));
    // The second one runs (it started while the first worked), standing by.
    expect(
      await waitFor(secondHealth, { what: 'the second poller to run', timeoutMs: 20_000 }),
    ).toMatchObject({
      holdsLock: false,
    });

    // Several passes later (each a heartbeat of the first: it polls every second, the second tries for the lock
    // three times as often) the same poller still holds the mailbox: the second one only waited.
    const polledAt = (state: Awaited<ReturnType<typeof getMailboxState>>) =>
      state?.last_poll_at ? new Date(state.last_poll_at).getTime() : 0;
    let beats = 0;
    let last = polledAt(await getMailboxState(env.database.db, env.config.IMAP_MAILBOX));
    await waitFor(
      async () => {
        const state = await getMailboxState(env.database.db, env.config.IMAP_MAILBOX);
        if (state?.poller_id === firstId && polledAt(state) !== last) {
          beats += 1;
          last = polledAt(state);
        }
        return beats >= 3 || state?.poller_id !== firstId;
      },
      { what: 'three more passes of the first poller' },
    );
    expect(await holder()).toBe(firstId);
    expect(await secondHealth()).toMatchObject({ holdsLock: false });

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
