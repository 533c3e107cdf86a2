import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/registry/audit.js';
import { correctField } from '../../src/registry/decisions/correct-field.js';
import { linkResult } from '../../src/registry/decisions/link-result.js';
import { mailWith, registrationDocx, resultsDocx } from '../helpers/form-mail.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { auditOf, submissionOfMail } from '../helpers/registry-reads.js';

// The registry's operations through real mail, end to end: the rest of what a person does to the registry is
// checked on PostgreSQL alone (test/operations/registry-operations.test.ts).

const email = (name: string) => readFileSync(fixture('emails', name));
const staff: Actor = { name: 'Nguyễn Thị Lan', via: 'console' };

describe('what a person does to the registry, on mail through the pipeline', () => {
  const env = new PipelineEnv('operations');
  const db = () => env.database.db;
  beforeAll(async () => {
    await env.start();
    // Sở Tư pháp's registration, then its revision: an active initiative a result could be linked to, and a
    // superseded one.
    await env.deliverAndSettle(email('01-so-tu-phap-dang-ky.eml'));
    await env.deliverAndSettle(
      mailWith({
        from: 'vanthu_sotp@hanoi.gov.vn',
        subject: 'Đăng ký sáng kiến (sửa đổi)',
        id: 'sotp-revision',
        files: [
          {
            name: 'dang-ky.docx',
            bytes: await registrationDocx(
              ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ TƯ PHÁP'],
              [{ title: 'Tra cứu lý lịch tư pháp trực tuyến' }],
            ),
          },
        ],
      }),
    );
  }, 120_000);
  afterAll(() => env.tearDown());

  const audit = (action: string) => auditOf(db(), action);
  const submissionOf = (messageId: string) => submissionOfMail(db(), messageId);

  it("links only what counts, never a held stranger's report; corrects a held form, never a replaced initiative", async () => {
    // A stranger's report naming Sở Tư pháp, and a stranger's registration: both held for review.
    await env.deliverAndSettle(
      mailWith({
        from: 'nguoi.la@gmail.com',
        subject: 'Báo cáo kết quả',
        id: 'stranger-results',
        files: [
          {
            name: 'bao-cao.docx',
            bytes: await resultsDocx(
              ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ TƯ PHÁP'],
              [{ title: 'Một sáng kiến không ai đăng ký', status: 'Đã hoàn thành' }],
            ),
          },
        ],
      }),
    );
    await env.deliverAndSettle(
      mailWith({
        from: 'nguoi.la@gmail.com',
        subject: 'Đăng ký sáng kiến',
        id: 'stranger-registration',
        files: [
          {
            name: 'dang-ky.docx',
            bytes: await registrationDocx(
              ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ XÂY DỰNG'],
              [{ title: 'Nhà ở số hóa' }],
            ),
          },
        ],
      }),
    );
    const report = await submissionOf('<stranger-results@test.example>');
    expect(report.status).toBe('pending_review');
    const result = await db()
      .selectFrom('initiative_results')
      .select('id')
      .where('submission_id', '=', report.id)
      .executeTakeFirstOrThrow();
    const target = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select('initiatives.id')
      .where('agencies.code', '=', 'so-tu-phap')
      .where('initiatives.status', '=', 'active')
      .executeTakeFirstOrThrow();
    const linksBefore = (await audit('link_result')).length;
    await expect(
      linkResult(db(), staff, { resultId: result.id, initiativeId: target.id }),
    ).rejects.toMatchObject({ code: 'wrong_state' });
    expect(
      (
        await db()
          .selectFrom('initiative_results')
          .select('initiative_id')
          .where('id', '=', result.id)
          .executeTakeFirstOrThrow()
      ).initiative_id,
    ).toBeNull();
    expect(await audit('link_result')).toHaveLength(linksBefore);

    // The held registration's initiative may be corrected before it is confirmed; a replaced one may not.
    const registration = await submissionOf('<stranger-registration@test.example>');
    expect(registration.status).toBe('pending_review');
    const held = await db()
      .selectFrom('initiatives')
      .select(['id', 'status'])
      .where('submission_id', '=', registration.id)
      .executeTakeFirstOrThrow();
    expect(held.status).toBe('pending_review');
    await correctField(db(), staff, { initiativeId: held.id, field: 'title', value: 'Nhà ở số' });
    const correctionsBefore = (await audit('correct_field')).length;
    const superseded = await db()
      .selectFrom('initiatives')
      .select('id')
      .where('status', '<>', 'active')
      .where('status', '<>', 'pending_review')
      .executeTakeFirst();
    expect(superseded).toBeDefined();
    if (superseded)
      await expect(
        correctField(db(), staff, { initiativeId: superseded.id, field: 'title', value: 'X' }),
      ).rejects.toMatchObject({ code: 'wrong_state' });
    expect(await audit('correct_field')).toHaveLength(correctionsBefore);
  });
});
