import { appendFileSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';

/** The local services' data folder, as scripts/services.sh chooses it. */
const servicesDataDir = () => process.env.REFORM_DATA_DIR ?? `/var/tmp/reform-inbox-${userInfo().username}`;

/** A mailbox user of its own for one test file, added to the local Dovecot's users file. */
export function createImapUser(
  label: string,
  dataDir = servicesDataDir(),
): { user: string; password: string } {
  const user = `t_${label}_${Math.random().toString(36).slice(2, 8)}`;
  const password = 'test-password';
  const file = join(dataDir, 'dovecot', 'users');
  if (!readFileSync(file, 'utf8').includes(`${user}:`))
    changeUsers(file, () => appendFileSync(file, `${user}:{PLAIN}${password}\n`));
  return { user, password };
}

/**
 * Change the users file so that Dovecot sees it changed: it reads the file again only when its size or its
 * modification time in whole seconds differs, and a user taken away then one of the same name length added within
 * one second leave both as they were (the new user's login then fails). The time is moved on a second if need be.
 */
function changeUsers(file: string, change: () => void): void {
  const before = Math.floor(statSync(file).mtimeMs / 1000);
  change();
  const after = statSync(file);
  if (Math.floor(after.mtimeMs / 1000) <= before)
    utimesSync(file, after.atime, new Date((before + 1) * 1000));
}

/** Take a test's mailbox user away again: its mail and its line in the users file. */
export function removeImapUser(user: string, dataDir = servicesDataDir()): void {
  rmSync(join(dataDir, 'dovecot', 'mail', user), { recursive: true, force: true });
  const file = join(dataDir, 'dovecot', 'users');
  const lines = readFileSync(file, 'utf8').split('\n');
  changeUsers(file, () =>
    writeFileSync(file, lines.filter((line) => !line.startsWith(`${user}:`)).join('\n')),
  );
}

export const imapPort = () => Number(process.env.IMAP_PORT ?? 1143);

/**
 * A connected client for test set-up and checks (append, count folders). A user just added may be refused for up to
 * a second: Dovecot looks at its users file at most once a second, so a login right after another one can still
 * find the file as it was; the login is tried again for a few seconds then.
 */
export async function imapClient(user: string, password: string, port = imapPort()): Promise<ImapFlow> {
  for (let attempt = 1; ; attempt++) {
    const c = new ImapFlow({
      host: '127.0.0.1',
      port,
      secure: false,
      doSTARTTLS: false,
      auth: { user, pass: password },
      logger: false,
      // A test's session only asks and appends: it never waits in IDLE on a mailbox.
      disableAutoIdle: true,
    });
    try {
      await c.connect();
      return c;
    } catch (err) {
      c.close();
      if (!(err as { authenticationFailed?: boolean }).authenticationFailed || attempt >= 10) throw err;
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }
}

export async function folderCounts(c: ImapFlow, folders: string[]): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const f of folders) {
    const s = await c.status(f, { messages: true }).catch(() => false as const);
    out[f] = s ? (s.messages ?? 0) : 0;
  }
  return out;
}
