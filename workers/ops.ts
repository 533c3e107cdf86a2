import { loadConfig, readEnvironment } from '../src/config.js';
import { createOpsApp, listen } from '../src/ops/http/server.js';
import { closeOnSignals } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// The operators' HTTP server: the queue dashboard, health, readiness and metrics.
const runtime = openRuntime(loadConfig(readEnvironment()), 'ops');
const server = await listen(createOpsApp(runtime), runtime.config.HTTP_HOST, runtime.config.HTTP_PORT);
runtime.log.info({ host: runtime.config.HTTP_HOST, port: runtime.config.HTTP_PORT }, 'ops server listening');
closeOnSignals(runtime.log, async () => {
  await new Promise((resolve) => server.close(resolve));
  await runtime.close();
});
