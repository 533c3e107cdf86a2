import { registerSchedules, startScheduleWorker } from '../src/jobs/scheduler.js';
import { observeJobs } from '../src/ops/metrics/observe-jobs.js';
import { registerJobMetrics } from '../src/ops/metrics/pipeline-metrics.js';
import { serveProcessMetrics } from '../src/ops/metrics/serve-process-metrics.js';
import { closeOnSignals, startupConfig } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// Reminders (and digests) on their cron schedules, in the campaign office's time zone.
const runtime = openRuntime(startupConfig(), 'scheduler');
await registerSchedules(runtime.redis, runtime);
const scheduled = startScheduleWorker(runtime.redis, runtime);
const metrics = await serveProcessMetrics(runtime, 'scheduler', (registry) => {
  observeJobs(scheduled.workers, { jobs: registerJobMetrics(registry) });
  return () => ({ ok: scheduled.workers.every((w) => w.isRunning()) });
});
runtime.log.info('scheduler started');
closeOnSignals(runtime.log, async () => {
  await scheduled.close();
  await metrics.close();
  await runtime.close();
});
