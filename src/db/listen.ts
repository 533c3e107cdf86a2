import pg from 'pg';
import { asError } from '../errors.js';
import type { Logger } from '../logger.js';

export interface Listening {
  close(): Promise<void>;
}

const RETRY_MS = [500, 1000, 2000, 5000];

/**
 * LISTEN on a channel over a connection of its own (a pooled one would be handed to others between statements),
 * calling `onNotify` for each notification, and once each time the connection is made: whatever was notified
 * while it was down (a PostgreSQL restart) is then looked for. A lost connection is made again, after a pause
 * that grows to 5 s.
 */
export function listen(url: string, channel: string, onNotify: () => void, log: Logger): Listening {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a channel name: ${channel}`);
  let closed = false;
  let client: pg.Client | null = null;
  let failures = 0;
  let timer: NodeJS.Timeout | undefined;

  const retry = () => {
    if (closed || timer) return;
    const wait = RETRY_MS[Math.min(failures, RETRY_MS.length - 1)] ?? 5000;
    failures++;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, wait);
  };

  const connect = async () => {
    // Kept alive: a connection dropped without a word (a NAT, a firewall) is noticed, not listened on in silence.
    const c = new pg.Client({ connectionString: url, keepAlive: true });
    client = c;
    // Every way a connection ends comes here once: the next one is made.
    let ended = false;
    const lost = (err?: Error) => {
      if (ended) return;
      ended = true;
      if (client === c) client = null;
      if (!closed) log.warn({ err, channel }, 'listening connection lost; connecting again');
      c.end().catch(() => undefined);
      retry();
    };
    c.on('error', lost);
    c.on('end', () => lost());
    c.on('notification', (n) => {
      if (n.channel === channel) onNotify();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${channel}`);
      failures = 0;
      onNotify();
    } catch (err) {
      lost(asError(err));
    }
  };

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
