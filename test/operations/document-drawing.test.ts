import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// Every file read is kept drawn for the console ("Văn bản như đã gửi"), whichever way its reading is recorded: a
// counted form, a form held for review, a letter that is not a form, a scan drawn as pages.

describe('the document as sent, kept with its reading', () => {
  const env = new OperationsEnv('document-drawing');
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  const drawings = () =>
    env.db
      .selectFrom('attachments as a')
      .leftJoin('document_renderings as r', 'r.attachment_id', 'a.id')
      .select([
        'a.id',
        'a.filename',
        'a.state',
        'a.parsed_kind',
        'r.kind',
        'r.rendered_at',
        sql<number>`(select count(*)::int from document_page_images p where p.attachment_id = a.id)`.as(
          'pages',
        ),
      ])
      .orderBy('a.id')
      .execute();

  it('draws every file read, text as blocks and a scan as pages, whatever its reading', async () => {
    for (const name of [
      '08-so-tttt-dang-ky.eml', // a registration that counts
      '02-huyen-thanh-tri-scan-va-word.eml', // a scan of the signed form beside the Word form
      '11-so-y-te-chi-co-cong-van.eml', // only the cover letter: not a form
      '05-gmail-ca-nhan.eml', // a stranger's form, held for review
    ])
      await env.receive(readFileSync(fixture('emails', name)));
    const rows = await drawings();
    const read = rows.filter((r) => r.state === 'parsed');
    expect(read.map((r) => r.parsed_kind)).toEqual(expect.arrayContaining(['registration', 'not_a_form']));
    for (const r of read) expect(r.kind, r.filename).not.toBeNull();
    const word = read.filter((r) => r.filename.endsWith('.docx'));
    expect(word.length).toBeGreaterThanOrEqual(3);
    for (const r of word) expect([r.kind, r.pages], r.filename).toEqual(['blocks', 0]);
    const scan = rows.find((r) => r.filename.endsWith('.pdf'));
    expect(scan?.kind).toBe('images');
    expect(scan?.pages).toBeGreaterThan(0);
    // Nothing else is drawn: files not read (an inline logo) have no drawing.
    for (const r of rows.filter((x) => x.state !== 'parsed' && !x.filename.endsWith('.pdf')))
      expect(r.kind, r.filename).toBeNull();
  });
});
