import { readdirSync, readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { describe, expect, it } from 'vitest';
import type { Cell } from '../../src/parser/blocks.js';
import { imageSize } from '../../src/parser/page-images.js';
import { parseForm } from '../../src/parser/parse-form.js';
import { createParserPool } from '../../src/parser/parser-pool.js';
import { type Rendering, renderBlocks } from '../../src/parser/rendering.js';
import { parserOptions } from '../helpers/parser.js';
import { fixture } from '../helpers/paths.js';
import { scanPdf } from '../helpers/scan-pdf.js';

// The document as sent, drawn by the parse pool beside its reading: every format's sample forms, merged cells
// kept as spans, each field linked to a place that exists, scans drawn as page images of our own encoding.

const render = async (bytes: Buffer, name: string) => {
  const outcome = await parseForm(bytes, name, { ...parserOptions, render: true });
  if (!outcome.ok || !outcome.rendered) throw new Error(`not drawn: ${JSON.stringify(outcome)}`);
  return { form: outcome.form, ...outcome.rendered };
};

/** Every anchor a page will have, and all its text with spaces left out. */
function contents(r: Rendering): { ids: Set<string>; text: string } {
  const ids = new Set<string>();
  const texts: string[] = [];
  if (r.kind === 'blocks') {
    for (const b of r.blocks) {
      ids.add(b.id);
      if (b.type === 'p') texts.push(...b.lines);
      else
        for (const cell of b.rows.flat()) {
          ids.add(cell.id);
          texts.push(...cell.lines);
        }
    }
  }
  if (r.kind === 'pdf')
    r.pages.forEach((p, i) => {
      ids.add(`p${i + 1}`);
      p.texts.forEach((t, n) => {
        ids.add(`p${i + 1}-t${n}`);
        texts.push(t.text);
      });
    });
  return { ids, text: texts.join('').replace(/\s+/gu, '') };
}

const forms = [
  ...readdirSync(fixture('forms'))
    .filter((f) => /\.(docx|doc|pdf)$/.test(f))
    .map((f) => [f, fixture('forms', f)]),
  ...readdirSync(fixture('forms', 'libreoffice'))
    .filter((f) => /\.(odt|rtf)$/.test(f))
    .map((f) => [`libreoffice/${f}`, fixture('forms', 'libreoffice', f)]),
];

describe('the document as sent, drawn with its reading', () => {
  it.each(forms)('%s: every field links to a place of the drawing holding its text', async (_, path) => {
    const { form, rendering, images } = await render(readFileSync(path), path);
    expect(images).toEqual([]);
    expect(['blocks', 'pdf']).toContain(rendering.kind);
    if (rendering.kind !== 'blocks' && rendering.kind !== 'pdf') return;
    const { ids, text } = contents(rendering);
    for (const anchors of Object.values(rendering.sources))
      for (const anchor of anchors) expect(ids, anchor).toContain(anchor);
    // Every initiative and result the reading holds is on the drawing, and has a source.
    const items = [...form.initiatives, ...form.results];
    items.forEach((item, i) => {
      const words = item.title.replace(/\s+/gu, '').slice(0, 30);
      expect(text, item.title).toContain(words);
      const path = `${form.initiatives.length ? 'initiatives' : 'results'}[${i}].title`;
      expect(Object.keys(rendering.sources), path).toContain(path);
    });
  });

  it('draws a merged cell once, spanning the rows and columns it covers', () => {
    const cell = (id: number, merged: boolean, text = ''): Cell => ({
      id,
      merged,
      lines: text ? [text] : [],
    });
    // A heading over two columns and two rows, then a plain row; an L-shaped merge below it.
    const rendering = renderBlocks(
      [
        {
          type: 'table',
          rows: [
            [cell(1, false, 'Dự kiến kết quả'), cell(1, true, 'Dự kiến kết quả'), cell(2, false, 'Ghi chú')],
            [cell(1, true, 'Dự kiến kết quả'), cell(1, true, 'Dự kiến kết quả'), cell(3, false)],
            [cell(4, false, 'Sản phẩm'), cell(5, false, 'Lợi ích'), cell(6, false, 'x')],
            [cell(7, false, 'L'), cell(7, true, 'L'), cell(8, false)],
            [cell(7, true, 'L'), cell(9, false), cell(10, false)],
          ],
        },
      ],
      [{ path: 'initiatives[0].products', refs: [{ block: 0, row: 2, col: 0, line: 0 }] }],
    );
    if (rendering.kind !== 'blocks') throw new Error(rendering.kind);
    const table = rendering.blocks[0];
    if (table?.type !== 'table') throw new Error('no table');
    const spans = table.rows.map((row) => row.map((c) => [c.lines.join(''), c.colspan, c.rowspan]));
    expect(spans).toEqual([
      [
        ['Dự kiến kết quả', 2, 2],
        ['Ghi chú', 1, 1],
      ],
      [['', 1, 1]],
      [
        ['Sản phẩm', 1, 1],
        ['Lợi ích', 1, 1],
        ['x', 1, 1],
      ],
      // Not a rectangle: drawn over its first row, its rest as an empty cell.
      [
        ['L', 2, 1],
        ['', 1, 1],
      ],
      [
        ['', 1, 1],
        ['', 1, 1],
        ['', 1, 1],
      ],
    ]);
    expect(rendering.sources).toEqual({ 'initiatives[0].products': ['b0-r2-c0'] });
  });

  it('draws a scan as page images encoded here, and the reading is the same as without drawing', async () => {
    const mail = await simpleParser(readFileSync(fixture('emails', '02-huyen-thanh-tri-scan-va-word.eml')));
    const scan = mail.attachments.find((a) => a.contentType === 'application/pdf');
    if (!scan) throw new Error('no scan in the sample mail');
    const drawn = await render(scan.content, 'scan.pdf');
    const plain = await parseForm(scan.content, 'scan.pdf', parserOptions);
    expect(plain.ok && plain.form).toEqual(drawn.form);
    expect(drawn.form.warnings).toContain('scanned');
    expect(drawn.rendering).toMatchObject({ kind: 'images', pageCount: 2, truncated: false });
    expect(drawn.images.map((i) => i.page)).toEqual([1, 2]);
    for (const image of drawn.images) {
      expect(image.mime).toBe('image/jpeg');
      expect([...image.bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
      expect(image.width).toBe(1100);
      expect(imageSize(Buffer.from(image.bytes))).toEqual({ width: image.width, height: image.height });
    }
  });

  it('does not decode an image whose header claims a huge picture, nor a format it cannot draw', async () => {
    const png = Buffer.alloc(64);
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(png, 0);
    png.writeUInt32BE(13, 8);
    png.write('IHDR', 12, 'latin1');
    png.writeUInt32BE(100_000, 16);
    png.writeUInt32BE(100_000, 20);
    const bomb = await render(png, 'anh.png');
    expect(bomb.form.kind).toBe('not_a_form');
    expect(bomb.rendering).toEqual({ kind: 'none', why: 'image_too_large' });
    const tiff = Buffer.concat([Buffer.from('II*\0', 'latin1'), Buffer.alloc(60)]);
    expect((await render(tiff, 'scan.tif')).rendering).toEqual({ kind: 'none', why: 'image_format' });
  });

  it('does not draw a scan whose image declares hundreds of millions of pixels; its reading stands', async () => {
    const pdf = Buffer.from(
      [
        '%PDF-1.4',
        '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
        '2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj',
        '3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]',
        '  /Resources << /XObject << /Im1 4 0 R >> >> /Contents 5 0 R >> endobj',
        '4 0 obj << /Type /XObject /Subtype /Image /DecodeParms << /Columns 30000 >> /Width 30000',
        '  /Height 30000 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 0 >>',
        'stream',
        'endstream endobj',
        '5 0 obj << /Length 33 >>',
        'stream',
        'q 595 0 0 842 0 0 cm /Im1 Do Q',
        'endstream endobj',
        'trailer << /Root 1 0 R /Size 6 >>',
        '%%EOF',
      ].join('\n'),
      'latin1',
    );
    const drawn = await render(pdf, 'scan.pdf');
    expect(drawn.form.warnings).toContain('scanned');
    expect(drawn.rendering).toEqual({ kind: 'none', why: 'image_too_large' });
  });

  it("keeps a scan's reading when the pool stops its drawing at the time limit, and draws it within the limit", async () => {
    // Twelve pages of eight scanned images each: read in well under a second, drawn in many.
    const bytes = await scanPdf(12, 8);
    const options = { ...parserOptions, render: true };
    const hurried = createParserPool({ threads: 1, timeoutMs: 5_000 });
    try {
      const stopped = await hurried.parse(bytes, 'ban-ky.pdf', options);
      expect(stopped.ok && stopped.form.warnings).toContain('scanned');
      expect(stopped.ok && stopped.rendered).toEqual({
        rendering: { kind: 'none', why: 'not_drawable' },
        images: [],
      });
      // The reading is what the parse without drawing gives.
      const plain = await hurried.parse(bytes, 'ban-ky.pdf', parserOptions);
      expect(plain.ok && plain.form).toEqual(stopped.ok && stopped.form);
    } finally {
      await hurried.close();
    }
    const patient = createParserPool({ threads: 1, timeoutMs: 120_000 });
    try {
      const small = await patient.parse(await scanPdf(2, 1), 'ban-ky.pdf', options);
      expect(small.ok && small.rendered?.rendering).toMatchObject({ kind: 'images', pageCount: 2 });
      expect(small.ok && small.rendered?.images.length).toBe(2);
    } finally {
      await patient.close();
    }
  }, 180_000);

  it("reads a JPEG's size past markers without a length, not from a decoy inside another segment", () => {
    const sof = (w: number, h: number) => [0xff, 0xc0, 0x00, 0x11, 0x08, h >> 8, h & 255, w >> 8, w & 255, 3];
    const jpeg = Buffer.from([
      0xff,
      0xd8,
      // TEM: a marker with no length. Read as one, its next bytes would send the walker into the APP1 below.
      0xff,
      0x01,
      0xff,
      0xe1,
      0x00,
      0x0e,
      ...sof(16, 16),
      0,
      0,
      ...sof(12_000, 12_000),
      ...new Array(12).fill(0),
    ]);
    expect(imageSize(jpeg)).toEqual({ width: 12_000, height: 12_000 });
  });

  it('leaves a refused file undrawn', async () => {
    const outcome = await parseForm(readFileSync(fixture('hostile', 'zip-bomb.docx')), 'x.docx', {
      ...parserOptions,
      render: true,
    });
    expect(outcome.ok).toBe(false);
  });
});
