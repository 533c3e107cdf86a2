import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Config } from '../../config.js';

/** The process kinds that serve metrics: the four workers and the operators' HTTP process. */
export type ProcessKind = 'poller' | 'parser' | 'mailer' | 'scheduler' | 'ops';

/** Whether incoming mail's sender authentication is checked: not switched off, and a trusted server named. */
function senderCheckingConfigured(config: Pick<Config, 'TRUSTED_AUTHSERV_ID' | 'SENDER_AUTH'>): boolean {
  return config.SENDER_AUTH !== 'off' && Boolean(config.TRUSTED_AUTHSERV_ID?.trim());
}

/**
 * A registry for one process: Node's default process metrics (CPU, memory, event loop lag, GC), which process
 * kind this is, and whether sender checking is configured, so an alert can name a process left without it.
 */
export function createProcessRegistry(config: Config, kind: ProcessKind): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: 'reform_process_info',
    help: 'Always 1; the labels say which reform-inbox process kind serves these metrics',
    labelNames: ['process'],
    registers: [registry],
  }).set({ process: kind }, 1);
  new Gauge({
    name: 'reform_sender_checking_configured',
    help: '1 when senders are checked (SENDER_AUTH not off, TRUSTED_AUTHSERV_ID set); 0: a pass is never believed or nothing is checked',
    registers: [registry],
  }).set(senderCheckingConfigured(config) ? 1 : 0);
  return registry;
}
