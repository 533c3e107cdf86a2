import { Gauge, Registry } from 'prom-client';
import { campaignQuotas, listCampaigns } from '../../db/campaign.repository.js';
import {
  attachmentOutcomes,
  lastPoll,
  outboxBacklog,
  parseDurationBuckets,
} from '../../db/ops.repository.js';
import { campaignProgress } from '../../db/status.repository.js';
import { requiredInitiatives, shortBy } from '../../domain/quota.js';
import type { Runtime } from '../runtime.js';

const PARSE_BUCKETS_MS = [50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000];
const STATES = ['waiting', 'active', 'delayed', 'waiting-children', 'completed', 'failed'] as const;

/**
 * Prometheus metrics, read at each scrape from Redis and PostgreSQL (the source of truth), so any number of
 * worker processes are counted without each serving metrics of its own.
 */
export function createMetrics(runtime: Runtime): Registry {
  const registry = new Registry();
  const { queues, db, config } = runtime;
  const all = {
    parse: queues.parse,
    acknowledge: queues.acknowledge,
    mail: queues.mail,
    schedule: queues.schedule,
  };

  new Gauge({
    name: 'reform_queue_jobs',
    help: 'Jobs in each queue by state (completed and failed: those still kept)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, q] of Object.entries(all)) {
        const counts = await q.getJobCounts(...STATES);
        for (const state of STATES) this.set({ queue: name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: 'reform_queue_oldest_waiting_seconds',
    help: 'Age of the oldest job waiting in each queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const [name, q] of Object.entries(all)) {
        const [oldest] = await q.getJobs(['waiting'], -1, -1, true);
        this.set({ queue: name }, oldest ? Math.max(0, (Date.now() - oldest.timestamp) / 1000) : 0);
      }
    },
  });
  new Gauge({
    name: 'reform_attachments',
    help: 'Attachments by state and reason code (rejected files by why)',
    labelNames: ['state', 'reason'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const r of await attachmentOutcomes(db))
        this.set({ state: r.state, reason: r.reason_code ?? '' }, r.n);
    },
  });
  // A histogram computed from the stored durations: cumulative bucket counts that only grow.
  new Gauge({
    name: 'reform_parse_duration_seconds_bucket',
    help: 'Parse duration histogram buckets (cumulative count of attachments parsed within le seconds)',
    labelNames: ['le'],
    registers: [registry],
    async collect() {
      this.reset();
      const h = await parseDurationBuckets(db, PARSE_BUCKETS_MS);
      for (const [i, b] of PARSE_BUCKETS_MS.entries()) this.set({ le: String(b / 1000) }, h.buckets[i] ?? 0);
      this.set({ le: '+Inf' }, h.count);
    },
  });
  new Gauge({
    name: 'reform_parse_duration_seconds_sum',
    help: 'Total parse time of the attachments parsed',
    registers: [registry],
    async collect() {
      this.set((await parseDurationBuckets(db, [])).sumMs / 1000);
    },
  });
  new Gauge({
    name: 'reform_parse_duration_seconds_count',
    help: 'Attachments parsed',
    registers: [registry],
    async collect() {
      this.set((await parseDurationBuckets(db, [])).count);
    },
  });
  new Gauge({
    name: 'reform_imap_last_poll_timestamp_seconds',
    help: 'When a poller last finished a pass over the mailbox',
    registers: [registry],
    async collect() {
      const at = await lastPoll(db);
      this.set(at ? at.getTime() / 1000 : 0);
    },
  });
  new Gauge({
    name: 'reform_imap_connected',
    help: '1 while a poller has finished a pass within two poll intervals',
    registers: [registry],
    async collect() {
      const at = await lastPoll(db);
      this.set(at && Date.now() - at.getTime() < 2 * config.IMAP_POLL_INTERVAL_SECONDS * 1000 ? 1 : 0);
    },
  });
  new Gauge({
    name: 'reform_outbox_unsent',
    help: 'Mails waiting in the outbox',
    registers: [registry],
    async collect() {
      this.set((await outboxBacklog(db)).unsent);
    },
  });
  new Gauge({
    name: 'reform_outbox_oldest_unsent_seconds',
    help: 'Age of the oldest mail waiting in the outbox',
    registers: [registry],
    async collect() {
      const { oldest } = await outboxBacklog(db);
      this.set(oldest ? (Date.now() - oldest.getTime()) / 1000 : 0);
    },
  });
  new Gauge({
    name: 'reform_quota_shortfall',
    help: 'Initiatives still missing against the quotas, per campaign',
    labelNames: ['campaign'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of await listCampaigns(db)) {
        const quotas = await campaignQuotas(db, c.id);
        const rows = await campaignProgress(db, c.id);
        const short = rows.reduce(
          (n, a) =>
            n +
            shortBy(
              requiredInitiatives({ kind: a.kind, registryQuota: a.registry_quota }, quotas),
              a.registered,
            ),
          0,
        );
        this.set({ campaign: c.code }, short);
      }
    },
  });
  return registry;
}
