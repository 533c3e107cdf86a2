import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReminders } from '../../src/registry/letters/reminders.js';
import { askToResend } from '../../src/registry/letters/resend-request.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// What the office sends, kept as reviewed files (test/golden/): the reply to every demo mail, each kind of
// reminder and a request to resend. A change to a mail shows as a readable diff of these files; reference
// numbers and times are masked.

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const EMAILS = fixture('emails');

function mask(s: string): string {
  return s
    .replace(/CCHC-\d{4}-\d{5,}/g, 'CCHC-YYYY-NNNNN')
    .replace(/\d{2} giờ \d{2} phút ngày \d{1,2}\/\d{1,2}\/\d{4}/g, 'HH giờ MM phút ngày D/M/YYYY')
    .replace(/\r\n/g, '\n')
    .trimEnd();
}
const asFile = (m: { subject: string; text: string; html: string }) =>
  `Subject: ${mask(m.subject)}\n\n--- text ---\n${mask(m.text)}\n\n--- html ---\n${mask(m.html)}\n`;

describe('what the office sends, as reviewed', () => {
  // Each mail arrives on the day its Date header says (July–November 2021), as it did: the replies then speak of
  // the season and the deadlines as they were. Replies to mail that old are allowed for this.
  const env = new PipelineEnv('golden', { IMAP_MAX_ACK_AGE_DAYS: '100000' });
  const dateOf = (file: string) => {
    const header = /^Date:\s*(.+)$/im.exec(readFileSync(join(EMAILS, file), 'latin1'))?.[1];
    const d = header ? new Date(header) : new Date(Number.NaN);
    return Number.isNaN(d.getTime()) ? undefined : d;
  };
  const messageIdOf = (file: string) =>
    /^Message-ID:\s*(<[^>]+>)/im.exec(readFileSync(join(EMAILS, file), 'latin1'))?.[1];
  const files = readdirSync(EMAILS)
    .filter((f) => f.endsWith('.eml'))
    .sort();
  beforeAll(async () => {
    await env.setUp();
    env.startPoller();
    env.startWorkers();
    // One at a time, as they arrive days apart; a mail delivered twice is stored once.
    for (const f of files) await env.deliverAndSettle(readFileSync(join(EMAILS, f)), dateOf(f));
  }, 120_000);
  afterAll(() => env.tearDown());

  it.each(files.filter((f) => !f.startsWith('07-')))('replies to %s as reviewed', async (file) => {
    const mail = await waitFor(() => env.smtp.mails.find((m) => m.parsed.inReplyTo === messageIdOf(file)), {
      what: `the reply to ${file}`,
    });
    await expect(
      asFile({
        subject: mail.parsed.subject ?? '',
        text: mail.parsed.text ?? '',
        html: String(mail.parsed.html || ''),
      }),
    ).toMatchFileSnapshot(join(GOLDEN, `reply-${file.replace(/\.eml$/, '')}.txt`));
  });

  it('sends the request to resend as reviewed', async () => {
    const msg = await env.database.db
      .selectFrom('messages')
      .select('id')
      .where('message_id', '=', messageIdOf('14-so-gtvt-file-macro.eml') ?? '')
      .executeTakeFirstOrThrow();
    const { outboxId } = await askToResend(
      env.runtime,
      { name: 'Nguyễn Thị Lan', via: 'cli' },
      { messageId: msg.id, note: 'Đề nghị Sở gửi lại Biểu đăng ký bằng tệp .docx trước ngày 05/8/2021.' },
    );
    const mail = await env.database.db
      .selectFrom('outbox')
      .select(['subject', 'text', 'html'])
      .where('id', '=', outboxId)
      .executeTakeFirstOrThrow();
    await expect(asFile(mail)).toMatchFileSnapshot(join(GOLDEN, 'resend-request-14-so-gtvt-file-macro.txt'));
  });

  it.each([
    ['reminder-registration', '2021-07-23T01:00:00Z', 'reminder-hanoi-2021-registration-7-'],
    ['reminder-registration-last', '2021-07-30T01:00:00Z', 'reminder-hanoi-2021-registration-1-'],
    ['overdue-registration', '2021-08-03T01:00:00Z', 'overdue-hanoi-2021-registration-1-'],
    ['reminder-results', '2021-11-23T01:00:00Z', 'reminder-hanoi-2021-results-7-'],
  ] as const)('sends the %s mail as reviewed', async (name, at, key) => {
    const now = new Date(at);
    await sendReminders(env.runtime, now);
    // One agency's, always the same: the first in code order that was sent that one.
    const mail = await env.database.db
      .selectFrom('outbox')
      .innerJoin('agencies', 'agencies.id', 'outbox.agency_id')
      .select(['outbox.subject', 'outbox.text', 'outbox.html'])
      .where('outbox.dedupe_key', 'like', `${key}%`)
      .orderBy('agencies.code')
      .executeTakeFirstOrThrow();
    await expect(asFile(mail)).toMatchFileSnapshot(join(GOLDEN, `${name}.txt`));
  });
});
