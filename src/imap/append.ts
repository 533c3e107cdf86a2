import type { Config } from '../config.js';
import { createImapClient } from './imap-client.js';

/**
 * Append raw messages to the configured mailbox, as a delivery would (the demo, tests, re-injecting mail); with
 * `dates`, each message arrives at its date (IMAP's internal date), else now.
 */
export async function appendToMailbox(
  config: Config,
  messages: readonly Buffer[],
  dates: readonly (Date | undefined)[] = [],
): Promise<number[]> {
  const client = createImapClient(config);
  await client.connect();
  try {
    const uids: number[] = [];
    for (const [i, raw] of messages.entries()) {
      const r = await client.append(config.IMAP_MAILBOX, raw, [], dates[i]);
      uids.push(r ? (r.uid ?? 0) : 0);
    }
    return uids;
  } finally {
    await client.logout().catch(() => client.close());
  }
}
