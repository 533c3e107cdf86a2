import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertCampaign } from '../../src/db/campaign.repository.js';
import { OperationRefused } from '../../src/errors.js';
import { defaultDataFiles } from '../../src/ops/project-root.js';
import { assessInitiative, undoAssessment } from '../../src/registry/decisions/assess-initiative.js';
import { resolveCampaign } from '../../src/registry/reference/campaigns.js';
import { parseCampaignFile } from '../../src/registry/reference/data-files.js';
import { campaignAssessment } from '../../src/registry/views/assessment.js';
import { evidencePack } from '../../src/registry/views/evidence-pack.js';
import { reportFile } from '../../src/registry/views/report.js';
import { mailWith, registrationDocx } from '../helpers/form-mail.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// The PAR-index assessment of each agency: the facts from what the registry holds (one rule, fed by a view), staff's
// assessment of reported results (audited, undoable), and the sheet "Đánh giá" of the report.

const staff = { name: 'Nguyễn Thị Hoa', via: 'cli' as const };
const at = (iso: string) => new Date(`${iso}+07:00`);
const AFTER_RESULTS = at('2021-12-10T09:00:00');

describe('the assessment of each agency', () => {
  // The 2021 mails are answered as they were then, years later.
  const env = new OperationsEnv('assessment', { IMAP_MAX_ACK_AGE_DAYS: '36500' });
  const db = () => env.db;
  const campaign = () => resolveCampaign(db(), 'hanoi-2021');
  const mail = (name: string) => readFileSync(fixture(`emails/${name}.eml`));

  beforeAll(async () => {
    await env.setUp();
    // The 2021 campaign with an agency given its own deadline, one exempt, and a scoring table.
    const file = parseCampaignFile(readFileSync(defaultDataFiles().campaign, 'utf8'));
    await upsertCampaign(db(), {
      ...file,
      extensions: { 'so-y-te': { registration: '2021-08-16' } },
      exempt: ['so-giao-thong-van-tai'],
      scoring: {
        points: { registered_on_time: 2, quota_met: 2, results_on_time: 2, effective: 1, late_form: -1 },
      },
    });
    await env.receive(mail('01-so-tu-phap-dang-ky'), at('2021-07-26T09:14:05')); // on time
    await env.receive(mail('10-so-tu-phap-bao-cao-ket-qua'), at('2021-11-22T15:45:00')); // results on time
    await env.receive(mail('02-huyen-thanh-tri-scan-va-word'), at('2021-08-05T10:00:00')); // late
    await env.receive(mail('13-huyen-thanh-tri-bao-cao'), at('2021-12-02T09:10:00')); // results late
    await env.receive(
      mailWith({
        from: 'vanthu_soyt@hanoi.gov.vn',
        subject: 'Đăng ký sáng kiến CCHC năm 2021',
        id: 'soyt-2021',
        date: at('2021-08-10T08:00:00'),
        files: [
          {
            name: 'dang-ky-so-y-te.docx',
            bytes: await registrationDocx(
              ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'],
              [{ title: 'Đặt lịch khám bệnh trực tuyến tại các bệnh viện công lập' }],
            ),
          },
        ],
      }),
      at('2021-08-10T08:00:00'), // after 2/8, before its own deadline 16/8
    );
  }, 120_000);
  afterAll(() => env.tearDown());

  const factsOf = async (code: string) => {
    const all = await campaignAssessment(db(), await campaign(), AFTER_RESULTS);
    const a = all.agencies.find((x) => x.code === code);
    if (!a) throw new Error(`no assessment of ${code}`);
    return a;
  };

  it('an agency on time: registered by the deadline with its receipt, results on time, points as the table says', async () => {
    const a = await factsOf('so-tu-phap');
    expect(a.registration.onTime).toBe(true);
    expect(a.registration.first?.reference).toMatch(/^CCHC-2021-\d{5}$/);
    expect(a.quotaMet).toBe(true);
    expect(a.results).toMatchObject({ onTime: true, allReported: true });
    expect(a.results.reported).toBe(a.registered);
    expect(a.lateForms).toEqual([]);
    expect(a.score).toEqual({
      total: 6,
      byFact: { registered_on_time: 2, quota_met: 2, results_on_time: 2, effective: 0, late_form: 0 },
    });
  });

  it('a late agency: registration and results after their days, each late form counted against it', async () => {
    const a = await factsOf('huyen-thanh-tri');
    expect(a.registration.onTime).toBe(false);
    expect(a.results.onTime).toBe(false);
    expect(a.lateForms.length).toBeGreaterThanOrEqual(2);
    expect(a.lateForms.every((f) => f.late)).toBe(true);
  });

  it('an extended agency is on time by its own deadline; an exempt one is required nothing and not scored', async () => {
    const extended = await factsOf('so-y-te');
    expect(extended.extension).toEqual({ registration: '2021-08-16' });
    expect(extended.registration).toMatchObject({ deadline: '2021-08-16', onTime: true });
    expect(extended.results.onTime).toBe(false); // the results deadline has passed without a report
    expect(extended.initiatives.unreported).toBe(1);
    const exempt = await factsOf('so-giao-thong-van-tai');
    expect(exempt).toMatchObject({ exempt: true, required: 0, score: null });
  });

  it('staff assess a reported initiative; the report shows it; taking it back is audited and shows again', async () => {
    const sheetRow = async () => {
      const file = await reportFile(db(), await campaign(), 'xlsx', AFTER_RESULTS);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(file.bytes as unknown as ArrayBuffer);
      const ws = wb.worksheets.find((w) => /đánh giá/i.test(w.name));
      if (!ws) throw new Error('no assessment sheet');
      const header = ws.getRow(4);
      const rows: Record<string, unknown>[] = [];
      ws.eachRow((row, n) => {
        if (n <= 4 || typeof row.getCell(1).value !== 'number') return;
        const cells: Record<string, unknown> = {};
        for (let c = 1; c <= header.cellCount; c++)
          cells[String(header.getCell(c).value)] = row.getCell(c).value;
        rows.push(cells);
      });
      return rows;
    };
    const registryAgencies = await db()
      .selectFrom('agencies')
      .select('id')
      .where('active', '=', true)
      .execute();
    expect(await sheetRow()).toHaveLength(registryAgencies.length);

    const tuPhap = await factsOf('so-tu-phap');
    const initiative = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select('initiatives.id')
      .where('agencies.code', '=', 'so-tu-phap')
      .where('initiatives.status', '=', 'active')
      .executeTakeFirstOrThrow();
    expect(tuPhap.assessment.effective).toBe(0);

    await assessInitiative(db(), staff, {
      initiativeId: initiative.id,
      verdict: 'not_effective',
      note: 'Chưa có số liệu',
    });
    await assessInitiative(db(), staff, {
      initiativeId: initiative.id,
      verdict: 'effective',
      note: 'Đã kiểm tra số liệu',
    });
    const row = (rows: Record<string, unknown>[]) => rows.find((r) => r['Cơ quan, đơn vị'] === 'Sở Tư pháp');
    expect(row(await sheetRow())).toMatchObject({ 'Hiệu quả': 1, 'Chưa hiệu quả': 0, Điểm: 7 });

    // Taking it back brings the assessment it replaced back into force.
    const undone = await undoAssessment(db(), staff, { initiativeId: initiative.id, note: 'Nhầm' });
    expect(undone.verdict).toBe('not_effective');
    expect(row(await sheetRow())).toMatchObject({ 'Hiệu quả': 0, 'Chưa hiệu quả': 1, Điểm: 6 });
    await undoAssessment(db(), staff, { initiativeId: initiative.id });
    expect(row(await sheetRow())).toMatchObject({ 'Hiệu quả': 0, 'Chưa hiệu quả': 0 });
    await expect(undoAssessment(db(), staff, { initiativeId: initiative.id })).rejects.toBeInstanceOf(
      OperationRefused,
    );

    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'before', 'after', 'note', 'actor'])
      .where('subject_type', '=', 'initiative')
      .where('subject_id', '=', initiative.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'assess_initiative',
      'assess_initiative',
      'undo_assessment',
      'undo_assessment',
    ]);
    expect(audit[1]).toMatchObject({
      before: { verdict: 'not_effective' },
      after: { verdict: 'effective' },
      note: 'Đã kiểm tra số liệu',
      actor: 'Nguyễn Thị Hoa',
    });
  });

  it('an initiative without a reported result is not assessed', async () => {
    const soYTe = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select('initiatives.id')
      .where('agencies.code', '=', 'so-y-te')
      .executeTakeFirstOrThrow();
    await expect(
      assessInitiative(db(), staff, { initiativeId: soYTe.id, verdict: 'effective' }),
    ).rejects.toMatchObject({ code: 'wrong_state' });
  });

  it("an agency's evidence pack holds its forms as received, its mails, the office's answers and a summary", async () => {
    const pack = await evidencePack(db(), await campaign(), 'huyen-thanh-tri', AFTER_RESULTS, {
      mailFrom: env.config.MAIL_FROM,
      issuer: env.config.OFFICE_NAME,
    });
    expect(pack.filename).toBe('tai-lieu-kiem-chung-huyen-thanh-tri-hanoi-2021.zip');
    const files = unzipSync(new Uint8Array(pack.bytes));
    const names = Object.keys(files).sort();
    expect(names).toEqual([...pack.entries].sort());

    // Its two mails, byte for byte as received (arrival and authentication in their headers).
    const mails = names.filter((n) => n.startsWith('1-thu-den/') && n.endsWith('.eml'));
    expect(mails).toHaveLength(2);
    const received = mails.map((n) => Buffer.from(files[n] as Uint8Array));
    expect(received).toContainEqual(mail('02-huyen-thanh-tri-scan-va-word'));
    expect(received).toContainEqual(mail('13-huyen-thanh-tri-bao-cao'));

    // Its files as received: the Word forms (and the scan beside the registration), bytes unchanged.
    const forms = names.filter((n) => n.startsWith('2-ho-so/'));
    expect(forms.filter((n) => n.endsWith('.docx')).length).toBeGreaterThanOrEqual(2);
    const stored = await db()
      .selectFrom('attachments')
      .innerJoin('messages', 'messages.id', 'attachments.message_id')
      .innerJoin('agencies', 'agencies.id', 'messages.agency_id')
      .select(['attachments.bytes'])
      .where('agencies.code', '=', 'huyen-thanh-tri')
      .execute();
    expect(forms).toHaveLength(stored.length);
    for (const f of stored)
      expect(forms.some((n) => Buffer.from(files[n] as Uint8Array).equals(f.bytes))).toBe(true);

    // The office's acknowledgement of each mail, as an .eml with its subject and date.
    const answers = names.filter((n) => n.startsWith('3-thu-da-gui/'));
    expect(answers.length).toBeGreaterThanOrEqual(2);
    const answer = strFromU8(files[answers[0] as string] as Uint8Array);
    expect(answer).toMatch(/^Subject: /m);
    expect(answer).toMatch(/^Date: /m);
    expect(answer).toMatch(/^To: vanthu_thanhtri@hanoi\.gov\.vn/m);

    // The summary names each fact and the pieces it rests on.
    const summary = names.find((n) => n.endsWith('.docx') && n.startsWith('0-'));
    expect(summary).toBe('0-tong-hop-tai-lieu-kiem-chung-huyen-thanh-tri.docx');
    const text = documentText(files[summary as string] as Uint8Array);
    expect(text).toContain('TÀI LIỆU KIỂM CHỨNG');
    expect(text).toContain('UBND huyện Thanh Trì');
    expect(text).toContain('Đăng ký đúng hạn');
    expect(text).toContain('Gửi sau hạn');
    for (const n of [...mails, ...forms, ...answers]) expect(text).toContain(n);
  });

  it('an unknown agency has no pack', async () => {
    await expect(
      evidencePack(db(), await campaign(), 'khong-co', AFTER_RESULTS, { mailFrom: env.config.MAIL_FROM }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});

/** The text of a Word document's body, its runs joined. */
function documentText(docx: Uint8Array): string {
  const xml = strFromU8(unzipSync(docx)['word/document.xml'] as Uint8Array);
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(' ');
}
