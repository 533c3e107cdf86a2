import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationRefused } from '../../src/errors.js';
import { confirmSubmission } from '../../src/registry/decisions/confirm-submission.js';
import { countSubmissionAs } from '../../src/registry/decisions/count-as.js';
import { markForgery, undoDismissItem } from '../../src/registry/decisions/dismiss-item.js';
import { undoConfirmation } from '../../src/registry/decisions/undo-confirmation.js';
import { openParserPool, replayFiles } from '../../src/registry/intake/replay-attachment.js';
import { askToResend } from '../../src/registry/letters/resend-request.js';
import { itemsForReview } from '../../src/registry/views/review.js';
import { cli } from '../helpers/cli.js';
import { mailWith, registrationDocx } from '../helpers/form-mail.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// What a person decides about a mail's forms — a confirmation, revision or supplement, a forgery — is kept apart
// from what the parser read: a replay of the file keeps it, and each decision can be taken back.

const HANOI = 'UBND THÀNH PHỐ HÀ NỘI';
const staff = { name: 'Nguyễn Thị Hoa', via: 'cli' as const };

describe('a person’s decisions about a mail’s forms', () => {
  const env = new OperationsEnv('decisions');
  const db = () => env.database.db;
  const deliver = (raw: Buffer, receivedAt?: Date) => env.receive(raw, receivedAt);
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  const submissionOf = (messageId: string) =>
    db()
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .leftJoin('agencies', 'agencies.id', 'submissions.agency_id')
      .select([
        'submissions.reference',
        'submissions.status',
        'submissions.attachment_id',
        'messages.id as message_id',
        'messages.state as message_state',
        'agencies.code as agency',
      ])
      .where('messages.message_id', '=', messageId)
      .executeTakeFirstOrThrow();
  const activeTitles = async (code: string) =>
    (
      await db()
        .selectFrom('initiatives')
        .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
        .select('initiatives.title')
        .where('agencies.code', '=', code)
        .where('initiatives.status', '=', 'active')
        .orderBy('initiatives.title')
        .execute()
    ).map((i) => i.title);
  const audit = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();
  /** Make the stored reading differ from what the parser reads now, so a replay records the file again. */
  const staleReading = async (attachmentId: string) => {
    const a = await db()
      .selectFrom('attachments')
      .select('parse_result')
      .where('id', '=', attachmentId)
      .executeTakeFirstOrThrow();
    const old = JSON.parse(JSON.stringify(a.parse_result));
    old.initiatives[0].timeline = 'đọc sai';
    await db()
      .updateTable('attachments')
      .set({ parse_result: JSON.stringify(old) })
      .where('id', '=', attachmentId)
      .execute();
  };
  const replay = async (attachmentId: string) => {
    const parser = openParserPool(env.config, 1);
    try {
      const [r] = await replayFiles({ db: db(), config: env.config, parser }, staff, {
        attachmentId,
        apply: true,
      });
      return r;
    } finally {
      await parser.close();
    }
  };

  it('keeps a confirmation through a replay, and takes it back with the address it remembered', async () => {
    await deliver(readFileSync(fixture('emails', '05-gmail-ca-nhan.eml')));
    const mid = '<CAJx7Yq1pW0gialam+8821@mail.gmail.com>';
    const held = await submissionOf(mid);
    expect(held.status).toBe('pending_review');
    await confirmSubmission({ db: db(), config: env.config }, staff, {
      reference: held.reference,
      rememberAddress: true,
      acceptRisks: true,
    });
    expect(await submissionOf(mid)).toMatchObject({ status: 'active', agency: 'huyen-gia-lam' });

    // A parser fix read the file again: the person's confirmation still stands.
    await staleReading(held.attachment_id);
    expect(await replay(held.attachment_id)).toMatchObject({ applied: true });
    expect(await submissionOf(mid)).toMatchObject({
      reference: held.reference,
      status: 'active',
      agency: 'huyen-gia-lam',
      // Confirmed, the mail left the review list; the replay does not bring it back.
      message_state: 'processed',
    });

    const r = await cli(
      env.database.url,
      'review',
      'unconfirm',
      held.reference,
      '--note',
      'nhầm đơn vị',
      '--by',
      'Trần Văn Minh',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      reference: held.reference,
      status: 'pending_review',
      addressForgotten: 'hoangmai.gialam@gmail.com',
    });
    const now = await submissionOf(mid);
    expect(now).toMatchObject({
      reference: held.reference,
      status: 'pending_review',
      message_state: 'needs_review',
    });
    expect(await activeTitles('huyen-gia-lam')).toEqual([]);
    const address = await db()
      .selectFrom('agency_addresses')
      .select('email')
      .where('email', '=', 'hoangmai.gialam@gmail.com')
      .executeTakeFirst();
    expect(address).toBeUndefined();
    expect((await itemsForReview(db())).some((i) => i.kind === 'message' && i.id === now.message_id)).toBe(
      true,
    );
    expect(await audit('undo_confirm_submission')).toEqual([
      expect.objectContaining({
        actor: 'Trần Văn Minh',
        subject_id: held.reference,
        before: expect.objectContaining({ status: 'active', agency: 'huyen-gia-lam' }),
        after: { status: 'pending_review', address_forgotten: 'hoangmai.gialam@gmail.com' },
        note: 'nhầm đơn vị',
      }),
    ]);
    // Undone once; a second time there is nothing to undo.
    await expect(
      undoConfirmation({ db: db(), config: env.config }, staff, { reference: held.reference }),
    ).rejects.toBeInstanceOf(OperationRefused);
  });

  it('marks a held mail as a forgery: off the list, never confirmed, until the verdict is undone', async () => {
    const held = await submissionOf('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>');
    await expect(markForgery(db(), staff, { messageId: held.message_id, note: '  ' })).rejects.toThrow(
      OperationRefused,
    );
    await markForgery(db(), staff, { messageId: held.message_id, note: 'không phải địa chỉ của huyện' });
    expect((await itemsForReview(db())).some((i) => i.kind === 'message' && i.id === held.message_id)).toBe(
      false,
    );
    await expect(
      confirmSubmission({ db: db(), config: env.config }, staff, { reference: held.reference }),
    ).rejects.toMatchObject({ code: 'wrong_state' });
    expect(await audit('mark_forgery')).toHaveLength(1);
    // Nor is its sender asked to resend: the verdict says it is not the agency.
    await expect(
      askToResend(env.deps, staff, { messageId: held.message_id, note: null }),
    ).rejects.toMatchObject({ code: 'wrong_state', context: { reason: 'forgery' } });
    await undoDismissItem(db(), staff, {
      kind: 'message',
      id: held.message_id,
      note: 'đơn vị đã gọi điện xác nhận',
    });
    expect((await itemsForReview(db())).some((i) => i.kind === 'message' && i.id === held.message_id)).toBe(
      true,
    );
    await confirmSubmission({ db: db(), config: env.config }, staff, { reference: held.reference });
    expect((await submissionOf('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>')).status).toBe('active');
  });

  it('undoes the replacement a revision made, keeps that through a replay, and goes back to the mail’s word', async () => {
    const lines = [HANOI, 'SỞ TÀI CHÍNH', 'BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2021'];
    const from = 'vanthu_sotc@hanoi.gov.vn';
    await deliver(
      mailWith({
        from,
        subject: 'Đăng ký sáng kiến CCHC',
        id: 'sotc-first',
        files: [
          {
            name: 'Bieu dang ky.docx',
            bytes: await registrationDocx(lines, [
              { title: 'Số hóa hồ sơ quyết toán ngân sách' },
              { title: 'Thanh toán phí và lệ phí trực tuyến' },
            ]),
          },
        ],
      }),
    );
    // Said to be a revision, but in truth a third initiative the agency adds.
    await deliver(
      mailWith({
        from,
        subject: 'Đăng ký sáng kiến (sửa đổi)',
        id: 'sotc-second',
        files: [
          {
            name: 'Bieu dang ky.docx',
            bytes: await registrationDocx(lines, [
              { title: 'Một cửa điện tử cho hồ sơ cấp mã số ngân sách' },
            ]),
          },
        ],
      }),
    );
    expect(await activeTitles('so-tai-chinh')).toEqual(['Một cửa điện tử cho hồ sơ cấp mã số ngân sách']);
    const second = await submissionOf('<sotc-second@test.example>');

    const r = await cli(env.database.url, 'review', 'count-as', second.reference, 'supplement', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ reference: second.reference, countsAs: 'supplement' });
    const all = [
      'Một cửa điện tử cho hồ sơ cấp mã số ngân sách',
      'Số hóa hồ sơ quyết toán ngân sách',
      'Thanh toán phí và lệ phí trực tuyến',
    ];
    expect(await activeTitles('so-tai-chinh')).toEqual(all);
    expect((await submissionOf('<sotc-first@test.example>')).status).toBe('active');

    await staleReading(second.attachment_id);
    expect(await replay(second.attachment_id)).toMatchObject({ applied: true });
    expect(await activeTitles('so-tai-chinh')).toEqual(all);

    await countSubmissionAs(db(), staff, { reference: second.reference, countsAs: null });
    expect(await activeTitles('so-tai-chinh')).toEqual(['Một cửa điện tử cho hồ sơ cấp mã số ngân sách']);
    expect((await audit('count_as')).map((a) => (a.after as { counts_as: string | null }).counts_as)).toEqual(
      ['supplement', null],
    );
    // Asked again, there is nothing to change: refused, with the reason.
    await expect(
      countSubmissionAs(db(), staff, { reference: second.reference, countsAs: null }),
    ).rejects.toMatchObject({ code: 'wrong_state' });
  });
});
