import { loadConfig, readEnvironment } from '../src/config.js';
import { startMailerWorker } from '../src/jobs/workers.js';
import { closeOnSignals } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// Sends the outbox over SMTP; mail waits in the outbox while SMTP is down.
const runtime = openRuntime(loadConfig(readEnvironment()), 'mailer');
const workers = startMailerWorker(runtime.redis, runtime);
runtime.log.info('mailer worker started');
closeOnSignals(runtime.log, async () => {
  await workers.close();
  await runtime.close();
});
