import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mailWith, registrationDocx } from '../helpers/form-mail.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import {
  activeTitles,
  initiativesOf as readInitiatives,
  submissionsOf as readSubmissions,
} from '../helpers/registry-reads.js';
import { waitFor } from '../helpers/wait-for.js';

// A counting rule through the real poller, parser and workers, end to end, down to the acknowledgement the sender
// receives; the office's other counting rules are checked on PostgreSQL alone (test/operations/counting-rules.test.ts).

const HANOI = 'UBND THÀNH PHỐ HÀ NỘI';

describe('what counts, on mail through the pipeline', () => {
  const env = new PipelineEnv('counting');
  const db = () => env.database.db;
  const deliver = (raw: Buffer, receivedAt?: Date) => env.deliverAndSettle(raw, receivedAt);
  beforeAll(async () => {
    await env.start();
  }, 60_000);
  afterAll(() => env.tearDown());

  const initiativesOf = (code: string) => readInitiatives(db(), code);
  const active = (code: string) => activeTitles(db(), code);
  const submissionsOf = (code: string) => readSubmissions(db(), code);
  it('replaces a registration with its revision as a whole: a reworded title replaced, a dropped one gone, a new one added', async () => {
    const lines = [HANOI, 'SỞ TÀI CHÍNH'];
    const first = await registrationDocx(lines, [
      { title: 'Thanh toán phí, lệ phí trực tuyến' },
      { title: 'Số hóa hồ sơ quyết toán ngân sách' },
    ]);
    await deliver(
      mailWith({
        from: 'vanthu_sotc@hanoi.gov.vn',
        subject: 'Đăng ký sáng kiến CCHC',
        id: 'sotc-1',
        files: [{ name: 'Bieu dang ky.docx', bytes: first }],
      }),
    );
    const revised = await registrationDocx(lines, [
      { title: 'Thanh toán phí và lệ phí trực tuyến' },
      { title: 'Một cửa điện tử cho hồ sơ cấp mã ngân sách' },
    ]);
    await deliver(
      mailWith({
        from: 'vanthu_sotc@hanoi.gov.vn',
        subject: 'Biểu đăng ký (sửa đổi)',
        id: 'sotc-2',
        files: [{ name: 'Bieu dang ky.docx', bytes: revised }],
      }),
    );
    expect(await active('so-tai-chinh')).toEqual([
      'Thanh toán phí và lệ phí trực tuyến',
      'Một cửa điện tử cho hồ sơ cấp mã ngân sách',
    ]);
    const all = await initiativesOf('so-tai-chinh');
    const old = all.find((i) => i.title === 'Thanh toán phí, lệ phí trực tuyến');
    expect(old?.status).toBe('superseded');
    expect(all.find((i) => i.id === old?.superseded_by_id)?.title).toBe(
      'Thanh toán phí và lệ phí trực tuyến',
    );
    expect(all.find((i) => i.title === 'Số hóa hồ sơ quyết toán ngân sách')?.status).toBe('superseded');
    expect((await submissionsOf('so-tai-chinh')).map((s) => s.status)).toEqual(['superseded', 'active']);
    // The sender is told exactly what happened, by title.
    const ack = await waitFor(
      () => env.smtp.mails.find((m) => m.parsed.inReplyTo === '<sotc-2@test.example>'),
      {
        what: 'the acknowledgement of the revision',
      },
    );
    expect(ack.parsed.text).toContain(
      '"Thanh toán phí và lệ phí trực tuyến" thay thế "Thanh toán phí, lệ phí trực tuyến"',
    );
    expect(ack.parsed.text).toContain('- Không còn được tính: "Số hóa hồ sơ quyết toán ngân sách"');
  });
});
