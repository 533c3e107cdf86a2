import { loadConfig, readEnvironment } from '../src/config.js';
import { registerSchedules, startScheduleWorker } from '../src/jobs/scheduler.js';
import { closeOnSignals } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// Reminders (and digests) on their cron schedules, in the campaign office's time zone.
const runtime = openRuntime(loadConfig(readEnvironment()), 'scheduler');
await registerSchedules(runtime.redis, runtime);
const worker = startScheduleWorker(runtime.redis, runtime);
runtime.log.info('scheduler started');
closeOnSignals(runtime.log, async () => {
  await worker.close();
  await runtime.close();
});
