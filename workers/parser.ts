import { startParserWorkers } from '../src/jobs/parser-workers.js';
import { observeJobs } from '../src/ops/metrics/observe-jobs.js';
import { registerJobMetrics, registerParserMetrics } from '../src/ops/metrics/pipeline-metrics.js';
import { serveProcessMetrics } from '../src/ops/metrics/serve-process-metrics.js';
import { closeOnSignals, startupConfig } from '../src/ops/process.js';
import { openRuntime } from '../src/ops/runtime.js';

// Parse and acknowledge jobs; run as many of these processes as the load needs.
const runtime = openRuntime(startupConfig(), 'parser');
const workers = startParserWorkers(runtime.redis, runtime);
const metrics = await serveProcessMetrics(runtime, 'parser', (registry) => {
  observeJobs(workers.workers, {
    jobs: registerJobMetrics(registry),
    parser: registerParserMetrics(registry),
  });
  return () => ({ ok: workers.workers.every((w) => w.isRunning()) });
});
runtime.log.info('parser worker started');
closeOnSignals(runtime.log, async () => {
  await workers.close();
  await metrics.close();
  await runtime.close();
});
