import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataFiles } from '../../src/ops/project-root.js';
import type { ParsedForm, ParsedInitiative } from '../../src/parser/form-types.js';
import { type AttachmentContext, recordParseResult } from '../../src/registry/intake/record-parse-result.js';
import { importAgencyRegistry, loadCampaignFile } from '../../src/registry/reference/registry-files.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { random } from '../helpers/form-variants.js';

// The same parse results recorded in many orders (as jobs may finish in any order) must leave the same registry.

const initiative = (title: string, timeline = 'Tháng 8 - 12/2021'): ParsedInitiative => ({
  title,
  summary: `Tóm tắt: ${title}`,
  necessity: null,
  expected_results: null,
  products: null,
  beneficiaries: null,
  benefits: null,
  timeline,
  start: '2021-08',
  end: '2021-12',
  lead_unit: null,
  notes: null,
});
const registration = (agency: string, titles: string[]): ParsedForm => ({
  kind: 'registration',
  agency_code: agency,
  agency_name: null,
  year: 2021,
  initiatives: titles.map((t) => initiative(t)),
  results: [],
  warnings: [],
  uncertain: [],
});
const results = (agency: string, rows: [string, 'completed' | 'in_progress'][]): ParsedForm => ({
  kind: 'results_report',
  agency_code: agency,
  agency_name: null,
  year: 2021,
  initiatives: [],
  results: rows.map(([title, status]) => ({ title, status, outcome: null })),
  warnings: [],
  uncertain: [],
});

interface File {
  name: string;
  from: string | null;
  subject: string;
  /** Minutes after the first mail. */
  arrival: number;
  form: ParsedForm;
}

// Two agencies' season: a revision, a supplement, a copy in another format in the same mail, results before
// and after their registration, a later report for the same initiative, and a stranger's report.
const FILES: File[] = [
  {
    name: 'tc-dk.docx',
    from: 'vanthu_sotc@hanoi.gov.vn',
    subject: 'Đăng ký',
    arrival: 0,
    form: registration('so-tai-chinh', ['Thanh toán phí trực tuyến', 'Số hóa hồ sơ quyết toán']),
  },
  {
    name: 'tc-dk-sua-doi.docx',
    from: 'vanthu_sotc@hanoi.gov.vn',
    subject: 'Đăng ký (sửa đổi)',
    arrival: 10,
    form: registration('so-tai-chinh', ['Thanh toán phí và lệ phí trực tuyến', 'Một cửa cấp mã ngân sách']),
  },
  {
    name: 'tc-dk-sua-doi.pdf',
    from: 'vanthu_sotc@hanoi.gov.vn',
    subject: 'Đăng ký (sửa đổi)',
    arrival: 10,
    form: registration('so-tai-chinh', ['Thanh toán phí và lệ phí trực tuyến', 'Một cửa cấp mã ngân sách']),
  },
  {
    name: 'tc-bo-sung.docx',
    from: 'vanthu_sotc@hanoi.gov.vn',
    subject: 'Đăng ký bổ sung',
    arrival: 20,
    form: registration('so-tai-chinh', ['Hóa đơn điện tử cho đơn vị sự nghiệp']),
  },
  {
    name: 'tc-bc-1.docx',
    from: 'vanthu_sotc@hanoi.gov.vn',
    subject: 'Báo cáo',
    arrival: 30,
    form: results('so-tai-chinh', [
      ['Thanh toán phí và lệ phí trực tuyến', 'in_progress'],
      ['Một cửa cấp mã ngân sách', 'completed'],
    ]),
  },
  {
    name: 'tc-bc-2.docx',
    from: 'vanthu_sotc@hanoi.gov.vn',
    subject: 'Báo cáo',
    arrival: 40,
    form: results('so-tai-chinh', [['Thanh toán phí và lệ phí trực tuyến', 'completed']]),
  },
  {
    name: 'xd-bc.docx',
    from: 'vanthu_soxd@hanoi.gov.vn',
    subject: 'Báo cáo',
    arrival: 1,
    form: results('so-xay-dung', [['Cấp phép xây dựng trực tuyến', 'completed']]),
  },
  {
    name: 'xd-dk.docx',
    from: 'vanthu_soxd@hanoi.gov.vn',
    subject: 'Đăng ký',
    arrival: 5,
    form: registration('so-xay-dung', ['Cấp phép xây dựng trực tuyến']),
  },
  {
    name: 'xd-la.docx',
    from: null,
    subject: 'Báo cáo',
    arrival: 6,
    form: results('so-xay-dung', [['Cấp phép xây dựng trực tuyến', 'in_progress']]),
  },
];

