import type { Config } from '../config.js';
import { createImapClient } from './imap-client.js';

/** Append raw messages to the configured mailbox, as a delivery would (the demo, tests, re-injecting mail). */
export async function appendToMailbox(config: Config, messages: readonly Buffer[]): Promise<number[]> {
  const client = createImapClient(config);
  await client.connect();
  try {
    const uids: number[] = [];
    for (const raw of messages) {
      const r = await client.append(config.IMAP_MAILBOX, raw);
      uids.push(r ? (r.uid ?? 0) : 0);
    }
    return uids;
  } finally {
    await client.logout().catch(() => client.close());
  }
}
