import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest } from '../../src/registry/letters/digest.js';
import { resolveCampaign } from '../../src/registry/reference/campaigns.js';
import { importAgencyRegistry } from '../../src/registry/reference/registry-files.js';
import { consolidatedReport } from '../../src/registry/views/report.js';
import { cli } from '../helpers/cli.js';
import { mailWith, registrationDocx, resultsDocx } from '../helpers/form-mail.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';
import { activeTitles, submissionsOf as readSubmissions } from '../helpers/registry-reads.js';

// The office's counting rules, on mail built for each rule, taken in by the intake and the parse job's own code on
// PostgreSQL alone (test/helpers/operations-env.ts); one rule also goes through real mail end to end
// (test/integration/counting-rules.test.ts).

const HANOI = 'UBND THÀNH PHỐ HÀ NỘI';
const GTVT = 'vanthu_sogtvt@hanoi.gov.vn';
const at = (iso: string) => new Date(iso);

describe('what counts', () => {
  const env = new OperationsEnv('counting');
  const db = () => env.database.db;
  const deliver = (raw: Buffer, receivedAt?: Date) => env.receive(raw, receivedAt);
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  const active = (code: string) => activeTitles(db(), code);
  const submissionsOf = (code: string) => readSubmissions(db(), code);
  const resultsOf = (code: string) =>
    db()
      .selectFrom('initiative_results')
      .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
      .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
      .leftJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
      .select([
        'initiative_results.title',
        'initiatives.title as linked_to',
        'initiative_results.needs_review',
      ])
      .where('agencies.code', '=', code)
      .execute();

  it('reads a revision said only in the form’s own title lines', async () => {
    const lines = [HANOI, 'SỞ DU LỊCH'];
    const send = async (id: string, bytes: Buffer) =>
      deliver(
        mailWith({
          from: 'vanthu_sodl@hanoi.gov.vn',
          subject: 'Gửi biểu đăng ký',
          id,
          files: [{ name: 'bieu.docx', bytes }],
        }),
      );
    await send(
      'sodl-1',
      await registrationDocx(lines, [
        { title: 'Bản đồ du lịch số' },
        { title: 'Vé điện tử tại điểm di tích' },
      ]),
    );
    // Nothing in common with the first, no word in the subject or file name: only the title says it replaces.
    await send(
      'sodl-2',
      await registrationDocx(lines, [{ title: 'Cấp phép lữ hành trực tuyến' }], {
        title: 'BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2021 (Bản thay thế biểu gửi ngày 20/7/2021)',
      }),
    );
    expect(await active('so-du-lich')).toEqual(['Cấp phép lữ hành trực tuyến']);
  });

  it('treats a form that shares an initiative as a revision, without the word', async () => {
    const lines = [HANOI, 'SỞ NỘI VỤ'];
    await deliver(
      mailWith({
        from: 'vanthu_sonv@hanoi.gov.vn',
        subject: 'Đăng ký',
        id: 'sonv-1',
        files: [
          {
            name: 'dk.docx',
            bytes: await registrationDocx(lines, [
              { title: 'Chữ ký số cho công chức cấp xã' },
              { title: 'Tuyển dụng công chức trực tuyến' },
            ]),
          },
        ],
      }),
    );
    await deliver(
      mailWith({
        from: 'vanthu_sonv@hanoi.gov.vn',
        subject: 'Gửi lại',
        id: 'sonv-2',
        files: [
          {
            name: 'dk.docx',
            bytes: await registrationDocx(lines, [
              { title: 'Chữ ký số cho công chức cấp xã' },
              { title: 'Đánh giá công chức bằng phần mềm' },
            ]),
          },
        ],
      }),
    );
    expect(await active('so-noi-vu')).toEqual([
      'Chữ ký số cho công chức cấp xã',
      'Đánh giá công chức bằng phần mềm',
    ]);
  });

  it('adds a supplement ("bổ sung") to what was registered; a title it repeats replaces its namesake', async () => {
    const lines = [HANOI, 'SỞ KẾ HOẠCH VÀ ĐẦU TƯ'];
    await deliver(
      mailWith({
        from: 'vanthu_sokhdt@hanoi.gov.vn',
        subject: 'Đăng ký',
        id: 'khdt-1',
        files: [
          {
            name: 'dk.docx',
            bytes: await registrationDocx(lines, [
              { title: 'Đăng ký doanh nghiệp qua mạng' },
              { title: 'Cấp mã số dự án trực tuyến' },
            ]),
          },
        ],
      }),
    );
    await deliver(
      mailWith({
        from: 'vanthu_sokhdt@hanoi.gov.vn',
        subject: 'Đăng ký bổ sung sáng kiến',
        id: 'khdt-2',
        files: [
          {
            name: 'dk-bo-sung.docx',
            bytes: await registrationDocx(lines, [
              { title: 'Đăng ký doanh nghiệp qua mạng', timeline: 'Quý IV/2021' },
              { title: 'Bản đồ số thu hút đầu tư' },
            ]),
          },
        ],
      }),
    );
    expect((await active('so-ke-hoach-dau-tu')).sort()).toEqual(
      ['Bản đồ số thu hút đầu tư', 'Cấp mã số dự án trực tuyến', 'Đăng ký doanh nghiệp qua mạng'].sort(),
    );
    expect((await submissionsOf('so-ke-hoach-dau-tu')).map((s) => s.status)).toEqual(['active', 'active']);
  });

  it('counts the same form in two formats once, in one mail: the Word file is the original', async () => {
    const docx = readFileSync(fixture('forms', 'dk-so-giao-thong-van-tai.docx'));
    const pdf = readFileSync(fixture('forms', 'dk-so-giao-thong-van-tai-ban-in.pdf'));
    await deliver(
      mailWith({
        from: GTVT,
        subject: 'Đăng ký sáng kiến',
        id: 'gtvt-two-formats',
        files: [
          { name: 'Bieu dang ky.pdf', bytes: pdf },
          { name: 'Bieu dang ky.docx', bytes: docx },
        ],
      }),
    );
    const subs = await submissionsOf('so-giao-thong-van-tai');
    expect(subs.map((s) => s.status).sort()).toEqual(['active', 'duplicate']);
    const original = subs.find((s) => s.status === 'active');
    const copy = subs.find((s) => s.status === 'duplicate');
    expect(copy?.duplicate_of_id).toBe(original?.id);
    const files = await db()
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .select(['submissions.status', 'attachments.filename'])
      .where('submissions.id', '=', original?.id ?? '')
      .executeTakeFirstOrThrow();
    expect(files.filename).toBe('Bieu dang ky.docx');
    const expected = JSON.parse(
      readFileSync(fixture('forms', 'dk-so-giao-thong-van-tai.expected.json'), 'utf8'),
    );
    expect((await active('so-giao-thong-van-tai')).length).toBe(expected.initiatives.length);
    // The same form sent again as a .doc copy, in a later mail: a copy of the first, whatever its format.
    const sotp = readFileSync(fixture('forms', 'dk-so-tu-phap.docx'));
    const doc = readFileSync(fixture('forms', 'libreoffice', 'dk-so-tu-phap.doc'));
    await deliver(
      mailWith({
        from: 'vanthu_sotp@hanoi.gov.vn',
        subject: 'Đăng ký',
        id: 'sotp-docx',
        files: [{ name: 'dk.docx', bytes: sotp }],
      }),
    );
    await deliver(
      mailWith({
        from: 'vanthu_sotp@hanoi.gov.vn',
        subject: 'Gửi lại',
        id: 'sotp-doc',
        files: [{ name: 'dk.doc', bytes: doc }],
      }),
    );
    const [first] = await submissionsOf('so-tu-phap');
    expect((await submissionsOf('so-tu-phap')).map((s) => s.status)).toEqual(['active', 'duplicate']);
    // The acknowledgement of the copy, as it waits in the outbox to be sent.
    const copyAck = await env.acknowledgementOf('<sotp-doc@test.example>');
    expect(copyAck.text).toContain(
      `trùng với hồ sơ đã tiếp nhận trước đó (số tiếp nhận: ${first?.reference})`,
    );
  });

  it('links a results report to its registration in the same mail', async () => {
    const lines = [HANOI, 'SỞ XÂY DỰNG'];
    const reg = await registrationDocx(lines, [{ title: 'Cấp phép xây dựng trực tuyến mức độ 4' }]);
    const res = await resultsDocx(lines, [
      { title: 'Cấp phép xây dựng trực tuyến mức độ 4', status: 'Đã hoàn thành' },
    ]);
    await deliver(
      mailWith({
        from: 'vanthu_soxd@hanoi.gov.vn',
        subject: 'Hồ sơ sáng kiến',
        id: 'soxd-both',
        files: [
          { name: 'bao-cao.docx', bytes: res },
          { name: 'dang-ky.docx', bytes: reg },
        ],
      }),
    );
    expect(await resultsOf('so-xay-dung')).toEqual([
      {
        title: 'Cấp phép xây dựng trực tuyến mức độ 4',
        linked_to: 'Cấp phép xây dựng trực tuyến mức độ 4',
        needs_review: false,
      },
    ]);
  });

  it.each([
    ['the results first', 'so-cong-thuong', 'SỞ CÔNG THƯƠNG', 'vanthu_soct@hanoi.gov.vn', true],
    [
      'the registration first',
      'so-tai-nguyen-moi-truong',
      'SỞ TÀI NGUYÊN VÀ MÔI TRƯỜNG',
      'vanthu_sotnmt@hanoi.gov.vn',
      false,
    ],
  ])(
    'links results whichever of two mails is read first (%s)',
    async (_name, code, agencyLine, from, resultsFirst) => {
      const lines = [HANOI, agencyLine];
      const title = 'Hệ thống quản lý hồ sơ một cửa liên thông';
      const reg = mailWith({
        from,
        subject: 'Đăng ký',
        id: `${code}-reg`,
        files: [{ name: 'dk.docx', bytes: await registrationDocx(lines, [{ title }]) }],
      });
      const res = mailWith({
        from,
        subject: 'Báo cáo kết quả',
        id: `${code}-res`,
        files: [{ name: 'bc.docx', bytes: await resultsDocx(lines, [{ title, status: 'Đang triển khai' }]) }],
      });
      for (const m of resultsFirst ? [res, reg] : [reg, res]) await deliver(m);
      expect(await resultsOf(code)).toEqual([{ title, linked_to: title, needs_review: false }]);
    },
  );

  it('counts no result from a sender it does not know until a person confirms it', async () => {
    const lines = [HANOI, 'SỞ Y TẾ'];
    const title = 'Đặt lịch khám bệnh trực tuyến';
    await deliver(
      mailWith({
        from: 'vanthu_soyt@hanoi.gov.vn',
        subject: 'Đăng ký',
        id: 'soyt-reg',
        files: [{ name: 'dk.docx', bytes: await registrationDocx(lines, [{ title }]) }],
      }),
    );
    await deliver(
      mailWith({
        from: 'someone@gmail.com',
        subject: 'Báo cáo',
        id: 'soyt-res',
        files: [{ name: 'bc.docx', bytes: await resultsDocx(lines, [{ title, status: 'Đã hoàn thành' }]) }],
      }),
    );
    const results = await resultsOf('so-y-te');
    expect(results).toEqual([{ title, linked_to: null, needs_review: false }]);
    const held = (await submissionsOf('so-y-te')).find((s) => s.kind === 'results_report');
    expect(held?.status).toBe('pending_review');
  });

  it('orders by arrival, not by the order the jobs finish in', async () => {
    // The revision arrived first in time but is read after: the older form must not replace it.
    const lines = [HANOI, 'SỞ GIÁO DỤC VÀ ĐÀO TẠO'];
    const later = mailWith({
      from: 'vanthu_sogddt@hanoi.gov.vn',
      subject: 'Đăng ký (thay thế)',
      id: 'gddt-2',
      files: [
        {
          name: 'dk.docx',
          bytes: await registrationDocx(lines, [
            { title: 'Tuyển sinh đầu cấp trực tuyến' },
            { title: 'Học bạ điện tử' },
          ]),
        },
      ],
    });
    const earlier = mailWith({
      from: 'vanthu_sogddt@hanoi.gov.vn',
      subject: 'Đăng ký',
      id: 'gddt-1',
      files: [
        {
          name: 'dk.docx',
          bytes: await registrationDocx(lines, [
            { title: 'Tuyển sinh đầu cấp trực tuyến' },
            { title: 'Sổ liên lạc điện tử' },
          ]),
        },
      ],
    });
    await deliver(later, at('2021-07-28T03:00:00Z'));
    await deliver(earlier, at('2021-07-20T03:00:00Z'));
    expect((await active('so-giao-duc-dao-tao')).sort()).toEqual([
      'Học bạ điện tử',
      'Tuyển sinh đầu cấp trực tuyến',
    ]);
  });
});

