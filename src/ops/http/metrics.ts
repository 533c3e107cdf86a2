import { Gauge, type Registry } from 'prom-client';
import { listCampaigns } from '../../db/campaign.repository.js';
import type { Db } from '../../db/database.js';
import { attachmentOutcomes, lastPoll, outboxBacklog } from '../../db/ops.repository.js';
import { campaignStanding } from '../../registry/views/campaign-standing.js';
import { createProcessRegistry } from '../metrics/process-registry.js';
import type { Runtime } from '../runtime.js';

const STATES = ['waiting', 'active', 'delayed', 'waiting-children', 'completed', 'failed'] as const;

/** Initiatives still missing against the quotas of one campaign, over all its agencies. */
async function quotaShortfall(db: Db, campaignId: string): Promise<number> {
  const standing = await campaignStanding(db, campaignId);
  return standing.agencies.reduce((n, a) => n + a.shortBy, 0);
}

/**
 * The ops process's Prometheus metrics: its own default process metrics, and the state of the whole
 * deployment read at each scrape from Redis and PostgreSQL (the source of truth) — queues, attachments by
 * outcome, the poller's heartbeat, the outbox, the quotas. What each worker process does (parse durations,
 * latencies, mails sent) is on that process's own /metrics (METRICS_PORT).
 */
export function createMetrics(runtime: Runtime): Registry {
  const { queues, db, config } = runtime;
  const registry = createProcessRegistry(config, 'ops');
  const all = {
    parse: queues.parse,
    acknowledge: queues.acknowledge,
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
  new Gauge({
    name: 'reform_imap_last_poll_timestamp_seconds',
    help: 'When a poller last finished a pass over the mailbox (Unix time; 0: never)',
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
    name: 'reform_imap_poll_interval_seconds',
    help: 'The configured fallback poll interval (IMAP_POLL_INTERVAL_SECONDS), for alerts on a stale poller',
    registers: [registry],
  }).set(config.IMAP_POLL_INTERVAL_SECONDS);
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
      for (const c of await listCampaigns(db)) this.set({ campaign: c.code }, await quotaShortfall(db, c.id));
    },
  });
  return registry;
}
