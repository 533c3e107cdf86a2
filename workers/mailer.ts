import { startMailerWorker } from '../src/jobs/mailer-worker.js';
import { observeJobs } from '../src/ops/metrics/observe-jobs.js';
import { registerJobMetrics, registerMailerMetrics } from '../src/ops/metrics/pipeline-metrics.js';
import { serveProcessMetrics } from '../src/ops/metrics/serve-process-metrics.js';
import { closeOnSignals, startupConfig } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// Sends the outbox over SMTP; mail waits in the outbox while SMTP is down.
const runtime = openRuntime(startupConfig(), 'mailer');
const workers = startMailerWorker(runtime.redis, runtime);
const metrics = await serveProcessMetrics(runtime, 'mailer', (registry) => {
  observeJobs(workers.workers, {
    jobs: registerJobMetrics(registry),
    mailer: registerMailerMetrics(registry),
  });
  return () => ({ ok: workers.workers.every((w) => w.isRunning()) });
});
runtime.log.info('mailer worker started');
closeOnSignals(runtime.log, async () => {
  await workers.close();
  await metrics.close();
  await runtime.close();
});
