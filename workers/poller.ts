import { MailboxPoller } from '../src/imap/poller.js';
import { registerPollerMetrics } from '../src/ops/metrics/pipeline-metrics.js';
import { serveProcessMetrics } from '../src/ops/metrics/serve-process-metrics.js';
import { closeOnSignals, startupConfig } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// The IMAP poller: one per mailbox holds the lock and works; others stand by to take over.
const runtime = openRuntime(startupConfig(), 'poller');
const poller = new MailboxPoller(runtime);
const metrics = await serveProcessMetrics(runtime, 'poller', (registry) => {
  registerPollerMetrics(registry, poller);
  // A standby poller is healthy too: it waits for the lock on purpose.
  return () => ({ ok: true, holdsLock: poller.holdsLock, stored: poller.stored });
});
poller.start();
closeOnSignals(runtime.log, async () => {
  await poller.close();
  await metrics.close();
  await runtime.close();
});
