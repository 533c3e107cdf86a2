import { Registry } from 'prom-client';
import { loadConfig } from '../../config.js';
import { createMetrics } from '../http/metrics.js';
import type { Runtime } from '../runtime.js';
import {
  registerJobMetrics,
  registerMailerMetrics,
  registerParserMetrics,
  registerPollerMetrics,
} from './pipeline-metrics.js';
import { createProcessRegistry } from './process-registry.js';

/**
 * Every metric name any reform-inbox process can expose, as Prometheus sees them (a histogram as its _bucket,
 * _sum and _count series). Built from the registries themselves, so alert rules and dashboards can be checked
 * against the code. Nothing is collected: building a metric touches no service.
 */
export function exposedMetricNames(): Set<string> {
  const config = loadConfig({});
  const pipeline = new Registry();
  registerPollerMetrics(pipeline, { stored: 0, setAsideCount: 0, holdsLock: false });
  registerParserMetrics(pipeline);
  registerMailerMetrics(pipeline);
  registerJobMetrics(pipeline);
  const offline = { config, queues: {}, db: {} } as unknown as Runtime;
  const registries = [createProcessRegistry(config, 'parser'), pipeline, createMetrics(offline)];
  const names = new Set<string>();
  for (const registry of registries)
    for (const metric of registry.getMetricsAsArray()) {
      const { name, type } = metric as unknown as { name: string; type: string };
      names.add(name);
      if (type === 'histogram') for (const suffix of ['_bucket', '_sum', '_count']) names.add(name + suffix);
      if (type === 'summary') for (const suffix of ['_sum', '_count']) names.add(name + suffix);
    }
  return names;
}
