import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseIncomingMessage } from '../../src/mail/incoming-message.js';
import { isAutomatic, replyBlocked } from '../../src/mail/reply-guard.js';
import { fixture } from '../helpers/paths.js';
import { makeTnef } from '../helpers/tnef.js';

const emails = readdirSync(fixture('emails')).filter((f) => f.endsWith('.eml'));
const OWN = ['phongcchc_sonv@hanoi.gov.vn'];

interface ExpectedAttachment {
  filename: string;
  inline?: boolean;
  nested?: boolean;
  expected: string | null;
  hostile?: string;
}

describe('incoming email', () => {
  for (const file of emails) {
    it(`lists the documents of ${file} with their decoded names`, async () => {
      const expected = JSON.parse(
        readFileSync(fixture('emails', file.replace(/\.eml$/, '.expected.json')), 'utf8'),
      );
      const m = await parseIncomingMessage(readFileSync(fixture('emails', file)));
      const documents = (expected.attachments as ExpectedAttachment[]).filter((a) => !a.inline);
      expect(m.attachments.map((a) => ({ filename: a.filename, nested: a.nested }))).toEqual(
        documents.map((a) => ({ filename: a.filename, nested: a.nested ?? false })),
      );
      expect(m.skipped.map((s) => s.filename)).toEqual(
        (expected.attachments as ExpectedAttachment[]).filter((a) => a.inline).map((a) => a.filename),
      );
      // Attachment bytes are exactly the fixture files.
      for (const [i, doc] of documents.entries()) {
        const source = doc.expected
          ? fixture('forms', doc.expected)
          : doc.hostile
            ? fixture('hostile', doc.hostile)
            : null;
        if (source) expect(m.attachments[i]?.content.equals(readFileSync(source))).toBe(true);
      }
      expect(m.from?.address).toMatch(/@/);
      expect(m.messageId).toMatch(/^<.+@.+>$/);
    });
  }

  it('treats the out-of-office reply as automatic and never answers it', async () => {
    const m = await parseIncomingMessage(readFileSync(fixture('emails', '07-tra-loi-tu-dong.eml')));
    expect(isAutomatic(m)).toBe(true);
    expect(replyBlocked(m, OWN)).toBe('auto_submitted');
  });

  it('may answer an ordinary submission', async () => {
    const m = await parseIncomingMessage(readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml')));
    expect(replyBlocked(m, OWN)).toBeNull();
    expect(isAutomatic(m)).toBe(false);
  });
});

describe('the From, read as one address or not at all', () => {
  const mail = (...headers: string[]) =>
    Buffer.from([...headers, 'Subject: Đăng ký', 'Message-ID: <a@b.vn>', '', 'Nội dung.', ''].join('\r\n'));
  const read = async (...headers: string[]) => {
    const m = await parseIncomingMessage(mail(...headers));
    return { address: m.from?.address ?? null, ambiguity: m.fromAmbiguity };
  };

  it.each([
    ['a plain address', 'From: vanthu_sotp@hanoi.gov.vn'],
    ['a name and an address', 'From: "Văn thư Sở Tư pháp" <vanthu_sotp@hanoi.gov.vn>'],
    ['an encoded name', 'From: =?UTF-8?Q?V=C4=83n_th=C6=B0?= <vanthu_sotp@hanoi.gov.vn>'],
    [
      'an encoded name that spells another address',
      'From: =?UTF-8?B?YUBldmlsLmV4YW1wbGU=?= <vanthu_sotp@hanoi.gov.vn>',
    ],
    ['a quoted name that holds another address', 'From: "x@evil.example" <vanthu_sotp@hanoi.gov.vn>'],
    ['a comment with an @', 'From: vanthu_sotp@hanoi.gov.vn (Văn thư @ Sở Tư pháp)'],
    ['a folded field', 'From: =?UTF-8?Q?V=C4=83n_th=C6=B0?=\r\n <vanthu_sotp@HANOI.gov.vn>'],
  ])('reads %s as the one address it names', async (_what, from) => {
    expect(await read(from)).toEqual({ address: 'vanthu_sotp@hanoi.gov.vn', ambiguity: null });
  });

  it.each([
    [
      'two From fields',
      ['From: vanthu_sotp@hanoi.gov.vn', 'To: x@y.vn', 'from : x@evil.example'],
      'several_from_fields',
    ],
    ['two mailboxes', ['From: vanthu_sotp@hanoi.gov.vn, x@evil.example'], 'several_mailboxes'],
    ['a group', ['From: Văn thư: vanthu_sotp@hanoi.gov.vn;'], 'group_address'],
    ['an empty group', ['From: undisclosed-senders:;'], 'group_address'],
    // The MIME parser reads the agency's address; a receiving server checks DMARC for evil.example.
    [
      'an address with a domain after it',
      ['From: <vanthu_sotp@hanoi.gov.vn>@evil.example'],
      'address_mismatch',
    ],
    ['a named one', ['From: "Văn thư" <vanthu_sotp@hanoi.gov.vn>@evil.example'], 'address_mismatch'],
    ['two @ in one address', ['From: vanthu_sotp@hanoi.gov.vn@evil.example'], 'address_mismatch'],
    [
      'an unquoted address for a name',
      ['From: vanthu_sotp@hanoi.gov.vn <x@evil.example>'],
      'address_mismatch',
    ],
    ['a quoted string that never closes', ['From: "Văn thư <vanthu_sotp@hanoi.gov.vn>'], 'address_mismatch'],
  ])('holds %s as ambiguous', async (_what, headers, ambiguity) => {
    expect((await read(...headers)).ambiguity).toBe(ambiguity);
  });

  it('finds no ambiguity in a mail without a From (it has no sender to doubt)', async () => {
    expect(await read('To: phongcchc_sonv@hanoi.gov.vn')).toEqual({ address: null, ambiguity: null });
  });

  it('reads two From fields only in the mail itself, not in a forwarded mail inside it', async () => {
    const m = await parseIncomingMessage(readFileSync(fixture('emails', '03-quan-cau-giay-chuyen-tiep.eml')));
    expect(m.fromAmbiguity).toBeNull();
  });

  it('keeps the results and the Received fields in the order they stand', async () => {
    const m = await parseIncomingMessage(
      mail(
        'Received: from relay.example.net by mx.hanoi.gov.vn (Postfix) with ESMTPS id 1;',
        ' Mon, 26 Jul 2021 09:14:06 +0700',
        'Authentication-Results: mx.hanoi.gov.vn;',
        '\tdmarc=pass header.from=hanoi.gov.vn',
        'Received: from mail.evil.example by relay.example.net; Mon, 26 Jul 2021 09:14:05 +0700',
        'Authentication-Results: mx.hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn (written by the sender)',
        'From: vanthu_sotp@hanoi.gov.vn',
      ),
    );
    expect(m.trace).toEqual([
      {
        received:
          'from relay.example.net by mx.hanoi.gov.vn (Postfix) with ESMTPS id 1; Mon, 26 Jul 2021 09:14:06 +0700',
      },
      'mx.hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn',
      { received: 'from mail.evil.example by relay.example.net; Mon, 26 Jul 2021 09:14:05 +0700' },
      'mx.hanoi.gov.vn; dmarc=pass header.from=hanoi.gov.vn (written by the sender)',
    ]);
    expect(m.headers.authenticationResults).toHaveLength(2);
  });
});

describe('reply guard (RFC 3834)', () => {
  const base = {
    from: { address: 'vanthu@x.gov.vn', name: null as string | null },
    headers: {
      autoSubmitted: null as string | null,
      precedence: null as string | null,
      listId: null as string | null,
      listUnsubscribe: null as string | null,
      xAutoreply: null as string | null,
      xAutoResponseSuppress: null as string | null,
      returnPath: '<vanthu@x.gov.vn>',
      authenticationResults: [],
      contentType: 'multipart/mixed',
    },
  };
  const withHeaders = (h: Partial<typeof base.headers>, from = base.from) => ({
    from,
    headers: { ...base.headers, ...h },
  });

  it.each([
    [withHeaders({ autoSubmitted: 'auto-generated' }), 'auto_submitted'],
    [withHeaders({ autoSubmitted: 'no' }), null],
    [withHeaders({ precedence: 'bulk' }), 'bulk_precedence'],
    [withHeaders({ precedence: 'list' }), 'bulk_precedence'],
    [withHeaders({ listId: '<cchc.lists.hanoi.gov.vn>' }), 'mailing_list'],
    [withHeaders({ xAutoreply: 'yes' }), 'auto_reply_header'],
    [withHeaders({ returnPath: '<>' }), 'bounce'],
    [withHeaders({}, { address: 'MAILER-DAEMON@mx.hanoi.gov.vn', name: null }), 'bounce'],
    [withHeaders({ contentType: 'multipart/report; report-type=delivery-status' }), 'bounce'],
    [withHeaders({}, { address: 'PhongCCHC_SoNV@hanoi.gov.vn', name: null }), 'own_address'],
    [withHeaders({}), null],
  ])('%#: %j → %s', (m, reason) => {
    expect(replyBlocked(m, OWN)).toBe(reason);
  });
});

describe('winmail.dat (TNEF) from Outlook', () => {
  const compose = async (attachment: { filename: string; content: Buffer }) => {
    const { default: MailComposer } = await import('nodemailer/lib/mail-composer/index.js');
    return new MailComposer({
      from: 'vanthu_sotp@hanoi.gov.vn',
      to: 'phongcchc_sonv@hanoi.gov.vn',
      subject: 'Đăng ký sáng kiến',
      text: 'Xin gửi kèm.',
      attachments: [{ ...attachment, contentType: 'application/ms-tnef' }],
    })
      .compile()
      .build();
  };

  it('takes the files out of a winmail.dat and lists them after it', async () => {
    const docx = readFileSync(fixture('forms', 'dk-so-tu-phap.docx'));
    const raw = await compose({
      filename: 'winmail.dat',
      content: makeTnef([{ filename: 'DKSTP.docx', content: docx }]),
    });
    const m = await parseIncomingMessage(raw);
    expect(
      m.attachments.map((a) => ({ filename: a.filename, nested: a.nested, unpacked: a.unpacked ?? false })),
    ).toEqual([
      { filename: 'winmail.dat', nested: false, unpacked: true },
      { filename: 'DKSTP.docx', nested: true, unpacked: false },
    ]);
    expect(m.attachments[1]?.content.equals(docx)).toBe(true);
  });

  it('keeps a winmail.dat that cannot be unpacked as it is', async () => {
    const raw = await compose({ filename: 'winmail.dat', content: Buffer.from('not a TNEF stream at all') });
    const m = await parseIncomingMessage(raw);
    expect(m.attachments.map((a) => [a.filename, a.unpacked ?? false])).toEqual([['winmail.dat', false]]);
  });
});

describe('TNEF reader', () => {
  it('reads every file back, and refuses a damaged stream', async () => {
    const { readTnef } = await import('../../src/mail/tnef.js');
    const files = [
      { filename: 'a.docx', content: Buffer.from('first') },
      { filename: 'b.pdf', content: Buffer.alloc(70_000, 7) },
    ];
    const tnef = makeTnef(files);
    expect(readTnef(tnef)).toEqual(files);
    const damaged = Buffer.from(tnef);
    damaged.writeUInt8(damaged.readUInt8(damaged.length - 40) ^ 0xff, damaged.length - 40);
    expect(readTnef(damaged)).toBeNull();
    expect(readTnef(tnef.subarray(0, 100))).toBeNull();
  });
});