describe('the registry after a set of mails', () => {
  let t: TestDatabase;
  const contexts = new Map<string, AttachmentContext>();
  beforeAll(async () => {
    t = await createTestDatabase('order_independence');
    await importAgencyRegistry(t.db, defaultDataFiles().registry);
    await loadCampaignFile(t.db, defaultDataFiles().campaign);
    const agencyOf = new Map(
      (await t.db.selectFrom('agency_addresses').select(['email', 'agency_id']).execute()).map((a) => [
        a.email,
        a.agency_id,
      ]),
    );
    const start = Date.parse('2021-07-20T02:00:00Z');
    const messages = new Map<string, string>();
    const uids = new Map<string, string>();
    for (const [uid, f] of FILES.entries()) {
      const key = `${f.from}|${f.arrival}`;
      let messageId = messages.get(key);
      if (!uids.has(key)) uids.set(key, String(uid + 1));
      if (!messageId) {
        const m = await t.db
          .insertInto('messages')
          .values({
            mailbox: 'INBOX',
            uidvalidity: '1',
            uid: String(uid + 1),
            raw_sha256: createHash('sha256').update(key).digest('hex'),
            raw_size: 100,
            from_address: f.from,
            subject: f.subject,
            received_at: new Date(start + f.arrival * 60_000),
            agency_id: f.from ? (agencyOf.get(f.from) ?? null) : null,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        messageId = m.id;
        messages.set(key, messageId);
      }
      const bytes = Buffer.from(f.name);
      const a = await t.db
        .insertInto('attachments')
        .values({
          message_id: messageId,
          part: String(uid + 2),
          filename: f.name,
          content_type: f.name.endsWith('.pdf')
            ? 'application/pdf'
            : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
          size: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      contexts.set(f.name, {
        id: a.id,
        messageId,
        sha256: '',
        senderAgencyId: f.from ? (agencyOf.get(f.from) ?? null) : null,
        receivedAt: new Date(start + f.arrival * 60_000),
        authVerdict: 'none',
        trust: 'trusted',
        subject: f.subject,
        filename: f.name,
        uid: uids.get(key),
      });
    }
  }, 60_000);
  afterAll(() => t.drop());

  /** The registry, named by file and position rather than by serial ids and references (which follow arrival). */
  async function snapshot() {
    const subs = await t.db
      .selectFrom('submissions')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .leftJoin('submissions as orig', 'orig.id', 'submissions.duplicate_of_id')
      .leftJoin('attachments as orig_file', 'orig_file.id', 'orig.attachment_id')
      .select([
        'attachments.filename',
        'submissions.status',
        'orig_file.filename as copy_of',
        'submissions.review_reasons',
      ])
      .orderBy('attachments.filename')
      .execute();
    const place = (file: string | null, position: number | null) => (file ? `${file}#${position}` : null);
    const initiatives = await t.db
      .selectFrom('initiatives')
      .innerJoin('submissions', 'submissions.id', 'initiatives.submission_id')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .leftJoin('initiatives as next', 'next.id', 'initiatives.superseded_by_id')
      .leftJoin('submissions as ns', 'ns.id', 'next.submission_id')
      .leftJoin('attachments as nf', 'nf.id', 'ns.attachment_id')
      .select([
        'attachments.filename',
        'initiatives.position',
        'initiatives.status',
        'nf.filename as next_file',
        'next.position as next_position',
      ])
      .execute();
    const res = await t.db
      .selectFrom('initiative_results')
      .innerJoin('submissions', 'submissions.id', 'initiative_results.submission_id')
      .innerJoin('attachments', 'attachments.id', 'submissions.attachment_id')
      .leftJoin('initiatives', 'initiatives.id', 'initiative_results.initiative_id')
      .leftJoin('submissions as is', 'is.id', 'initiatives.submission_id')
      .leftJoin('attachments as if', 'if.id', 'is.attachment_id')
      .select([
        'attachments.filename',
        'initiative_results.position',
        'if.filename as to_file',
        'initiatives.position as to_position',
        'initiative_results.superseded',
        'initiative_results.needs_review',
      ])
      .execute();
    return {
      submissions: subs,
      initiatives: initiatives
        .map((i) => `${place(i.filename, i.position)} ${i.status} → ${place(i.next_file, i.next_position)}`)
        .sort(),
      results: res
        .map(
          (r) =>
            `${place(r.filename, r.position)} → ${place(r.to_file, r.to_position)} ${r.superseded ? 'superseded' : ''} ${r.needs_review ? 'review' : ''}`,
        )
        .sort(),
    };
  }

  async function recordInOrder(order: File[]) {
    await t.db.deleteFrom('submissions').execute();
    for (const f of order) {
      const ctx = contexts.get(f.name);
      if (!ctx) throw new Error(f.name);
      await recordParseResult(t.db, ctx, { ok: true, form: f.form });
    }
    return snapshot();
  }

  it('is the same whatever order the files are recorded in', async () => {
    const inArrival = await recordInOrder([...FILES].sort((a, b) => a.arrival - b.arrival));
    // What the rules say, in arrival order: the revision replaced the first form, its PDF is a copy, the supplement
    // added, the later report replaced the earlier for its initiative, the stranger's report is held.
    expect(inArrival.submissions.map((s) => [s.filename, s.status, s.copy_of])).toEqual([
      ['tc-bc-1.docx', 'active', null],
      ['tc-bc-2.docx', 'active', null],
      ['tc-bo-sung.docx', 'active', null],
      ['tc-dk-sua-doi.docx', 'active', null],
      ['tc-dk-sua-doi.pdf', 'duplicate', 'tc-dk-sua-doi.docx'],
      ['tc-dk.docx', 'superseded', null],
      ['xd-bc.docx', 'active', null],
      ['xd-dk.docx', 'active', null],
      ['xd-la.docx', 'pending_review', null],
    ]);
    expect(inArrival.results).toEqual(
      [
        'tc-bc-1.docx#1 → tc-dk-sua-doi.docx#1 superseded ',
        'tc-bc-1.docx#2 → tc-dk-sua-doi.docx#2  ',
        'tc-bc-2.docx#1 → tc-dk-sua-doi.docx#1  ',
        'xd-bc.docx#1 → xd-dk.docx#1  ',
        'xd-la.docx#1 → null  ',
      ].sort(),
    );
    for (let seed = 1; seed <= 12; seed++) {
      const order = random(seed).shuffle(FILES);
      expect(await recordInOrder(order), `order ${order.map((f) => f.name).join(', ')}`).toEqual(inArrival);
    }
  }, 120_000);
});
