import type { RequestHandler } from 'express';
import { type Config, isLoopbackHost } from '../../config.js';
import type { Logger } from '../../logger.js';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/** The host name of a `Host` header (`name`, `name:port`, `[v6]:port`), lower-cased, without the port. */
function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.lastIndexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/**
 * The host names this server answers to: CONSOLE_URL's, HTTP_HOST's (unless it is every interface) and the
 * loopback names (127.0.0.0/8, ::1, localhost), on any port. A DNS-rebinding page reaches the server under its own
 * name, which is none of them.
 */
function allowedHost(config: Pick<Config, 'CONSOLE_URL' | 'HTTP_HOST'>): (header: string) => boolean {
  const names = new Set<string>();
  if (config.CONSOLE_URL) names.add(new URL(config.CONSOLE_URL).hostname.toLowerCase());
  if (!WILDCARDS.has(config.HTTP_HOST.trim())) names.add(hostName(config.HTTP_HOST));
  return (header) => {
    const name = hostName(header);
    return name !== '' && (names.has(name) || isLoopbackHost(name));
  };
}

// Machines call these under the names they know the server by (a container's health check, Prometheus over the
// compose network): neither answers a browser anything a page elsewhere could use, /metrics takes no cookie.
const OPEN_TO_ANY_HOST = new Set(['/healthz', '/metrics']);

/** Refuse (421) a request whose `Host` is not one of this server's names. */
export function hostAllowlist(config: Config, log: Logger): RequestHandler {
  const allowed = allowedHost(config);
  if (WILDCARDS.has(config.HTTP_HOST.trim()) && !config.CONSOLE_URL)
    log.warn(
      { setting: 'CONSOLE_URL' },
      'CONSOLE_URL is not set: the console answers only to loopback host names (127.0.0.1, localhost)',
    );
  return (req, res, next) => {
    if (OPEN_TO_ANY_HOST.has(req.path) || allowed(req.headers.host ?? '')) return next();
    log.warn(
      { host: req.headers.host ?? null, ip: req.ip, path: req.path },
      'request for another host refused',
    );
    res
      .status(421)
      .type('text')
      .send('This server does not answer to that host name (set CONSOLE_URL to the address staff use).');
  };
}
