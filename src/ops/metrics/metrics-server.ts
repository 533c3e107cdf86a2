import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from '../../logger.js';
import { sameSecret } from '../../staff/same-secret.js';

/** A process's own view of its health: `ok` false makes /healthz answer 503 (the container turns unhealthy). */
export interface ProcessHealth {
  ok: boolean;
  [detail: string]: unknown;
}

export interface MetricsServer {
  /** The port listened on (useful with port 0 in tests). */
  port: number;
  close(): Promise<void>;
}

/**
 * A worker process's small HTTP server: GET /metrics (its registry) and GET /healthz (liveness as the process
 * judges it). Nothing else is served. Bind it to loopback or a private network (METRICS_HOST); with METRICS_TOKEN
 * set, /metrics also asks for the token.
 */
export function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  health: () => ProcessHealth | Promise<ProcessHealth>;
  log: Logger;
  /** When set, /metrics asks for `Authorization: Bearer <token>` (METRICS_TOKEN); /healthz stays open. */
  token?: string | undefined;
}): Promise<MetricsServer> {
  const { registry, health, log, token } = options;
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const answer = async () => {
      if (path === '/metrics') {
        if (token && !sameSecret(req.headers.authorization ?? '', `Bearer ${token}`)) {
          res.writeHead(401, { 'www-authenticate': 'Bearer realm="reform-inbox metrics"' }).end();
          return;
        }
        const body = await registry.metrics();
        res.writeHead(200, { 'content-type': registry.contentType }).end(body);
      } else if (path === '/healthz') {
        const state = await health();
        res.writeHead(state.ok ? 200 : 503, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            status: state.ok ? 'ok' : 'unhealthy',
            uptimeSeconds: Math.round(process.uptime()),
            ...state,
          }),
        );
      } else res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    };
    answer().catch((err: unknown) => {
      log.warn({ err, path }, 'metrics server could not answer');
      if (!res.headersSent) res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('unavailable\n');
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      log.info({ host: options.host, port }, 'metrics and health served');
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
