import * as crypto from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

// Every secret comparison goes through crypto.timingSafeEqual: watched to see that both fields are compared.
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return { ...actual, timingSafeEqual: vi.fn(actual.timingSafeEqual) };
});

const TOKEN = 'scrape-token-0123456789abcdef';

describe('operator HTTP server on a public address', () => {
  // Configured as if bound to every interface (it listens on loopback for the test).
  const env = new PipelineEnv('opssec', {
    HTTP_HOST: '0.0.0.0',
    ADMIN_USER: 'operator',
    ADMIN_PASSWORD: 'correct-horse',
    METRICS_TOKEN: TOKEN,
  });
  let server: Server;
  let base = '';
  const basic = (user: string, password: string) =>
    `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const operator = basic('operator', 'correct-horse');

  beforeAll(async () => {
    await env.setUp();
    server = await listen(createOpsApp(env.runtime), '127.0.0.1', 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => server?.close(r));
    await env.tearDown();
  });

  it('keeps /healthz open', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
  });

  it('refuses anonymous /metrics, and serves it to the scrape token or the operators', async () => {
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer not-the-token' } });
    expect(wrong.status).toBe(401);
    const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toContain('reform_queue_jobs');
    expect((await fetch(`${base}/metrics`, { headers: { authorization: operator } })).status).toBe(200);
  });

  it('tells an anonymous caller of /readyz only whether it is ready', async () => {
    const anonymous = await fetch(`${base}/readyz`);
    expect(Object.keys((await anonymous.json()) as object)).toEqual(['ready']);
    const detailed = await fetch(`${base}/readyz`, { headers: { authorization: operator } });
    const body = (await detailed.json()) as { checks: unknown; warnings: string[] };
    expect(body.checks).toMatchObject({ postgres: true, redis: true });
    // No receiving host is configured in this file: readiness says so to operators.
    expect(body.warnings.join(' ')).toContain('TRUSTED_AUTHSERV_ID');
  });

  it('compares user and password both, in constant time, whatever their lengths', async () => {
    const compare = vi.mocked(crypto.timingSafeEqual);
    compare.mockClear();
    // A wrong (and shorter) user with the right password: refused, yet the password was still compared.
    const r = await fetch(`${base}/metrics`, { headers: { authorization: basic('op', 'correct-horse') } });
    expect(r.status).toBe(401);
    expect(compare.mock.calls.length).toBeGreaterThanOrEqual(2);
    for (const [a, b] of compare.mock.calls) expect((a as Buffer).length).toBe((b as Buffer).length);
    expect(compare.mock.results.map((x) => x.value)).toEqual(expect.arrayContaining([false, true]));
  });

  it("refuses the dashboard's changing requests from another origin, or with no origin at all", async () => {
    const pause = (headers: Record<string, string>) =>
      fetch(`${base}/admin/queues/api/queues/parse/pause`, {
        method: 'PUT',
        headers: { authorization: operator, ...headers },
      });
    expect((await pause({ origin: 'https://evil.example' })).status).toBe(403);
    expect((await pause({ referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await pause({})).status).toBe(403);
    expect(await env.runtime.queues.parse.isPaused()).toBe(false);

    const same = await pause({ origin: base });
    expect(same.status).toBeLessThan(300);
    expect(await env.runtime.queues.parse.isPaused()).toBe(true);
    const resumed = await fetch(`${base}/admin/queues/api/queues/parse/resume`, {
      method: 'PUT',
      headers: { authorization: operator, referer: `${base}/admin/queues/queue/parse` },
    });
    expect(resumed.status).toBeLessThan(300);
    expect(await env.runtime.queues.parse.isPaused()).toBe(false);
  });

  it('still lets the dashboard be read without an Origin header', async () => {
    const r = await fetch(`${base}/admin/queues/api/queues`, { headers: { authorization: operator } });
    expect(r.status).toBe(200);
  });

  it('serves /metrics to anyone only when bound to loopback', async () => {
    const local = createOpsApp({
      ...env.runtime,
      config: loadConfig({ ...env.env, HTTP_HOST: '127.0.0.1', METRICS_TOKEN: '' }),
    });
    const s = await listen(local, '127.0.0.1', 0);
    try {
      const r = await fetch(`http://127.0.0.1:${(s.address() as AddressInfo).port}/metrics`);
      expect(r.status).toBe(200);
    } finally {
      await new Promise((resolve) => s.close(resolve));
    }
  });
});
