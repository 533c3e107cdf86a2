import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationRefused } from '../../src/errors.js';
import type { Actor } from '../../src/registry/audit.js';
import { confirmSubmission } from '../../src/registry/decisions/confirm-submission.js';
import { correctField } from '../../src/registry/decisions/correct-field.js';
import { dismissItem, undoDismissItem } from '../../src/registry/decisions/dismiss-item.js';
import { linkResult, unlinkResult } from '../../src/registry/decisions/link-result.js';
import { restoreInitiative, withdrawInitiative } from '../../src/registry/decisions/withdraw-initiative.js';
import { rebuildLedger } from '../../src/registry/intake/ledger.js';
import { openParserPool, replayFiles } from '../../src/registry/intake/replay-attachment.js';
import { buildDigest } from '../../src/registry/letters/digest.js';
import { resolveCampaign } from '../../src/registry/reference/campaigns.js';
import { campaignStanding } from '../../src/registry/views/campaign-standing.js';
import { messagePage } from '../../src/registry/views/console-queries.js';
import { consolidatedReport } from '../../src/registry/views/report.js';
import { itemsForReview } from '../../src/registry/views/review.js';
import { cli } from '../helpers/cli.js';
import { mailWith, resultsDocx } from '../helpers/form-mail.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';
import { auditOf, submissionOfMail } from '../helpers/registry-reads.js';

const email = (name: string) => readFileSync(fixture('emails', name));
/** A fixture mail as another message (a new Message-ID), so it is stored again. */
const again = (name: string, id: string) =>
  Buffer.from(
    readFileSync(fixture('emails', name), 'latin1').replace(/^Message-ID: .*$/m, `Message-ID: <${id}@test>`),
    'latin1',
  );
const staff: Actor = { name: 'Nguyễn Thị Lan', via: 'console' };

