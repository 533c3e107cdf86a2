import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendReminders } from '../../src/registry/letters/reminders.js';
import { askToResend } from '../../src/registry/letters/resend-request.js';
import { htmlProblems, MAIL_HEADING, MAIL_OFFICE } from '../helpers/mail-html.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// What the office sends, kept as reviewed files (test/golden/): the reply to every demo mail, each kind of
// reminder and a request to resend. The files hold the subject and the text part: a change to what a mail says
// shows as a readable diff of them (reference numbers and times masked). The HTML part is checked for what it
// says, not how it looks (test/helpers/mail-html.ts): its title, the office and the heading, each initiative's
// table of fields, its links, and every line of the text part. A change to a template's styling rewrites no file.
// After a reviewed change to a mail: npx vitest run --project integration test/integration/mail-golden.test.ts -u

const GOLDEN = join(import.meta.dirname, '..', 'golden');
const EMAILS = fixture('emails');

function mask(s: string): string {
  return s
    .replace(/CCHC-\d{4}-\d{5,}/g, 'CCHC-YYYY-NNNNN')
    .replace(/\d{2} giờ \d{2} phút ngày \d{1,2}\/\d{1,2}\/\d{4}/g, 'HH giờ MM phút ngày DD/M/YYYY')
    .replace(/\r\n/g, '\n')
    .trimEnd();
}
const asFile = (m: { subject: string; text: string }) =>
  `Subject: ${mask(m.subject)}\n\n--- text ---\n${mask(m.text)}\n`;

// The header of every mail: the office (OFFICE_NAME, by default) and the heading of its kind.
const OFFICE = MAIL_OFFICE;
const { received: RECEIVED, nothingRead: NOTHING_READ, reminder: REMINDER, held: HELD } = MAIL_HEADING;
/** The replies to a form held for a person: received, not accepted. */
const REPLIES_HELD = new Set(['05-gmail-ca-nhan.eml']);
/** The replies that read no file and found no form: the sender is told about the mail, not a receipt. */
const REPLIES_NOTHING_READ = new Set([
  '06-tx-son-tay-quen-dinh-kem.eml',
  '11-so-y-te-chi-co-cong-van.eml',
  '14-so-gtvt-file-macro.eml',
]);

/** The mail as reviewed: its subject and text part against the golden file, its HTML part against them. */
async function expectAsReviewed(
  mail: { subject: string; text: string; html: string },
  golden: string,
  heading: string,
) {
  await expect(asFile(mail)).toMatchFileSnapshot(join(GOLDEN, golden));
  expect(htmlProblems(mail, { office: OFFICE, heading })).toEqual([]);
}

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
    await env.start();
    // One at a time, as they arrive days apart; a mail delivered twice is stored once.
    for (const f of files) await env.deliverAndSettle(readFileSync(join(EMAILS, f)), dateOf(f));
  }, 120_000);
  afterAll(() => env.tearDown());

  it.each(files.filter((f) => !f.startsWith('07-')))('replies to %s as reviewed', async (file) => {
    const mail = await waitFor(() => env.smtp.mails.find((m) => m.parsed.inReplyTo === messageIdOf(file)), {
      what: `the reply to ${file}`,
    });
    await expectAsReviewed(
      {
        subject: mail.parsed.subject ?? '',
        text: mail.parsed.text ?? '',
        html: String(mail.parsed.html || ''),
      },
      `reply-${file.replace(/\.eml$/, '')}.txt`,
      REPLIES_NOTHING_READ.has(file) ? NOTHING_READ : REPLIES_HELD.has(file) ? HELD : RECEIVED,
    );
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
    await expectAsReviewed(mail, 'resend-request-14-so-gtvt-file-macro.txt', MAIL_HEADING.resend);
  });

  it.each([
    ['reminder-registration', '2021-07-23T01:00:00Z', 'reminder-hanoi-2021-registration-7-', REMINDER],
    ['reminder-registration-last', '2021-07-30T01:00:00Z', 'reminder-hanoi-2021-registration-1-', REMINDER],
    [
      'overdue-registration',
      '2021-08-03T01:00:00Z',
      'overdue-hanoi-2021-registration-1-',
      MAIL_HEADING.overdue,
    ],
    ['reminder-results', '2021-11-23T01:00:00Z', 'reminder-hanoi-2021-results-7-', REMINDER],
  ] as const)('sends the %s mail as reviewed', async (name, at, key, heading) => {
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
    await expectAsReviewed(mail, `${name}.txt`, heading);
  });
});
