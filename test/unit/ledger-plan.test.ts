import { describe, expect, it } from 'vitest';
import { arrivalOrder, type LedgerSubmission, originalOf, planLedger } from '../../src/domain/ledger-plan.js';

let nextId = 1;
const reg = (at: number, titles: string[], o: Partial<LedgerSubmission> = {}): LedgerSubmission => {
  const id = String(nextId++);
  return {
    id,
    kind: 'registration',
    held: false,
    messageId: `m${at}`,
    order: [at],
    contentHash: titles.join('|'),
    revisionHint: null,
    initiatives: titles.map((title, i) => ({ id: `${id}.${i + 1}`, position: i + 1, title })),
    results: [],
    ...o,
  };
};
const report = (at: number, rows: string[], o: Partial<LedgerSubmission> = {}): LedgerSubmission => {
  const id = String(nextId++);
  return {
    id,
    kind: 'results_report',
    held: false,
    messageId: `m${at}`,
    order: [at],
    contentHash: `r:${rows.join('|')}:${id}`,
    revisionHint: null,
    initiatives: [],
    results: rows.map((title, i) => ({
      id: `${id}.r${i + 1}`,
      position: i + 1,
      title,
      manualInitiativeId: null,
    })),
    ...o,
  };
};
const activeTitles = (subs: LedgerSubmission[]) => {
  const plan = planLedger(subs);
  return subs.flatMap((s) =>
    s.initiatives.filter((i) => plan.initiatives.get(i.id)?.status === 'active').map((i) => i.title),
  );
};

describe('the plan of one agency’s registry', () => {
  it('replaces the whole registration with a revision; a supplement adds', () => {
    const first = reg(1, ['Số hóa hồ sơ', 'Chatbot thủ tục']);
    const revision = reg(2, ['Số hoá hồ sơ', 'Bản đồ số'], { revisionHint: 'revision' });
    const supplement = reg(3, ['Hóa đơn điện tử'], { revisionHint: 'supplement' });
    expect(activeTitles([first, revision, supplement])).toEqual([
      'Số hoá hồ sơ',
      'Bản đồ số',
      'Hóa đơn điện tử',
    ]);
    const plan = planLedger([first, revision, supplement]);
    expect(plan.initiatives.get(`${first.id}.1`)).toEqual({
      status: 'superseded',
      supersededBy: `${revision.id}.1`,
    });
    expect(plan.initiatives.get(`${first.id}.2`)).toEqual({ status: 'superseded', supersededBy: null });
    expect(plan.submissions.get(first.id)?.status).toBe('superseded');
    expect(plan.submissions.get(revision.id)?.supersedes).toBe(first.id);
  });

  it('adds a form that shares nothing, and lets a repeated title within one form keep the later one', () => {
    const a = reg(1, ['Một cửa liên thông']);
    const b = reg(2, ['Chữ ký số', 'Chữ ký số']);
    expect(activeTitles([a, b])).toEqual(['Một cửa liên thông', 'Chữ ký số']);
    expect(planLedger([a, b]).initiatives.get(`${b.id}.1`)?.supersededBy).toBe(`${b.id}.2`);
  });

  it('is a copy when the content is equal: the earlier arrival, then the Word file, is the original', () => {
    const mail = { receivedAt: new Date(5), uid: 1 };
    const pdf = reg(5, ['Số hóa hồ sơ'], {
      order: arrivalOrder(mail, { filename: 'a.pdf', contentType: 'application/pdf', attachmentId: 1 }),
    });
    const docx = reg(5, ['Số hóa hồ sơ'], {
      order: arrivalOrder(mail, { filename: 'a.docx', contentType: '', attachmentId: 2 }),
    });
    const plan = planLedger([pdf, docx]);
    expect(plan.submissions.get(docx.id)?.status).toBe('active');
    expect(plan.submissions.get(pdf.id)).toMatchObject({ status: 'duplicate', duplicateOf: docx.id });
  });

  it('finds the original of a file from its mail’s place alone, as the registry would: only earlier mails precede it', () => {
    const first = reg(1, ['Số hóa hồ sơ']);
    const second = reg(2, ['Số hóa hồ sơ']);
    const held = reg(0, ['Số hóa hồ sơ'], { held: true });
    const late = { ...reg(3, ['Số hóa hồ sơ']), order: arrivalOrder({ receivedAt: new Date(3), uid: 3 }) };
    expect(originalOf(late, [second, held, first])?.id).toBe(first.id);
    const sameMail = { ...late, order: second.order.slice(0, 2) };
    expect(originalOf(sameMail, [second])).toBeUndefined();
    expect(
      planLedger([first, second, { ...late, order: [...late.order, 0, 9] }]).submissions.get(late.id),
    ).toMatchObject({
      status: 'duplicate',
      duplicateOf: first.id,
    });
  });

  it('keeps a held form out: it is nobody’s original, and a genuine copy of it counts', () => {
    const forged = reg(1, ['Số hóa hồ sơ'], { held: true });
    const genuine = reg(2, ['Số hóa hồ sơ']);
    const plan = planLedger([forged, genuine]);
    expect(plan.submissions.get(forged.id)?.status).toBe('pending_review');
    expect(plan.submissions.get(genuine.id)?.status).toBe('active');
    expect(plan.initiatives.get(`${forged.id}.1`)?.status).toBe('pending_review');
  });

  it('links results to the final registry whichever came first; the latest report wins per initiative', () => {
    const early = report(1, ['Số hóa hồ sơ', 'Không có trong đăng ký']);
    const registration = reg(2, ['Số hoá hồ sơ']);
    const late = report(3, ['Số hóa hồ sơ']);
    const held = report(4, ['Số hóa hồ sơ'], { held: true });
    const plan = planLedger([late, held, registration, early]);
    const target = `${registration.id}.1`;
    expect(plan.results.get(`${early.id}.r1`)).toMatchObject({ initiativeId: target, superseded: true });
    expect(plan.results.get(`${early.id}.r2`)).toMatchObject({ initiativeId: null, needsReview: true });
    expect(plan.results.get(`${late.id}.r1`)).toMatchObject({ initiativeId: target, superseded: false });
    expect(plan.results.get(`${held.id}.r1`)).toMatchObject({ initiativeId: null, needsReview: false });
  });

  it('keeps a person’s link, following the initiative to the one that replaced it', () => {
    const first = reg(1, ['Một cửa liên thông cấp xã']);
    const r = report(2, ['Tên khác hẳn'], {});
    const manual = { ...r, results: r.results.map((x) => ({ ...x, manualInitiativeId: `${first.id}.1` })) };
    const revision = reg(3, ['Một cửa liên thông cấp xã (mở rộng)'], { revisionHint: 'revision' });
    const plan = planLedger([first, manual, revision]);
    expect(plan.results.get(`${r.id}.r1`)).toMatchObject({
      initiativeId: `${revision.id}.1`,
      needsReview: false,
    });
  });
});
