import type { Job, Worker } from 'bullmq';
import { QUEUE } from '../../queue/queues.js';
import type { JobMetrics, ParserMetrics } from './pipeline-metrics.js';

export interface JobObservers {
  jobs: JobMetrics;
  parser?: ParserMetrics;
}

const statusOf = (result: unknown): string | undefined =>
  typeof result === 'object' && result !== null && 'status' in result && typeof result.status === 'string'
    ? result.status
    : undefined;

// BullMQ sets finishedOn only when it moves a job to the failed set: no retry is left (or none can help).
const isFinal = (job: Job) => typeof job.finishedOn === 'number' && job.finishedOn > 0;

/**
 * Counts what the given BullMQ workers do, from their 'completed' and 'failed' events, so the job functions
 * stay free of metrics. A parse job that recorded a result returns what its metrics need (its parse time, its
 * reason code, when its message arrived): nothing is read back for them.
 */
export function observeJobs(workers: readonly Worker[], metrics: JobObservers): void {
  for (const worker of workers) {
    const queue = worker.name;
    worker.on('completed', (job, result) => {
      metrics.jobs.jobsCompleted.inc({ queue });
      const status = statusOf(result);
      if (queue === QUEUE.parse && metrics.parser && (status === 'parsed' || status === 'rejected'))
        observeParse(job, result, metrics.parser);
    });
    worker.on('failed', (job, err) => {
      const final = job ? isFinal(job) || err.name === 'UnrecoverableError' : true;
      metrics.jobs.jobsFailed.inc({ queue, final: String(final) });
    });
  }
}

/** The parser's metrics of one recorded file, from what its job returned (`ParseAttachmentOutcome`). */
function observeParse(job: Job, result: unknown, metrics: ParserMetrics): void {
  const seen = (result ?? {}) as {
    status?: unknown;
    parseMs?: unknown;
    reasonCode?: unknown;
    arrivedAt?: unknown;
  };
  if (typeof seen.parseMs === 'number') metrics.parseDuration.observe(seen.parseMs / 1000);
  if (seen.status === 'rejected')
    metrics.filesRefused.inc({ code: typeof seen.reasonCode === 'string' ? seen.reasonCode : 'unknown' });
  if (typeof seen.arrivedAt === 'number' && Number.isFinite(seen.arrivedAt)) {
    const committedAt = job.finishedOn ?? Date.now();
    metrics.arrivalToCommitted.observe(Math.max(0, committedAt - seen.arrivedAt) / 1000);
  }
}
