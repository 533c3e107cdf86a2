import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnProcess, stopProcess } from '../helpers/child-process.js';
import { freePort } from '../helpers/free-port.js';
import { fixture, projectDir } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

const KINDS = ['poller', 'parser', 'mailer', 'scheduler'] as const;

/** workers/KIND.ts as its own process, configured by `env` alone. */
function start(kind: (typeof KINDS)[number], env: Record<string, string>): ChildProcess {
  if (kind !== 'scheduler') return spawnProcess(kind, env);
  return spawn('node', ['--import', 'tsx', 'workers/scheduler.ts'], {
    cwd: projectDir,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_PRETTY: 'false', ...env },
    stdio: 'ignore',
  });
}

describe('the metrics each worker process serves', () => {
  const env = new PipelineEnv('procmetrics');
  const children = new Map<string, ChildProcess>();
  const ports = new Map<string, number>();

  beforeAll(async () => {
    await env.setUp();
    for (const kind of KINDS) {
      const port = await freePort();
      ports.set(kind, port);
      children.set(kind, start(kind, { ...env.env, METRICS_PORT: String(port) }));
    }
  });
  afterAll(async () => {
    for (const child of children.values()) await stopProcess(child);
    await env.runtime?.queues.schedule.obliterate({ force: true }).catch(() => undefined);
    await env.tearDown();
  });

  const get = (kind: string, path: string) => fetch(`http://127.0.0.1:${ports.get(kind)}${path}`);
  const metrics = async (kind: string) => (await get(kind, '/metrics')).text();
  const value = (text: string, series: string) => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? Number.NaN : Number(line.slice(series.length + 1));
  };

  it('answers /healthz in every process once it runs', async () => {
    for (const kind of KINDS) {
      const health = await waitFor(
        async () => {
          const r = await get(kind, '/healthz').catch(() => null);
          return r?.status === 200 ? ((await r.json()) as Record<string, unknown>) : null;
        },
        { what: `${kind} /healthz`, timeoutMs: 30_000 },
      );
      expect(health).toMatchObject({ status: 'ok', ok: true, kind });
    }
  });

  it('shows real histograms, the counters of what happened, and default process metrics', async () => {
    await env.settle(
      await env.deliverAll([
        readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml')),
        readFileSync(fixture('emails', '14-so-gtvt-file-macro.eml')),
      ]),
    );

    // The parse observations follow each job's completion: wait for both files.
    const parser = await waitFor(
      async () => {
        const text = await metrics('parser');
        return value(text, 'reform_arrival_to_committed_seconds_count') === 2 ? text : null;
      },
      { what: 'both parses observed' },
    );
    expect(parser).toContain('# TYPE reform_parse_duration_seconds histogram');
    expect(value(parser, 'reform_parse_duration_seconds_count')).toBe(2);
    expect(value(parser, 'reform_parse_duration_seconds_bucket{le="+Inf"}')).toBe(2);
    expect(value(parser, 'reform_files_refused_total{code="macro_enabled"}')).toBe(1);
    expect(value(parser, 'reform_jobs_completed_total{queue="parse"}')).toBe(2);
    expect(value(parser, 'reform_process_info{process="parser"}')).toBe(1);

    const poller = await metrics('poller');
    expect(value(poller, 'reform_messages_stored_total')).toBe(2);
    expect(value(poller, 'reform_messages_set_aside_total')).toBe(0);
    expect(value(poller, 'reform_poller_lock_held')).toBe(1);

    // Every mail the SMTP server received is counted once (the outbox is empty by now).
    expect(env.smtp.mails.length).toBeGreaterThan(0);
    const mailer = await waitFor(
      async () => {
        const text = await metrics('mailer');
        return value(text, 'reform_mails_sent_total') === env.smtp.mails.length ? text : null;
      },
      { what: 'mails counted' },
    );
    expect(value(mailer, 'reform_mails_failed_total')).toBe(0);

    const scheduler = await metrics('scheduler');
    expect(value(scheduler, 'reform_process_info{process="scheduler"}')).toBe(1);
    for (const text of [parser, poller, mailer, scheduler]) {
      expect(value(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
      expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
      expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
    }
  });

  it('stops cleanly on SIGTERM, its metrics server included', async () => {
    for (const kind of KINDS) {
      const child = children.get(kind);
      if (child) expect(await stopProcess(child, 'SIGTERM'), kind).toBe(0);
    }
  });
});