describe('communes and wards', () => {
  const env = new OperationsEnv('communes');
  const db = () => env.database.db;
  const deliver = (raw: Buffer, receivedAt?: Date) => env.receive(raw, receivedAt);
  beforeAll(async () => {
    await env.setUp();
    const dir = mkdtempSync(join(tmpdir(), 'communes-'));
    const csv = join(dir, 'communes.csv');
    writeFileSync(
      csv,
      'code,name,kind,quota,email,parent\nxa-van-noi,UBND xã Vân Nội,commune,,vanthu_vannoi@hanoi.gov.vn,huyen-dong-anh\nxa-uy-no,UBND xã Uy Nỗ,commune,,vanthu_uyno@hanoi.gov.vn,huyen-dong-anh\n',
    );
    await importAgencyRegistry(db(), csv);
  }, 60_000);
  afterAll(() => env.tearDown());

  it('counts a commune’s form toward its district, whether the commune or the district sends it', async () => {
    const ownForm = await registrationDocx(
      ['UBND HUYỆN ĐÔNG ANH', 'UBND XÃ VÂN NỘI'],
      [{ title: 'Bộ phận một cửa xã không giấy tờ' }],
    );
    await deliver(
      mailWith({
        from: 'vanthu_vannoi@hanoi.gov.vn',
        subject: 'Đăng ký',
        id: 'vannoi',
        files: [{ name: 'dk.docx', bytes: ownForm }],
      }),
    );
    const sentByDistrict = await registrationDocx(
      ['UBND HUYỆN ĐÔNG ANH', 'UBND XÃ UY NỖ'],
      [{ title: 'Số hóa sổ hộ tịch cấp xã' }],
    );
    await deliver(
      mailWith({
        from: 'vanthu_donganh@hanoi.gov.vn',
        subject: 'Gửi biểu của xã Uy Nỗ',
        id: 'uyno',
        files: [{ name: 'dk.docx', bytes: sentByDistrict }],
      }),
    );
    const subs = await db()
      .selectFrom('submissions')
      .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
      .select(['agencies.code', 'submissions.status'])
      .orderBy('submissions.id')
      .execute();
    expect(subs).toEqual([
      { code: 'xa-van-noi', status: 'active' },
      { code: 'xa-uy-no', status: 'active' },
    ]);
    const status = await cli(env.database.url, 'status', '--json');
    const rows: { agency: string; registered: number; short_by: number; members: { code: string }[] }[] =
      JSON.parse(status.stdout).agencies;
    const district = rows.find((r) => r.agency === 'huyen-dong-anh');
    expect(district).toMatchObject({ registered: 2, short_by: 0 });
    expect(district?.members.map((m) => m.code).sort()).toEqual(['xa-uy-no', 'xa-van-noi']);
    expect(rows.find((r) => r.agency === 'xa-van-noi')).toBeUndefined();
    // The report lists them under the district, the digest names them beside it.
    const campaign = await resolveCampaign(db());
    const report = await consolidatedReport(db(), campaign, new Date('2021-08-02T00:00:00Z'));
    expect(report.rows.map((r) => r.agency)).toContain('UBND huyện Đông Anh – UBND xã Vân Nội');
    const digest = await buildDigest({ db: db(), config: env.config }, new Date('2021-08-02T00:00:00Z'));
    expect(digest?.view.agencies.find((a) => a.name === 'UBND huyện Đông Anh')?.members).toMatch(
      /UBND xã Uy Nỗ \(1\)/,
    );
  });
});
