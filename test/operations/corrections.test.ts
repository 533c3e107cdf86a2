import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationRefused } from '../../src/errors.js';
import type { Actor } from '../../src/registry/audit.js';
import { confirmSubmission } from '../../src/registry/decisions/confirm-submission.js';
import { correctField } from '../../src/registry/decisions/correct-field.js';
import { restoreParserReading, undoCorrection } from '../../src/registry/decisions/take-back-correction.js';
import { undoConfirmation } from '../../src/registry/decisions/undo-confirmation.js';
import { resolveCampaign } from '../../src/registry/reference/campaigns.js';
import { campaignStanding } from '../../src/registry/views/campaign-standing.js';
import { agencyPage, messagePage } from '../../src/registry/views/console-queries.js';
import { consolidatedReport } from '../../src/registry/views/report.js';
import { cli } from '../helpers/cli.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';
import { auditOf, submissionOfMail } from '../helpers/registry-reads.js';

const email = (name: string) => readFileSync(fixture('emails', name));
const staff: Actor = { name: 'Nguyễn Thị Lan (lan)', via: 'console' };

describe('corrections: visible, given back to the parser’s reading, undone, and made on a held form', () => {
  const env = new OperationsEnv('corrections');
  const db = () => env.database.db;
  beforeAll(async () => {
    await env.setUp();
    for (const name of [
      '01-so-tu-phap-dang-ky.eml',
      '10-so-tu-phap-bao-cao-ket-qua.eml',
      '05-gmail-ca-nhan.eml',
    ])
      await env.receive(email(name));
  }, 60_000);
  afterAll(() => env.tearDown());

  const audit = (action: string) => auditOf(db(), action);
  const submissionOf = (messageId: string) => submissionOfMail(db(), messageId);
  const initiativeAt = async (messageId: string, position: number) => {
    const s = await submissionOf(messageId);
    return db()
      .selectFrom('initiatives')
      .selectAll()
      .where('submission_id', '=', s.id)
      .where('position', '=', position)
      .executeTakeFirstOrThrow();
  };
  /** What counts and what is reported: every initiative (without its update time), every result's link. */
  const registry = async () => {
    const campaign = await resolveCampaign(db());
    const initiatives = await db()
      .selectFrom('initiatives')
      .selectAll()
      .orderBy('id')
      .execute()
      .then((rows) => rows.map(({ updated_at: _, ...row }) => row));
    const results = await db()
      .selectFrom('initiative_results')
      .select(['id', 'initiative_id', 'needs_review'])
      .orderBy('id')
      .execute();
    const standing = await campaignStanding(db(), campaign.id);
    const report = await consolidatedReport(db(), campaign, new Date('2021-08-01T00:00:00Z'));
    return { initiatives, results, standing, report: report.rows };
  };
  const REGISTRATION = '<1627265645.2231.stp@hanoi.gov.vn>';
  const HELD = '<CAJx7Yq1pW0gialam+8821@mail.gmail.com>';

  it('gives back the parser’s reading: the registry, the report and the counting as if no one had corrected it', async () => {
    const before = await registry();
    const first = await initiativeAt(REGISTRATION, 1);
    // A new title: the results report's row no longer finds it by name.
    await correctField(db(), staff, {
      initiativeId: first.id,
      field: 'title',
      value: 'Một tên khác hẳn không ai báo cáo',
    });
    await correctField(db(), staff, {
      initiativeId: first.id,
      field: 'title',
      value: 'Tên thứ hai, cũng khác',
    });
    await correctField(db(), staff, { initiativeId: first.id, field: 'start', value: '9/2021' });
    const corrected = await registry();
    expect(corrected.results).not.toEqual(before.results);

    const title = await restoreParserReading(db(), staff, {
      initiativeId: first.id,
      field: 'title',
      note: 'Biểu ghi đúng',
    });
    expect(title).toMatchObject({ before: 'Tên thứ hai, cũng khác', after: first.title, inForce: null });
    await restoreParserReading(db(), staff, { initiativeId: first.id, field: 'start' });
    expect(await registry()).toEqual(before);

    // Kept, taken back, and in the history in words.
    const kept = await db()
      .selectFrom('field_corrections')
      .select(['field', 'reverted_at'])
      .orderBy('id')
      .execute();
    expect(kept).toHaveLength(3);
    expect(kept.every((c) => c.reverted_at !== null)).toBe(true);
    expect((await audit('restore_parser_reading'))[0]).toMatchObject({
      actor: staff.name,
      subject_type: 'initiative',
      subject_id: first.id,
      before: { title: 'Tên thứ hai, cũng khác' },
      after: { title: first.title },
      note: 'Biểu ghi đúng',
    });
    const page = await messagePage(db(), (await submissionOf(REGISTRATION)).message_id);
    expect(page?.history.map((h) => h.action)).toContain('Trả lại nội dung hệ thống đọc');
    expect(page?.files[0]?.initiatives[0]?.fields.every((f) => f.corrected === null)).toBe(true);

    // Nothing left to give back: refused, nothing written.
    await expect(
      restoreParserReading(db(), staff, { initiativeId: first.id, field: 'title' }),
    ).rejects.toMatchObject({ code: 'wrong_state' });
    expect(await audit('restore_parser_reading')).toHaveLength(2);
  });

  it('undoes a correction: the value before it comes back, the earlier correction or the parser’s reading', async () => {
    const first = await initiativeAt(REGISTRATION, 1);
    const a = await correctField(db(), staff, {
      initiativeId: first.id,
      field: 'lead_unit',
      value: 'Phòng A',
    });
    const b = await correctField(db(), staff, {
      initiativeId: first.id,
      field: 'lead_unit',
      value: 'Phòng B',
    });
    // Only the correction in force can be undone.
    await expect(undoCorrection(db(), staff, { correctionId: a.correctionId })).rejects.toBeInstanceOf(
      OperationRefused,
    );
    const undone = await undoCorrection(db(), staff, { correctionId: b.correctionId });
    expect(undone).toMatchObject({ before: 'Phòng B', after: 'Phòng A', inForce: { id: a.correctionId } });
    expect((await initiativeAt(REGISTRATION, 1)).lead_unit).toBe('Phòng A');
    // Undone twice is refused: the flash's button pressed again changes nothing.
    await expect(undoCorrection(db(), staff, { correctionId: b.correctionId })).rejects.toMatchObject({
      code: 'wrong_state',
    });
    // The first, from the CLI: the parser's reading comes back.
    const r = await cli(
      env.database.url,
      'initiative',
      'correct',
      first.id,
      '--field',
      'lead_unit',
      '--undo',
      '--by',
      'Trần Văn Minh',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ before: 'Phòng A', after: first.lead_unit, inForce: null });
    expect(await audit('undo_correction')).toEqual([
      expect.objectContaining({
        actor: staff.name,
        after: expect.objectContaining({ lead_unit: 'Phòng A' }),
      }),
      expect.objectContaining({
        actor: 'Trần Văn Minh',
        via: 'cli',
        after: expect.objectContaining({ lead_unit: first.lead_unit }),
      }),
    ]);
    // The CLI gives back the parser's reading too, and asks for one way at a time.
    await correctField(db(), staff, { initiativeId: first.id, field: 'notes', value: 'Ghi chú của Phòng' });
    const restored = await cli(
      env.database.url,
      'initiative',
      'correct',
      first.id,
      '--field',
      'notes',
      '--parser-reading',
      '--by',
      'Trần Văn Minh',
    );
    expect(restored.code, restored.stderr).toBe(0);
    expect((await initiativeAt(REGISTRATION, 1)).notes).toBe(first.notes);
    const both = await cli(
      env.database.url,
      'initiative',
      'correct',
      first.id,
      '--field',
      'notes',
      '--value',
      'x',
      '--undo',
    );
    expect(both.code).not.toBe(0);

    // Pressed twice at once: one undo, the other refused.
    const once = await correctField(db(), staff, {
      initiativeId: first.id,
      field: 'summary',
      value: 'Tóm tắt',
    });
    const undos = await Promise.allSettled([
      undoCorrection(db(), staff, { correctionId: once.correctionId }),
      undoCorrection(db(), staff, { correctionId: once.correctionId }),
    ]);
    expect(undos.map((u) => u.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect(await audit('undo_correction')).toHaveLength(3);
    expect((await initiativeAt(REGISTRATION, 1)).summary).toBe(first.summary);
  });

  it('corrects a held form before it is confirmed; the correction survives the confirmation and its undoing', async () => {
    const held = await submissionOf(HELD);
    expect(held.status).toBe('pending_review');
    const first = await initiativeAt(HELD, 1);
    expect(first.status).toBe('pending_review');
    const c = await correctField(db(), staff, {
      initiativeId: first.id,
      field: 'timeline',
      value: 'Từ tháng 9/2021 đến tháng 12/2021',
    });
    expect(c.parserValue).toBe(first.timeline);
    // Shown on the mail's page as corrected, with who and the parser's reading beside it.
    const shown = async () => {
      const page = await messagePage(db(), held.message_id);
      return page?.files[0]?.initiatives[0]?.fields.find((f) => f.field === 'timeline');
    };
    expect(await shown()).toMatchObject({
      value: 'Từ tháng 9/2021 đến tháng 12/2021',
      corrected: { by: staff.name, reading: first.timeline ?? '' },
    });

    const confirmed = await confirmSubmission({ db: db(), config: env.config }, staff, {
      reference: held.reference,
    });
    expect(confirmed.status).toBe('active');
    const counted = await initiativeAt(HELD, 1);
    expect(counted).toMatchObject({ status: 'active', timeline: 'Từ tháng 9/2021 đến tháng 12/2021' });
    const campaign = await resolveCampaign(db());
    const report = await consolidatedReport(db(), campaign, new Date('2021-08-01T00:00:00Z'));
    expect(report.rows.map((r) => r.fields.timeline)).toContain('Từ tháng 9/2021 đến tháng 12/2021');
    expect(await shown()).toMatchObject({ corrected: { by: staff.name } });
    // The confirmation wrote the form's rows again: the correction made on the held row is still in the history.
    const history = (await messagePage(db(), held.message_id))?.history ?? [];
    expect(history.find((h) => h.action === 'Sửa nội dung')?.changes).toEqual([
      `Thời gian thực hiện: ${first.timeline} → Từ tháng 9/2021 đến tháng 12/2021`,
    ]);
    // The agency's page shows it too.
    const agency = await agencyPage(db(), 'huyen-gia-lam', campaign.id);
    expect(agency?.activeInitiatives[0]?.fields.find((f) => f.field === 'timeline')?.corrected?.reading).toBe(
      first.timeline ?? '',
    );

    await undoConfirmation({ db: db(), config: env.config }, staff, { reference: held.reference });
    expect(await initiativeAt(HELD, 1)).toMatchObject({
      status: 'pending_review',
      timeline: 'Từ tháng 9/2021 đến tháng 12/2021',
    });
    // Undone while held again: the parser's reading is back, and stays so once confirmed.
    await undoCorrection(db(), staff, { correctionId: c.correctionId });
    await confirmSubmission({ db: db(), config: env.config }, staff, { reference: held.reference });
    expect((await initiativeAt(HELD, 1)).timeline).toBe(first.timeline);
  });

  it('refuses, with a typed error and nothing written, what cannot be corrected or taken back', async () => {
    const audited = async () => (await db().selectFrom('audit_log').select('id').execute()).length;
    const before = await audited();
    const first = await initiativeAt(REGISTRATION, 1);
    await expect(
      correctField(db(), staff, { initiativeId: '999999', field: 'title', value: 'x' }),
    ).rejects.toMatchObject({ code: 'not_found' });
    await expect(
      restoreParserReading(db(), staff, { initiativeId: first.id, field: 'colour' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(undoCorrection(db(), staff, { correctionId: '999999' })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(
      undoCorrection(db(), staff, { initiativeId: first.id, field: 'summary' }),
    ).rejects.toMatchObject({ code: 'wrong_state' });
    // A withdrawn initiative is history: corrections, and taking them back, are refused.
    const c = await correctField(db(), staff, { initiativeId: first.id, field: 'notes', value: 'Tạm' });
    await db().updateTable('initiatives').set({ status: 'withdrawn' }).where('id', '=', first.id).execute();
    try {
      for (const attempt of [
        () => correctField(db(), staff, { initiativeId: first.id, field: 'notes', value: 'x' }),
        () => restoreParserReading(db(), staff, { initiativeId: first.id, field: 'notes' }),
        () => undoCorrection(db(), staff, { correctionId: c.correctionId }),
      ])
        await expect(attempt()).rejects.toSatisfy(
          (e) => e instanceof OperationRefused && e.code === 'wrong_state',
        );
    } finally {
      await db().updateTable('initiatives').set({ status: 'active' }).where('id', '=', first.id).execute();
    }
    expect(await audited()).toBe(before + 1);
  });
});