describe('what a person does to the registry', () => {
  const env = new OperationsEnv('operations');
  const db = () => env.database.db;
  beforeAll(async () => {
    await env.setUp();
    // The results report first, its registration after: the report's rows match nothing when they are read.
    await env.receive(email('10-so-tu-phap-bao-cao-ket-qua.eml'));
    // A result for an initiative the agency never registered under that name: nothing to link it to.
    const unmatched = mailWith({
      from: 'vanthu_sotp@hanoi.gov.vn',
      subject: 'Báo cáo bổ sung',
      id: 'sotp-unmatched',
      files: [
        {
          name: 'bao-cao.docx',
          bytes: await resultsDocx(
            ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ TƯ PHÁP'],
            [{ title: 'Tủ hồ sơ thông minh', status: 'Đã hoàn thành' }],
          ),
        },
      ],
    });
    for (const raw of [
      email('01-so-tu-phap-dang-ky.eml'),
      unmatched,
      email('05-gmail-ca-nhan.eml'),
      email('14-so-gtvt-file-macro.eml'),
    ])
      await env.receive(raw);
  }, 60_000);
  afterAll(() => env.tearDown());

  const audit = (action: string) => auditOf(db(), action);
  const submissionOf = (messageId: string) => submissionOfMail(db(), messageId);

  it('lists each waiting item with why in words', async () => {
    const items = await itemsForReview(db());
    expect(items.map((i) => [i.kind, i.reasons])).toEqual(
      expect.arrayContaining([
        ['message', expect.arrayContaining(['unknown_sender'])],
        ['file', ['macro_enabled']],
        ['result', ['unmatched_result']],
      ]),
    );
    for (const i of items) expect(i.why).not.toMatch(/_/);
  });

  it('links each item and agency of the digest to its page in the staff console', async () => {
    const config = { ...env.config, CONSOLE_URL: 'https://cchc.example.vn' };
    const digest = await buildDigest({ db: db(), config }, new Date('2021-07-26T10:00:00Z'));
    const [item] = (await itemsForReview(db())).filter((i) => i.kind === 'message');
    expect(digest?.view.review.messages[0]?.link).toBe(`https://cchc.example.vn/review#message-${item?.id}`);
    expect(digest?.view.agencies.find((a) => a.name === 'Sở Tư pháp')?.link).toBe(
      'https://cchc.example.vn/agencies/so-tu-phap',
    );
    const rendered = env.renderer.render('digest', digest?.view ?? {});
    expect(rendered.html).toContain('href="https://cchc.example.vn/agencies/so-tu-phap"');
  });

  it('keeps the old state whole when a confirmation fails half-way', async () => {
    const held = await submissionOf('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>');
    const attachment = await db()
      .selectFrom('attachments')
      .select(['parse_result'])
      .where('id', '=', held.attachment_id)
      .executeTakeFirstOrThrow();
    // A title too long for the index of active titles: the new rows fail after the old ones were taken back.
    const poisoned = JSON.parse(JSON.stringify(attachment.parse_result));
    let seed = 7;
    const word = () => {
      seed = (seed * 48_271) % 2_147_483_647;
      return seed.toString(36);
    };
    poisoned.initiatives[0].title = Array.from({ length: 4000 }, word).join(' ');
    await db()
      .updateTable('attachments')
      .set({ parse_result: JSON.stringify(poisoned) })
      .where('id', '=', held.attachment_id)
      .execute();
    const before = await db()
      .selectFrom('initiatives')
      .select(['id', 'title', 'status'])
      .where('submission_id', '=', held.id)
      .orderBy('id')
      .execute();
    await expect(
      confirmSubmission({ db: db(), config: env.config }, staff, { reference: held.reference }),
    ).rejects.toThrow();
    expect(await submissionOf('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>')).toEqual(held);
    const after = await db()
      .selectFrom('initiatives')
      .select(['id', 'title', 'status'])
      .where('submission_id', '=', held.id)
      .orderBy('id')
      .execute();
    expect(after).toEqual(before);
    expect(await audit('confirm_submission')).toEqual([]);
    await db()
      .updateTable('attachments')
      .set({ parse_result: JSON.stringify(attachment.parse_result) })
      .where('id', '=', held.attachment_id)
      .execute();
  });

  it('confirms a held submission from the CLI, remembers the address, and the next mail from it counts at once', async () => {
    const held = await submissionOf('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>');
    // A personal Gmail address, its mail not authenticated: remembering it is refused until the risk is accepted.
    const refused = await cli(
      env.database.url,
      'review',
      'confirm',
      held.reference,
      '--remember-address',
      '--by',
      'Trần Văn Minh',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/free_mail, unauthenticated/);
    expect(await submissionOf('<CAJx7Yq1pW0gialam+8821@mail.gmail.com>')).toMatchObject({
      status: 'pending_review',
    });
    const r = await cli(
      env.database.url,
      'review',
      'confirm',
      held.reference,
      '--remember-address',
      '--accept-risks',
      '--by',
      'Trần Văn Minh',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      reference: held.reference,
      agency: 'huyen-gia-lam',
      status: 'active',
      address: 'hoangmai.gialam@gmail.com',
    });
    const [entry] = await audit('confirm_submission');
    expect(entry).toMatchObject({
      actor: 'Trần Văn Minh',
      via: 'cli',
      subject_type: 'submission',
      subject_id: held.reference,
      before: expect.objectContaining({ status: 'pending_review' }),
      after: expect.objectContaining({ status: 'active', agency: 'huyen-gia-lam' }),
    });
    const address = await db()
      .selectFrom('agency_addresses')
      .select(['source', 'added_by'])
      .where('email', '=', 'hoangmai.gialam@gmail.com')
      .executeTakeFirstOrThrow();
    expect(address).toEqual({ source: 'staff', added_by: 'Trần Văn Minh' });

    await env.receive(again('05-gmail-ca-nhan.eml', 'gialam-second'));
    const second = await submissionOf('<gialam-second@test>');
    expect(second.status).not.toBe('pending_review');
    // Confirming twice is refused with a reason, and changes nothing.
    await expect(
      confirmSubmission({ db: db(), config: env.config }, staff, { reference: held.reference }),
    ).rejects.toBeInstanceOf(OperationRefused);
  });

  it('links a result that matched nothing to the initiative it reports on', async () => {
    const [item] = (await itemsForReview(db())).filter((i) => i.kind === 'result');
    expect(item).toBeDefined();
    const initiative = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['initiatives.id', 'initiatives.title'])
      .where('agencies.code', '=', 'so-tu-phap')
      .where('initiatives.status', '=', 'active')
      .orderBy('initiatives.position')
      .executeTakeFirstOrThrow();
    const linked = await linkResult(db(), staff, { resultId: item?.id ?? '', initiativeId: initiative.id });
    expect(linked.title).toBe(initiative.title);
    expect((await itemsForReview(db())).filter((i) => i.kind === 'result' && i.id === item?.id)).toEqual([]);
    const [entry] = await audit('link_result');
    expect(entry).toMatchObject({
      actor: staff.name,
      via: 'console',
      after: expect.objectContaining({ initiative_id: initiative.id }),
    });
    // Another agency's initiative is refused.
    const other = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select('initiatives.id')
      .where('agencies.code', '=', 'huyen-gia-lam')
      .executeTakeFirstOrThrow();
    await expect(
      linkResult(db(), staff, { resultId: item?.id ?? '', initiativeId: other.id }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    // Undone: the result goes back to matching by title, matches nothing, and waits for a person again.
    const unlinked = await unlinkResult(db(), staff, { resultId: item?.id ?? '' });
    expect(unlinked.initiativeId).toBeNull();
    expect((await itemsForReview(db())).filter((i) => i.kind === 'result').map((i) => i.id)).toContain(
      item?.id,
    );
    expect(await audit('unlink_result')).toHaveLength(1);
    await linkResult(db(), staff, { resultId: item?.id ?? '', initiativeId: initiative.id });
  });

  it('dismisses a refused file with a note, and puts it back', async () => {
    const [file] = (await itemsForReview(db())).filter((i) => i.kind === 'file');
    await expect(
      dismissItem(db(), staff, { kind: 'file', id: file?.id ?? '', note: ' ' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    await dismissItem(db(), staff, {
      kind: 'file',
      id: file?.id ?? '',
      note: 'Sở GTVT đã gửi lại bản .docx',
    });
    expect((await itemsForReview(db())).filter((i) => i.kind === 'file')).toEqual([]);
    await undoDismissItem(db(), staff, { kind: 'file', id: file?.id ?? '' });
    expect((await itemsForReview(db())).filter((i) => i.kind === 'file').map((i) => i.id)).toEqual([
      file?.id,
    ]);
    expect((await audit('dismiss_item'))[0]).toMatchObject({ note: 'Sở GTVT đã gửi lại bản .docx' });
    expect(await audit('undo_dismiss_item')).toHaveLength(1);
  });

  it('corrects a misread field: the report shows it, and a replay of the parser keeps it', async () => {
    const registration = await submissionOf('<1627265645.2231.stp@hanoi.gov.vn>');
    const first = await db()
      .selectFrom('initiatives')
      .select(['id', 'timeline'])
      .where('submission_id', '=', registration.id)
      .where('position', '=', 1)
      .executeTakeFirstOrThrow();
    const corrected = await correctField(db(), staff, {
      initiativeId: first.id,
      field: 'timeline',
      value: 'Từ tháng 9/2021 đến tháng 12/2021',
      note: 'Theo điện thoại với Sở Tư pháp',
    });
    expect(corrected).toMatchObject({ before: first.timeline, after: 'Từ tháng 9/2021 đến tháng 12/2021' });
    expect(corrected.parserValue).toBe(first.timeline);
    const campaign = await resolveCampaign(db());
    const report = await consolidatedReport(db(), campaign, new Date('2021-08-01T00:00:00Z'));
    expect(report.rows.map((r) => r.fields.timeline)).toContain('Từ tháng 9/2021 đến tháng 12/2021');
    await expect(
      correctField(db(), staff, { initiativeId: first.id, field: 'start', value: 'tháng chín' }),
    ).rejects.toMatchObject({ code: 'invalid_input' });

    // An older parser read the title wrong: the replay changes the title, and keeps the person's timeline.
    const stored = await db()
      .selectFrom('attachments')
      .select('parse_result')
      .where('id', '=', registration.attachment_id)
      .executeTakeFirstOrThrow();
    const stale = JSON.parse(JSON.stringify(stored.parse_result));
    const rightTitle = stale.initiatives[0].title;
    stale.initiatives[0].title = 'Ứng dụng mã QR';
    await db()
      .updateTable('attachments')
      .set({ parse_result: JSON.stringify(stale) })
      .where('id', '=', registration.attachment_id)
      .execute();
    const parser = openParserPool(env.config, 1);
    try {
      const replayed = await replayFiles({ db: db(), config: env.config, parser }, staff, {
        attachmentId: registration.attachment_id,
        apply: true,
      });
      expect(replayed[0]).toMatchObject({ applied: true });
    } finally {
      await parser.close();
    }
    const now = await submissionOf('<1627265645.2231.stp@hanoi.gov.vn>');
    expect(now.reference).toBe(registration.reference);
    const after = await db()
      .selectFrom('initiatives')
      .select(['title', 'timeline', 'status'])
      .where('submission_id', '=', now.id)
      .where('position', '=', 1)
      .executeTakeFirstOrThrow();
    expect(after).toEqual({
      title: rightTitle,
      timeline: 'Từ tháng 9/2021 đến tháng 12/2021',
      status: 'active',
    });
    // The result linked to that initiative follows it to the new row.
    const results = await db()
      .selectFrom('initiative_results')
      .select(['initiative_id', 'needs_review'])
      .where('needs_review', '=', false)
      .execute();
    expect(results.every((r) => r.initiative_id !== null)).toBe(true);
    expect(await audit('correct_field')).toHaveLength(1);
    expect((await audit('replay_file'))[0]).toMatchObject({ actor: staff.name });
  });

  it('withdraws an initiative a person takes out: it stops counting, a rebuild keeps it out, restoring brings it back', async () => {
    const campaign = await resolveCampaign(db());
    const counted = async () =>
      (await campaignStanding(db(), campaign.id)).agencies.find((a) => a.code === 'so-tu-phap')?.registered;
    const before = await counted();
    const initiative = await db()
      .selectFrom('initiatives')
      .innerJoin('agencies', 'agencies.id', 'initiatives.agency_id')
      .select(['initiatives.id', 'initiatives.campaign_id', 'initiatives.agency_id'])
      .where('agencies.code', '=', 'so-tu-phap')
      .where('initiatives.status', '=', 'active')
      .executeTakeFirstOrThrow();
    await expect(
      withdrawInitiative(db(), staff, { initiativeId: initiative.id, note: '' }),
    ).rejects.toMatchObject({
      code: 'invalid_input',
    });
    const withdrawn = await withdrawInitiative(db(), staff, {
      initiativeId: initiative.id,
      note: 'Sở rút theo công văn',
    });
    expect(withdrawn.status).toBe('withdrawn');
    expect(await counted()).toBe((before ?? 0) - 1);
    // Any later rebuild of the agency's registry (a new form, a replay) keeps it withdrawn.
    await db()
      .transaction()
      .execute((trx) => rebuildLedger(trx, initiative.campaign_id, initiative.agency_id));
    expect(
      (
        await db()
          .selectFrom('initiatives')
          .select('status')
          .where('id', '=', initiative.id)
          .executeTakeFirstOrThrow()
      ).status,
    ).toBe('withdrawn');
    const restored = await restoreInitiative(db(), staff, { initiativeId: initiative.id });
    expect(restored.status).toBe('active');
    expect(await counted()).toBe(before);
    expect((await audit('withdraw_initiative'))[0]).toMatchObject({
      note: 'Sở rút theo công văn',
      after: { status: 'withdrawn' },
    });
    expect(await audit('restore_initiative')).toHaveLength(1);
  });

  it('marks on the message page the fields the parser was unsure of', async () => {
    const registration = await submissionOf('<1627265645.2231.stp@hanoi.gov.vn>');
    const stored = await db()
      .selectFrom('attachments')
      .select(['parse_result', 'message_id'])
      .where('id', '=', registration.attachment_id)
      .executeTakeFirstOrThrow();
    const doubtful = { ...(stored.parse_result as object), uncertain: ['initiatives[0].timeline'] };
    await db()
      .updateTable('attachments')
      .set({ parse_result: JSON.stringify(doubtful) })
      .where('id', '=', registration.attachment_id)
      .execute();
    const page = await messagePage(db(), stored.message_id);
    const fields = page?.files.find((f) => f.id === registration.attachment_id)?.initiatives[0]?.fields ?? [];
    expect(fields.filter((f) => f.uncertain).map((f) => f.field)).toEqual(['timeline']);
  });
});
