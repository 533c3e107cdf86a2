import type { Registry } from 'prom-client';
import type { Runtime } from '../runtime.js';
import { type MetricsServer, type ProcessHealth, startMetricsServer } from './metrics-server.js';
import { createProcessRegistry, type ProcessKind } from './process-registry.js';

/**
 * A worker process's metrics: its registry (default metrics included), the families `register` adds, and a
 * /metrics + /healthz server on METRICS_HOST:METRICS_PORT unless the port is 0. Returns what to close.
 */
export async function serveProcessMetrics(
  runtime: Pick<Runtime, 'config' | 'log'> & { redis?: Pick<Runtime['redis'], 'status'> },
  kind: Exclude<ProcessKind, 'ops'>,
  register: (registry: Registry) => () => ProcessHealth,
): Promise<{ registry: Registry; server: MetricsServer | null; close(): Promise<void> }> {
  const registry = createProcessRegistry(runtime.config, kind);
  const processHealth = register(registry);
  // Redis gone for good ('end': no reconnection left) is something only a restart mends. A process without Redis
  // (the mailer) is judged by its own health alone.
  const health = (): ProcessHealth => {
    const own = processHealth();
    if (!runtime.redis) return { ...own, kind };
    const redis = runtime.redis.status;
    return { ...own, ok: own.ok && redis !== 'end', kind, redis };
  };
  const { METRICS_HOST, METRICS_PORT } = runtime.config;
  const server =
    METRICS_PORT === 0
      ? null
      : await startMetricsServer({
          host: METRICS_HOST,
          port: METRICS_PORT,
          registry,
          health,
          log: runtime.log,
          token: runtime.config.METRICS_TOKEN,
        });
  return { registry, server, close: async () => server?.close() };
}
