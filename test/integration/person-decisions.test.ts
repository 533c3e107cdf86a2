import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationRefused } from '../../src/errors.js';
import { confirmSubmission } from '../../src/registry/decisions/confirm-submission.js';
import { mailWith } from '../helpers/form-mail.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

// A person's decision on a form held from real mail, end to end; the rest of what a person decides about a mail's
// forms is checked on PostgreSQL alone (test/operations/person-decisions.test.ts).

const staff = { name: 'Nguyễn Thị Hoa', via: 'cli' as const };

describe('a person’s decisions about a mail’s forms, on mail through the pipeline', () => {
  const env = new PipelineEnv('decisions');
  const db = () => env.database.db;
  const deliver = (raw: Buffer, receivedAt?: Date) => env.deliverAndSettle(raw, receivedAt);
  beforeAll(async () => {
    await env.start();
  }, 60_000);
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
  const audit = (action: string) =>
    db().selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id').execute();

  it('lets two people confirming one held form at once take turns: one confirms, the other is told it is done', async () => {
    await deliver(
      mailWith({
        from: 'van.thu.so.du.lich@gmail.example',
        subject: 'Đăng ký sáng kiến',
        id: 'twice-1',
        files: [{ name: 'dk.docx', bytes: readFileSync(fixture('forms', 'dk-so-tu-phap.docx')) }],
      }),
    );
    const held = await submissionOf('<twice-1@test.example>');
    expect(held.status).toBe('pending_review');
    const deps = { db: db(), config: env.config };
    const input = {
      reference: held.reference,
      agencyCode: 'so-tu-phap',
      rememberAddress: true,
      acceptRisks: true,
    };
    const both = await Promise.allSettled([
      confirmSubmission(deps, staff, input),
      confirmSubmission(deps, { name: 'Trần Văn Minh', via: 'console' }, input),
    ]);
    expect(both.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const [refusal] = both.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(refusal).toBeInstanceOf(OperationRefused);
    expect(refusal).toMatchObject({ code: 'wrong_state' });
    expect(await submissionOf('<twice-1@test.example>')).toMatchObject({
      status: 'active',
      agency: 'so-tu-phap',
    });
    expect((await audit('confirm_submission')).filter((a) => a.subject_id === held.reference)).toHaveLength(
      1,
    );
  });
});
