import { createOpsApp, listen } from '../src/ops/http/server.js';
import { closeOnSignals, orExitOnConfigError, startupConfig } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// The operators' HTTP server: the queue dashboard, health, readiness and metrics.
const runtime = openRuntime(startupConfig(), 'ops');
const app = orExitOnConfigError(() => createOpsApp(runtime));
const server = await listen(app, runtime.config.HTTP_HOST, runtime.config.HTTP_PORT);
runtime.log.info({ host: runtime.config.HTTP_HOST, port: runtime.config.HTTP_PORT }, 'ops server listening');
closeOnSignals(runtime.log, async () => {
  await new Promise((resolve) => server.close(resolve));
  await runtime.close();
});
