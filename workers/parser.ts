import { loadConfig, readEnvironment } from '../src/config.js';
import { startParserWorkers } from '../src/jobs/workers.js';
import { closeOnSignals } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// Parse and acknowledge jobs; run as many of these processes as the load needs.
const runtime = openRuntime(loadConfig(readEnvironment()), 'parser');
const workers = startParserWorkers(runtime.redis, runtime);
runtime.log.info('parser worker started');
closeOnSignals(runtime.log, async () => {
  await workers.close();
  await runtime.close();
});
