import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { confirmSubmission } from '../../src/registry/decisions/confirm-submission.js';
import { undoConfirmation } from '../../src/registry/decisions/undo-confirmation.js';
import { itemsForReview } from '../../src/registry/views/review.js';
import { mailWith, registrationDocx } from '../helpers/form-mail.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// The review list is always true: an item leaves it as soon as nothing is left to do.

const email = (name: string) => readFileSync(fixture('emails', name));
const REPORT = '10-so-tu-phap-bao-cao-ket-qua.eml';
const REGISTRATION = '01-so-tu-phap-dang-ky.eml';

describe('a results report and the registration it reports on', () => {
  let env: OperationsEnv;
  beforeEach(async () => {
    env = new OperationsEnv('review-list');
    await env.setUp();
  });
  afterEach(() => env.tearDown());

  const itemsOf = async (reference: string | undefined) => {
    const report = await env.db
      .selectFrom('messages')
      .select('id')
      .where('message_id', '=', reference ?? '')
      .executeTakeFirstOrThrow();
    return (await itemsForReview(env.db)).filter(
      (i) => i.messageId === report.id || (i.kind === 'result' && i.from === 'Sở Tư pháp'),
    );
  };
  const messageIdOf = (name: string) =>
    /^Message-ID:\s*(<[^>]+>)/im.exec(email(name).toString('latin1'))?.[1];

  it('leaves the list once a later registration matches the report’s rows', async () => {
    await env.receive(email(REPORT));
    const waiting = await itemsOf(messageIdOf(REPORT));
    // Listed once, as the result itself: its mail, held for it, is not a second item.
    expect(waiting.map((i) => i.kind)).toEqual(['result']);
    expect(waiting[0]?.agencyName).toBe('Sở Tư pháp');
    const held = await env.db
      .selectFrom('messages')
      .select('review_reasons')
      .where('message_id', '=', messageIdOf(REPORT) ?? '')
      .executeTakeFirstOrThrow();
    expect(held.review_reasons).toContain('unmatched_result');

    await env.receive(email(REGISTRATION));
    expect(await itemsOf(messageIdOf(REPORT))).toEqual([]);
    const report = await env.db
      .selectFrom('messages')
      .select(['state', 'review_reasons'])
      .where('message_id', '=', messageIdOf(REPORT) ?? '')
      .executeTakeFirstOrThrow();
    expect(report).toEqual({ state: 'processed', review_reasons: [] });
  });

  it('never enters it when the registration came first', async () => {
    await env.receive(email(REGISTRATION));
    await env.receive(email(REPORT));
    expect(await itemsOf(messageIdOf(REPORT))).toEqual([]);
  });
});

