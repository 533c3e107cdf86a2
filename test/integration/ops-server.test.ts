import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { PrivateServices } from '../helpers/private-services.js';
import { waitFor } from '../helpers/wait-for.js';

// Services of its own: this file stops Redis to see readiness fall.
const services = new PrivateServices({ pg: 54359, redis: 6394, imap: 1147, smtp: 2529 });

describe('operator HTTP server', () => {
  const env = new PipelineEnv(
    'ops',
    { ADMIN_USER: 'operator', ADMIN_PASSWORD: 'correct-horse', IMAP_POLL_INTERVAL_SECONDS: '1' },
    {
      databaseUrl: services.databaseUrl,
      redisUrl: services.redisUrl,
      imapPort: services.ports.imap,
      dir: services.dir,
    },
  );
  let server: Server;
  let base = '';
  const auth = `Basic ${Buffer.from('operator:correct-horse').toString('base64')}`;

  beforeAll(async () => {
    await services.run('up');
    await env.setUp();
    server = await listen(createOpsApp(env.runtime), '127.0.0.1', 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await env.tearDown();
    await services.destroy();
  });

  const metric = async (name: string, labels = ''): Promise<number> => {
    const text = await (await fetch(`${base}/metrics`, { headers: { authorization: auth } })).text();
    const line = text.split('\n').find((l) => l.startsWith(`${name}${labels ? `{${labels}}` : ''} `));
    return line ? Number(line.split(' ').pop()) : Number.NaN;
  };

  it('answers /healthz while the process is up', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ status: 'ok' });
  });

  it('keeps the queue dashboard behind basic authentication', async () => {
    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);
    const wrong = `Basic ${Buffer.from('operator:wrong').toString('base64')}`;
    expect((await fetch(`${base}/admin/queues`, { headers: { authorization: wrong } })).status).toBe(401);
    const r = await fetch(`${base}/admin/queues`, { headers: { authorization: auth } });
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('reform-inbox');
    const api = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: auth } });
    const names = ((await api.json()) as { queues: { name: string }[] }).queues.map((q) => q.name).sort();
    expect(names).toEqual(['acknowledge', 'parse', 'schedule']);
  });

  it('refuses to start without credentials unless bound to loopback', () => {
    const open = {
      ...env.runtime,
      config: loadConfig({ ...env.env, HTTP_HOST: '0.0.0.0', ADMIN_USER: '', ADMIN_PASSWORD: '' }),
    };
    expect(() => createOpsApp(open)).toThrow(ConfigError);
    const local = {
      ...env.runtime,
      config: loadConfig({ ...env.env, HTTP_HOST: '127.0.0.1', ADMIN_USER: '', ADMIN_PASSWORD: '' }),
    };
    expect(() => createOpsApp(local)).not.toThrow();
  });

  it('is ready only with PostgreSQL, Redis and a living poller, and not while Redis is stopped', async () => {
    const readyz = () => fetch(`${base}/readyz`, { headers: { authorization: auth } });
    const before = await readyz();
    expect(before.status).toBe(503);
    expect(await before.json()).toMatchObject({ checks: { postgres: true, redis: true, poller: false } });
    env.startPoller();
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, { what: 'readiness' });

    await services.stop('redis');
    const down = await waitFor(
      async () => {
        const r = await readyz();
        return r.status === 503 ? r.json() : null;
      },
      { what: 'readiness to fall' },
    );
    expect(down).toMatchObject({ ready: false, checks: { redis: false } });
    await services.start();
    await waitFor(async () => (await fetch(`${base}/readyz`)).status === 200, {
      what: 'readiness to return',
      timeoutMs: 60_000,
    });
  });

  it('exposes metrics that move when jobs run', async () => {
    env.startWorkers();
    const parsedBefore = (await metric('reform_attachments', 'state="parsed",reason=""')) || 0;
    expect(await metric('reform_imap_connected')).toBe(1);
    await env.deliver(readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml')));
    await env.deliverAndSettle(readFileSync(fixture('emails', '14-so-gtvt-file-macro.eml')));
    const rows = await env.database.db
      .selectFrom('attachments')
      .select(['filename', 'state', 'parse_ms'])
      .execute();
    expect(
      rows.every((r) => r.parse_ms !== null),
      JSON.stringify(rows),
    ).toBe(true);
    // One registration parsed, one macro-enabled file refused; parse durations are on the parser's own /metrics.
    expect(await metric('reform_attachments', 'state="parsed",reason=""')).toBe(parsedBefore + 1);
    expect(await metric('process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(await metric('reform_queue_jobs', 'queue="parse",state="completed"')).toBeGreaterThanOrEqual(2);
    expect(await metric('reform_attachments', 'state="rejected",reason="macro_enabled"')).toBe(1);
    expect(await metric('reform_outbox_unsent')).toBe(0);
    expect(await metric('reform_quota_shortfall', 'campaign="hanoi-2021"')).toBe(81);
  });
});
