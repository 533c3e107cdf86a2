import { loadConfig, readEnvironment } from '../src/config.js';
import { MailboxPoller } from '../src/imap/poller.js';
import { closeOnSignals } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// The IMAP poller: one per mailbox holds the lock and works; others stand by to take over.
const runtime = openRuntime(loadConfig(readEnvironment()), 'poller');
const poller = new MailboxPoller(runtime);
poller.start();
closeOnSignals(runtime.log, async () => {
  await poller.close();
  await runtime.close();
});
