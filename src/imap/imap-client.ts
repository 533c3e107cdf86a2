import { ImapFlow } from 'imapflow';
import type { Config } from '../config.js';

export type ImapConfig = Pick<
  Config,
  'IMAP_HOST' | 'IMAP_PORT' | 'IMAP_SECURITY' | 'IMAP_USER' | 'IMAP_PASSWORD' | 'IMAP_ACCESS_TOKEN'
>;

/** A new, unconnected IMAP client as configured: TLS, STARTTLS or plain; password or OAuth2 access token. */
export function createImapClient(config: ImapConfig): ImapFlow {
  return new ImapFlow({
    host: config.IMAP_HOST,
    port: config.IMAP_PORT,
    secure: config.IMAP_SECURITY === 'tls',
    doSTARTTLS:
      config.IMAP_SECURITY === 'starttls' ? true : config.IMAP_SECURITY === 'plain' ? false : undefined,
    auth: config.IMAP_ACCESS_TOKEN
      ? { user: config.IMAP_USER, accessToken: config.IMAP_ACCESS_TOKEN }
      : { user: config.IMAP_USER, pass: config.IMAP_PASSWORD ?? '' },
    logger: false,
    // The poller decides when to IDLE; imapflow's own auto-IDLE waits too long and not under a lock.
    disableAutoIdle: true,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 5 * 60_000,
  });
}
