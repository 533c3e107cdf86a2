import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ParsedForm } from '../../src/parser/form-types.js';
import { mailWith } from '../helpers/form-mail.js';
import { NotPostgres } from '../helpers/only-postgres.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// The operations tier itself: PostgreSQL alone, and mail taken in by the intake's and the parse job's own code.

const email = (name: string) => readFileSync(fixture('emails', name));

describe('the operations tier', () => {
  const env = new OperationsEnv('tier');
  const db = () => env.database.db;
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  const messageOf = (messageIdHeader: string) =>
    db()
      .selectFrom('messages')
      .select(['id', 'state', 'review_reasons'])
      .where('message_id', '=', messageIdHeader)
      .executeTakeFirstOrThrow();
  const filesOf = (messageId: string) =>
    db()
      .selectFrom('attachments')
      .leftJoin('submissions', 'submissions.attachment_id', 'attachments.id')
      .select(['attachments.filename', 'attachments.state', 'submissions.status'])
      .where('attachments.message_id', '=', messageId)
      .orderBy('attachments.id')
      .execute();

  it('connects to PostgreSQL and to nothing else: Redis, IMAP and SMTP are refused where the connection is made', () => {
    for (const port of [6390, 1143, 2525])
      expect(() => net.connect({ host: '127.0.0.1', port })).toThrow(NotPostgres);
    expect(() => net.connect(6390, '127.0.0.1')).toThrow(/PostgreSQL .* only, not to 127\.0\.0\.1:6390/);
  });

  it('takes a mail in as the poller and the parse job do: stored, read, recorded, settled and answered', async () => {
    const stored = await env.receive(email('01-so-tu-phap-dang-ky.eml'));
    expect(stored).toMatchObject({ created: true, needsReview: false });
    expect(await messageOf('<1627265645.2231.stp@hanoi.gov.vn>')).toMatchObject({
      id: stored.messageId,
      state: 'processed',
    });
    expect(await filesOf(stored.messageId)).toEqual([
      { filename: 'Biểu đăng ký sáng kiến CCHC 2021 - Sở Tư pháp.docx', state: 'parsed', status: 'active' },
    ]);
    // The acknowledgement waits in the outbox for a mailer: nothing is sent, nothing else is queued.
    const ack = await env.acknowledgementOf('<1627265645.2231.stp@hanoi.gov.vn>');
    expect(ack.to_addresses).toEqual(['vanthu_sotp@hanoi.gov.vn']);
    expect(ack.text).toContain('Ứng dụng mã QR tra cứu tình trạng giải quyết hồ sơ');
    expect((await env.outbox()).map((o) => o.status)).toEqual(['pending']);
    expect(env.queued.waiting('parse')).toEqual([]);
    expect(env.queued.waiting('acknowledge')).toEqual([]);
  });

  it('leaves a stored mail’s files pending until its jobs run, and a mail stored twice is one message with one flow', async () => {
    const raw = email('08-so-tttt-dang-ky.eml');
    const first = await env.store(raw);
    expect(await filesOf(first.messageId)).toEqual([
      expect.objectContaining({ state: 'pending', status: null }),
    ]);
    const again = await env.store(raw);
    expect(again).toMatchObject({ messageId: first.messageId, created: false });
    expect(env.queued.waiting('parse')).toHaveLength(1);
    await env.runJobs();
    expect(await filesOf(first.messageId)).toEqual([
      expect.objectContaining({ state: 'parsed', status: 'active' }),
    ]);
  });

  it('records a reading given as a ParsedForm, through the same recording as a parsed file', async () => {
    const form: ParsedForm = {
      kind: 'registration',
      agency_code: 'so-xay-dung',
      agency_name: 'Sở Xây dựng',
      year: 2021,
      initiatives: [
        {
          title: 'Cấp phép xây dựng trực tuyến',
          summary: 'Nộp hồ sơ cấp phép qua cổng dịch vụ công',
          necessity: null,
          expected_results: null,
          products: null,
          beneficiaries: null,
          benefits: null,
          timeline: 'Tháng 8 - 12/2021',
          start: '2021-08',
          end: '2021-12',
          lead_unit: 'Phòng Cấp phép',
          notes: null,
        },
      ],
      results: [],
      warnings: [],
      uncertain: [],
    };
    env.readAs('dang-ky-soxd.docx', { ok: true, form });
    const { messageId } = await env.receive(
      mailWith({
        from: 'vanthu_soxd@hanoi.gov.vn',
        subject: 'Đăng ký sáng kiến',
        id: 'soxd-parsed-form',
        files: [{ name: 'dang-ky-soxd.docx', bytes: Buffer.from('not read: its reading is given') }],
      }),
    );
    expect(await filesOf(messageId)).toEqual([
      { filename: 'dang-ky-soxd.docx', state: 'parsed', status: 'active' },
    ]);
    const initiative = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['initiatives.title', 'initiatives.status', 'initiatives.start_month', 'agencies.code'])
      .where('agencies.code', '=', 'so-xay-dung')
      .executeTakeFirstOrThrow();
    expect(initiative).toEqual({
      title: 'Cấp phép xây dựng trực tuyến',
      status: 'active',
      start_month: '2021-08',
      code: 'so-xay-dung',
    });
  });
});
