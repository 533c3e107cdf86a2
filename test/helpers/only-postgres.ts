import net from 'node:net';
import { baseDatabaseUrl } from './database.js';

// The operations tier's promise, kept by every run of it: its tests open no connection but to PostgreSQL. Any
// other (Redis, IMAP, SMTP, HTTP) throws where it is made, naming the address, so a test or a helper that starts
// to need another service fails at once instead of quietly depending on it. (vitest.config.ts: setupFiles.)

const postgresPort = Number(new URL(baseDatabaseUrl()).port || 5432);

/** Where a Socket#connect call goes: a TCP port (and host), or a local socket's path. */
function target(args: unknown[]): { port?: number; host?: string; path?: string } {
  // net.connect() hands over its arguments normalized: [options, callback].
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (first && typeof first === 'object') {
    const o = first as { port?: number | string; host?: string; path?: string };
    return { port: o.port === undefined ? undefined : Number(o.port), host: o.host, path: o.path };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first)))
    return { port: Number(first), host: typeof args[1] === 'string' ? args[1] : undefined };
  return { path: typeof first === 'string' ? first : undefined };
}

export class NotPostgres extends Error {}

const connect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
  const to = target(args);
  const postgres = to.path ? to.path.includes('.s.PGSQL.') : to.port === postgresPort;
  if (!postgres) {
    throw new NotPostgres(
      `the operations tier connects to PostgreSQL (port ${postgresPort}) only, not to ${to.path ?? `${to.host ?? 'localhost'}:${to.port}`}`,
    );
  }
  return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
} as typeof net.Socket.prototype.connect;