describe('a file that could not be read and the copy the agency sent again', () => {
  const SO_Y_TE = 'vanthu_soyt@hanoi.gov.vn';
  const STRANGER = 'nguyenvana.soyt@gmail.com';
  const EARLY = new Date('2021-07-20T02:00:00Z');
  const LATER = new Date('2021-07-22T02:00:00Z');
  const staff = { name: 'Nguyễn Thị Hoa', via: 'cli' as const };
  let env: OperationsEnv;
  beforeEach(async () => {
    env = new OperationsEnv('review-files');
    await env.setUp();
    // The .docm is refused (macro), whatever its bytes.
    env.readAs('Bieu dang ky SYT.docm', { ok: false, error: { code: 'macro_enabled', message: 'macro' } });
  });
  afterEach(() => env.tearDown());

  const refused = (id: string) =>
    mailWith({
      from: SO_Y_TE,
      subject: 'Đăng ký sáng kiến CCHC - Sở Y tế',
      id,
      files: [{ name: 'Bieu dang ky SYT.docm', bytes: Buffer.from(`macro form ${id}`) }],
    });
  const copy = async (id: string, from = SO_Y_TE) =>
    mailWith({
      from,
      subject: 'Gửi lại biểu đăng ký sáng kiến CCHC - Sở Y tế',
      id,
      files: [
        {
          name: 'Biểu đăng ký SYT (1).docx',
          bytes: await registrationDocx(
            ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'],
            [{ title: 'Khám bệnh đặt lịch trực tuyến' }],
          ),
        },
      ],
    });
  const refusedOnList = async () =>
    (await itemsForReview(env.db)).filter((i) => i.kind === 'file' && i.what === 'Bieu dang ky SYT.docm');

  it('is on the list, dated, until the same form sent again is read', async () => {
    await env.receive(refused('refused-first'), EARLY);
    const [waiting] = await refusedOnList();
    // Dated, and its sender named by the agency the registry knows the address for.
    expect(waiting).toMatchObject({ reasons: ['macro_enabled'], receivedAt: EARLY, agencyName: 'Sở Y tế' });

    await env.receive(await copy('copy-later'), LATER);
    expect(await refusedOnList()).toEqual([]);
  });

  it('stays when a stranger sends two copies of the form in one mail (the second a duplicate, both held)', async () => {
    await env.receive(refused('refused-before-stranger'), EARLY);
    const form = await registrationDocx(
      ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'],
      [{ title: 'Khám bệnh đặt lịch trực tuyến' }],
    );
    const again = await registrationDocx(
      ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'],
      [{ title: 'Khám bệnh đặt lịch trực tuyến' }],
      { dateLine: 'Hà Nội, ngày 21 tháng 7 năm 2021' },
    );
    await env.receive(
      mailWith({
        from: 'anyone.at.all@gmail.com',
        subject: 'Biểu đăng ký Sở Y tế',
        id: 'stranger-two-copies',
        files: [
          { name: 'Bieu dang ky SYT.docx', bytes: form },
          { name: 'Bieu dang ky SYT (1).docx', bytes: again },
        ],
      }),
      LATER,
    );
    const statuses = await env.db.selectFrom('submissions').select('status').execute();
    expect(statuses.map((x) => x.status).sort()).toEqual(['duplicate', 'pending_review']);
    expect(await refusedOnList()).toHaveLength(1);
  });

  it('leaves it whichever of the two was processed first, by the order they arrived in', async () => {
    await env.receive(await copy('copy-processed-first'), LATER);
    await env.receive(refused('refused-processed-second'), EARLY);
    expect(await refusedOnList()).toEqual([]);
  });

  it('stays when the form read came before it (the refused file may be a revision)', async () => {
    await env.receive(await copy('copy-earlier'), EARLY);
    await env.receive(refused('refused-after'), LATER);
    expect(await refusedOnList()).toHaveLength(1);
  });

  it('takes a mail held for a file that failed off the list with the file, once the copy is read', async () => {
    // The parser breaks on this one file, every attempt: the file ends failed and its mail waits for a person.
    const parser = env.parser;
    Object.defineProperty(env, 'parser', {
      get: () => ({
        ...parser,
        parse: (bytes: Buffer, filename: string, options?: unknown) =>
          filename === 'Bieu dang ky SYT.doc'
            ? Promise.reject(new Error('the reader crashed'))
            : parser.parse(bytes, filename, options as never),
      }),
    });
    await env
      .receive(
        mailWith({
          from: SO_Y_TE,
          subject: 'Đăng ký sáng kiến CCHC - Sở Y tế',
          id: 'failed-first',
          files: [{ name: 'Bieu dang ky SYT.doc', bytes: Buffer.from('a form the reader chokes on') }],
        }),
        EARLY,
      )
      .catch(() => undefined);
    const ofFailedMail = async () =>
      (await itemsForReview(env.db)).filter(
        (i) => i.what === 'Đăng ký sáng kiến CCHC - Sở Y tế' || i.what === 'Bieu dang ky SYT.doc',
      );
    expect((await ofFailedMail()).map((i) => [i.kind, i.reasons])).toEqual([
      ['message', ['failed_attachment']],
      ['file', ['processing_failed']],
    ]);

    await env.receive(await copy('copy-of-failed'), LATER);
    expect(await ofFailedMail()).toEqual([]);
  });

  it('stays while the copy is held, leaves once it is confirmed, and comes back when that is undone', async () => {
    await env.receive(refused('refused-before-stranger'), EARLY);
    await env.receive(await copy('copy-from-gmail', STRANGER), LATER);
    expect(await refusedOnList()).toHaveLength(1);

    const held = await env.db
      .selectFrom('submissions')
      .select('reference')
      .where('status', '=', 'pending_review')
      .executeTakeFirstOrThrow();
    await confirmSubmission({ db: env.db, config: env.config }, staff, {
      reference: held.reference,
      agencyCode: 'so-y-te',
    });
    expect(await refusedOnList()).toEqual([]);

    await undoConfirmation({ db: env.db, config: env.config }, staff, { reference: held.reference });
    expect(await refusedOnList()).toHaveLength(1);
  });
});
