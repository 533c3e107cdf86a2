import { type RunningMailer, startMailer } from '../src/jobs/mailer-worker.js';
import { openSendingContext } from '../src/ops/app-context.js';
import { type MailerMetrics, registerMailerMetrics } from '../src/ops/metrics/pipeline-metrics.js';
import { serveProcessMetrics } from '../src/ops/metrics/serve-process-metrics.js';
import { closeOnSignals, startupConfig } from '../src/ops/process.js';

// Sends the outbox over SMTP; mail waits in the outbox while SMTP is down. It needs no Redis: the outbox, in
// PostgreSQL, is its queue.
const runtime = openSendingContext(startupConfig(), 'mailer');
let counted: MailerMetrics | undefined;
let mailer: RunningMailer | undefined;
const metrics = await serveProcessMetrics(runtime, 'mailer', (registry) => {
  counted = registerMailerMetrics(registry);
  return () => ({ ok: mailer?.isRunning() ?? false });
});
mailer = startMailer(runtime, {
  onMail: (outcome) => {
    if (outcome.status === 'sent') counted?.mailsSent.inc();
    else if (outcome.status === 'failed') counted?.mailsFailed.inc();
  },
});
runtime.log.info('mailer started');
closeOnSignals(runtime.log, async () => {
  await mailer?.close();
  await metrics.close();
  await runtime.close();
});
