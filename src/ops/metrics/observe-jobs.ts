import type { Job, Worker } from 'bullmq';
import type { Database } from '../../db/database.js';
import { parseObservation } from '../../db/metrics.repository.js';
import { asError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { QUEUE } from '../../queue/queues.js';
import type { JobMetrics, MailerMetrics, ParserMetrics } from './pipeline-metrics.js';

export interface JobObservers {
  jobs: JobMetrics;
  parser?: ParserMetrics;
  mailer?: MailerMetrics;
}

const statusOf = (result: unknown): string | undefined =>
  typeof result === 'object' && result !== null && 'status' in result && typeof result.status === 'string'
    ? result.status
    : undefined;

// BullMQ sets finishedOn only when it moves a job to the failed set: no retry is left (or none can help).
const isFinal = (job: Job) => typeof job.finishedOn === 'number' && job.finishedOn > 0;

/**
 * Counts what the given BullMQ workers do, from their 'completed' and 'failed' events, so the job functions
 * stay free of metrics. A parse job that recorded a result is looked up once (its parse time, its reason
 * code, when its message arrived); a failed lookup costs a sample, never the job.
 */
export function observeJobs(
  workers: readonly Worker[],
  deps: { db: Database; log: Logger },
  metrics: JobObservers,
): void {
  for (const worker of workers) {
    const queue = worker.name;
    worker.on('completed', (job, result) => {
      metrics.jobs.jobsCompleted.inc({ queue });
      const status = statusOf(result);
      if (queue === QUEUE.mail && status === 'sent') metrics.mailer?.mailsSent.inc();
      if (queue === QUEUE.parse && metrics.parser && (status === 'parsed' || status === 'rejected'))
        void observeParse(job, metrics.parser, deps);
    });
    worker.on('failed', (job, err) => {
      const final = job ? isFinal(job) || err.name === 'UnrecoverableError' : true;
      metrics.jobs.jobsFailed.inc({ queue, final: String(final) });
      if (queue === QUEUE.mail && final) metrics.mailer?.mailsFailed.inc();
    });
  }
}

async function observeParse(
  job: Job,
  metrics: ParserMetrics,
  deps: { db: Database; log: Logger },
): Promise<void> {
  const attachmentId = (job.data as { attachmentId?: unknown }).attachmentId;
  if (typeof attachmentId !== 'string') return;
  try {
    const seen = await parseObservation(deps.db, attachmentId);
    if (!seen) return;
    if (seen.parse_ms !== null) metrics.parseDuration.observe(seen.parse_ms / 1000);
    if (seen.state === 'rejected') metrics.filesRefused.inc({ code: seen.reason_code ?? 'unknown' });
    const committedAt = job.finishedOn ?? Date.now();
    const arrived = new Date(seen.received_at).getTime();
    if (Number.isFinite(arrived))
      metrics.arrivalToCommitted.observe(Math.max(0, committedAt - arrived) / 1000);
  } catch (err) {
    deps.log.debug({ err: asError(err), attachmentId }, 'parse metrics not observed');
  }
}
