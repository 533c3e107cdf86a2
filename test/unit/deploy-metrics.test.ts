import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { exposedMetricNames } from '../../src/ops/metrics/catalog.js';
import { type MetricsServer, startMetricsServer } from '../../src/ops/metrics/metrics-server.js';
import {
  registerMailerMetrics,
  registerParserMetrics,
  registerPollerMetrics,
} from '../../src/ops/metrics/pipeline-metrics.js';
import { createProcessRegistry } from '../../src/ops/metrics/process-registry.js';

const log = pino({ level: 'silent' });

describe("a worker process's /metrics and /healthz", () => {
  let server: MetricsServer | null = null;
  afterEach(async () => {
    await server?.close();
    server = null;
  });

  it('serves default process metrics, real histograms and counters that follow the poller', async () => {
    const registry = createProcessRegistry(loadConfig({}), 'parser');
    const parser = registerParserMetrics(registry);
    const mailer = registerMailerMetrics(registry);
    const poller = { stored: 0, setAsideCount: 0, holdsLock: true };
    registerPollerMetrics(registry, poller);
    parser.parseDuration.observe(0.3);
    parser.parseDuration.observe(12);
    parser.filesRefused.inc({ code: 'macro_enabled' });
    mailer.mailsFailed.inc();
    poller.stored = 3;
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry,
      health: () => ({ ok: true }),
      log,
    });
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toContain('# TYPE reform_parse_duration_seconds histogram');
    expect(text).toContain('reform_parse_duration_seconds_bucket{le="0.5"} 1');
    expect(text).toContain('reform_parse_duration_seconds_bucket{le="+Inf"} 2');
    expect(text).toContain('reform_parse_duration_seconds_count 2');
    expect(text).toContain('reform_files_refused_total{code="macro_enabled"} 1');
    expect(text).toContain('reform_mails_failed_total 1');
    expect(text).toContain('reform_messages_stored_total 3');
    expect(text).toContain('reform_poller_lock_held 1');
    expect(text).toContain('reform_process_info{process="parser"} 1');
    expect(text).toContain('reform_sender_checking_configured 0');
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);

    // A tally that grew between scrapes adds only the difference.
    poller.stored = 5;
    const again = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
    expect(again).toContain('reform_messages_stored_total 5');
  });

  it('answers /healthz with 503 when the process says it is unhealthy, and 404 elsewhere', async () => {
    let ok = true;
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: createProcessRegistry(loadConfig({ TRUSTED_AUTHSERV_ID: 'mx.hanoi.gov.vn' }), 'mailer'),
      health: () => ({ ok, workers: 1 }),
      log,
    });
    const base = `http://127.0.0.1:${server.port}`;
    const up = await fetch(`${base}/healthz`);
    expect(up.status).toBe(200);
    expect(await up.json()).toMatchObject({ status: 'ok', workers: 1 });
    ok = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    expect((await fetch(`${base}/admin`)).status).toBe(404);
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('reform_sender_checking_configured 1');
  });

  it('asks for the bearer token on /metrics when METRICS_TOKEN is set, but not on /healthz', async () => {
    server = await startMetricsServer({
      host: '127.0.0.1',
      port: 0,
      registry: createProcessRegistry(loadConfig({ SENDER_AUTH: 'off' }), 'scheduler'),
      health: () => ({ ok: true }),
      log,
      token: 'a-scraper-token-of-length',
    });
    const base = `http://127.0.0.1:${server.port}`;
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    const wrong = { authorization: 'Bearer not-the-token' };
    expect((await fetch(`${base}/metrics`, { headers: wrong })).status).toBe(401);
    const right = { authorization: 'Bearer a-scraper-token-of-length' };
    const text = await (await fetch(`${base}/metrics`, { headers: right })).text();
    // Sender checking switched off is reported as not configured.
    expect(text).toContain('reform_sender_checking_configured 0');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it('lists every exposed name, histograms with their series', () => {
    const names = exposedMetricNames();
    for (const name of [
      'reform_parse_duration_seconds_bucket',
      'reform_arrival_to_committed_seconds_count',
      'reform_messages_set_aside_total',
      'reform_mails_sent_total',
      'reform_jobs_failed_total',
      'reform_queue_jobs',
      'reform_outbox_oldest_unsent_seconds',
      'process_resident_memory_bytes',
    ])
      expect(names).toContain(name);
    expect(names).not.toContain('reform_parse_duration_seconds_sum_bucket');
  });
});
