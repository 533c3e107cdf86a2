import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import {
  DEFAULT_INTAKE_LIMITS,
  INTAKE_LIMIT_CODES,
  intakeLimitAdvice,
  MAX_STORED_ATTACHMENTS,
  planAttachments,
  UNREADABLE_MESSAGE,
} from '../../src/domain/intake-limits.js';
import { REVIEW_REASON_LABEL } from '../../src/domain/labels.js';
import { isReviewReason } from '../../src/domain/review-reasons.js';
import { parseIncomingMessage, storableDate } from '../../src/mail/incoming-message.js';
import { mimeShape } from '../../src/mail/mime-shape.js';
import { readTnef } from '../../src/mail/tnef.js';
import { fixture } from '../helpers/paths.js';
import {
  deeplyNestedMail,
  mailWithFiles,
  mailWithManyFiles,
  tnefWithFiles,
  tnefWithTruncatedPropertyList,
} from '../helpers/poison-mail.js';

const envelope = (n: number) => ({ messageId: `<poison-${n}@example.org>` });

describe('which files of a message are parsed', () => {
  it('parses the first files up to the limit and keeps the rest as skipped, too_many_attachments', () => {
    const plan = planAttachments(Array(60).fill(true), { maxAttachments: 50 });
    expect(plan.filter((p) => p.state === 'pending')).toHaveLength(50);
    expect(plan.slice(50)).toEqual(Array(10).fill({ state: 'skipped', reason: 'too_many_attachments' }));
  });

  it('does not count files that are never parsed (an unpacked winmail.dat, automatic mail)', () => {
    const plan = planAttachments([false, true, true, false, true], { maxAttachments: 2 });
    expect(plan.map((p) => `${p.state}:${p.reason ?? ''}`)).toEqual([
      'skipped:',
      'pending:',
      'pending:',
      'skipped:',
      'skipped:too_many_attachments',
    ]);
  });

  it('tells the sender, in Vietnamese, each limit with its number', () => {
    for (const code of INTAKE_LIMIT_CODES)
      expect(intakeLimitAdvice(code, DEFAULT_INTAKE_LIMITS)).toMatch(/Đề nghị/);
    expect(
      intakeLimitAdvice('too_many_attachments', { ...DEFAULT_INTAKE_LIMITS, maxAttachments: 7 }),
    ).toContain('7 tệp');
  });

  it('names every review reason it gives a message in words for staff', () => {
    for (const reason of [...INTAKE_LIMIT_CODES, UNREADABLE_MESSAGE]) {
      if (!isReviewReason(reason)) throw new Error(`${reason} is not a review reason`);
      expect(REVIEW_REASON_LABEL[reason]).toMatch(/\p{L}{3}/u);
    }
  });

  it('takes the limits from the configuration, with generous defaults and a hard ceiling', () => {
    const config = loadConfig({});
    expect([config.MAX_ATTACHMENTS_PER_MESSAGE, config.MAX_MIME_PARTS, config.MAX_MIME_DEPTH]).toEqual([
      50, 500, 10,
    ]);
    expect(loadConfig({ MAX_ATTACHMENTS_PER_MESSAGE: '3' }).MAX_ATTACHMENTS_PER_MESSAGE).toBe(3);
    expect(() => loadConfig({ MAX_ATTACHMENTS_PER_MESSAGE: '5000' })).toThrow(/MAX_ATTACHMENTS_PER_MESSAGE/);
  });
});

describe('MIME structure measured before the MIME parser runs', () => {
  it('counts the parts and depth of an ordinary mail and cuts nothing', () => {
    const shape = mimeShape(mailWithManyFiles(envelope(1), 3), DEFAULT_INTAKE_LIMITS);
    expect(shape).toEqual({ parts: 5, depth: 1, cutAt: null, cutReason: null, partsBeyond: 0 });
  });

  it('cuts a mail at the first part over the limit', () => {
    const raw = mailWithManyFiles(envelope(2), 20);
    const shape = mimeShape(raw, { maxParts: 10, maxDepth: 10 });
    expect(shape.cutReason).toBe('too_many_parts');
    expect(shape.partsBeyond).toBe(22 - 10);
    expect(raw.subarray(shape.cutAt ?? 0).toString('latin1')).toMatch(/^--poison-boundary\r\n.*tep-9\.docx/);
  });

  it('counts an attached message and its parts as deeper levels', async () => {
    const forwarded = readFileSync(fixture('emails', '03-quan-cau-giay-chuyen-tiep.eml'));
    expect(mimeShape(forwarded, DEFAULT_INTAKE_LIMITS)).toMatchObject({ parts: 6, depth: 3, cutAt: null });
    const m = await parseIncomingMessage(forwarded, { limits: { ...DEFAULT_INTAKE_LIMITS, maxDepth: 2 } });
    expect(m.unlisted).toEqual({ count: 2, reason: 'too_deeply_nested' });
    expect(m.attachments.every((a) => !a.nested)).toBe(true);
  });

  it('cuts a mail at the first part nested deeper than the limit', () => {
    const shape = mimeShape(deeplyNestedMail(envelope(3), 12), DEFAULT_INTAKE_LIMITS);
    expect(shape.cutReason).toBe('too_deeply_nested');
    expect(shape.depth).toBe(13);
  });
});

describe('poison mail is read, never thrown on', () => {
  it('reads the files of a mail with more parts than the MIME parser accepts, and counts the rest', async () => {
    // 1,500 files: the MIME parser alone throws past 1,000 parts.
    const m = await parseIncomingMessage(mailWithManyFiles(envelope(4), 1500));
    expect(m.attachments).toHaveLength(DEFAULT_INTAKE_LIMITS.maxParts - 2); // the message and its text are parts
    expect(m.attachments[0]?.filename).toBe('tep-1.docx');
    expect(m.unlisted).toEqual({ count: 1502 - DEFAULT_INTAKE_LIMITS.maxParts, reason: 'too_many_parts' });
  });

  it('reads a deeply nested mail down to the limit', async () => {
    const m = await parseIncomingMessage(deeplyNestedMail(envelope(5), 40));
    expect(m.attachments.map((a) => a.filename)).toEqual(['dau.docx']);
    expect(m.unlisted.reason).toBe('too_deeply_nested');
    const shallow = await parseIncomingMessage(deeplyNestedMail(envelope(6), 5));
    expect(shallow.attachments.map((a) => a.filename)).toEqual(['dau.docx', 'sau.docx']);
    expect(shallow.unlisted).toEqual({ count: 0, reason: null });
  });

  it('lists at most MAX_STORED_ATTACHMENTS files, counting those a winmail.dat holds beyond', async () => {
    const tnef = tnefWithFiles(MAX_STORED_ATTACHMENTS + 200);
    const m = await parseIncomingMessage(
      mailWithFiles(envelope(7), [
        { filename: 'winmail.dat', contentType: 'application/ms-tnef', content: tnef },
      ]),
    );
    expect(m.attachments).toHaveLength(MAX_STORED_ATTACHMENTS);
    expect(m.unlisted).toEqual({ count: 201, reason: 'too_many_attachments' });
  });

  it('keeps a winmail.dat whose property list ends after a string tag as one file, not unpacked', async () => {
    expect(readTnef(tnefWithTruncatedPropertyList())).toBeNull();
    const m = await parseIncomingMessage(
      mailWithFiles(envelope(8), [
        {
          filename: 'winmail.dat',
          contentType: 'application/ms-tnef',
          content: tnefWithTruncatedPropertyList(),
        },
      ]),
    );
    expect(m.attachments.map((a) => [a.filename, a.unpacked ?? false])).toEqual([['winmail.dat', false]]);
  });

  it('never throws on any truncation of a winmail.dat', () => {
    const tnef = tnefWithTruncatedPropertyList();
    for (let n = 0; n <= tnef.length; n++) expect(() => readTnef(tnef.subarray(0, n))).not.toThrow();
  });

  it('removes NUL from References (an encoded word that decodes to NUL) and every header', async () => {
    const m = await parseIncomingMessage(
      mailWithFiles(
        {
          messageId: '<poison-9@example.org>',
          subject: '=?UTF-8?Q?=C4=90=C4=83ng_k=C3=BD=00_s=C3=A1ng_ki=E1=BA=BFn?=',
          from: '=?UTF-8?Q?V=C4=83n=00th=C6=B0?= <vanthu@example.org>',
          headers: ['References: <a@example.org> =?UTF-8?Q?<x=00y@example.org>?='],
        },
        [],
      ),
    );
    const text = JSON.stringify([m.references, m.subject, m.from]);
    expect(text).not.toContain('\\u0000');
    expect(m.references[0]).toBe('<a@example.org>');
    expect(m.subject).toBe('Đăng ký sáng kiến');
    expect(m.from).toEqual({ address: 'vanthu@example.org', name: 'Vănthư' });
  });

  it('drops a sent date PostgreSQL cannot store, with a warning', async () => {
    const m = await parseIncomingMessage(
      mailWithFiles({ messageId: '<poison-10@example.org>', headers: ['Date: -010000-01-01T00:00:00Z'] }, []),
    );
    expect(m.sentAt).toBeNull();
    expect(m.warnings).toContain('date_out_of_range');
    expect(storableDate(new Date('2021-07-26T08:00:00+07:00'))).toEqual(new Date('2021-07-26T01:00:00Z'));
    expect(storableDate(new Date('+010000-01-01T00:00:00Z'))).toBeNull();
    expect(storableDate(new Date('not a date'))).toBeNull();
  });
});
