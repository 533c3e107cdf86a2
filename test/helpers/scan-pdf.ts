import { readFileSync } from 'node:fs';
import { simpleParser } from 'mailparser';
import { fixture } from './paths.js';

// Scans of any length built from the signed scan of a sample mail: its JPEG page image, repeated. Each page draws
// `imagesPerPage` copies as objects of their own, so that drawing a page costs a decoding for each.

async function scanJpeg(): Promise<Buffer> {
  const mail = await simpleParser(readFileSync(fixture('emails', '02-huyen-thanh-tri-scan-va-word.eml')));
  const pdf = mail.attachments.find((a) => a.contentType === 'application/pdf')?.content;
  if (!pdf) throw new Error('the sample mail has no scan');
  const m = /\/Length (\d+)\s*>>\s*stream\r?\n/.exec(pdf.toString('latin1'));
  if (!m) throw new Error('no image stream in the sample scan');
  const start = m.index + m[0].length;
  return pdf.subarray(start, start + Number(m[1]));
}

/** A PDF without text of `pages` pages, each showing the same scanned page `imagesPerPage` times. */
export async function scanPdf(pages: number, imagesPerPage: number): Promise<Buffer> {
  const jpeg = await scanJpeg();
  const objects: Buffer[] = [];
  // Objects are numbered from 1, in the order they are added.
  const add = (b: Buffer) => objects.push(b);
  add(Buffer.alloc(0)); // 1: the catalog, written last
  add(Buffer.alloc(0)); // 2: the page tree
  const kids: number[] = [];
  const band = Math.floor(842 / imagesPerPage);
  for (let p = 0; p < pages; p++) {
    const images: number[] = [];
    for (let k = 0; k < imagesPerPage; k++)
      images.push(
        add(
          Buffer.concat([
            Buffer.from(
              '<< /Type /XObject /Subtype /Image /Width 1299 /Height 926 /ColorSpace /DeviceRGB ' +
                `/BitsPerComponent 8 /Filter /DCTDecode /Length ${jpeg.length} >>\nstream\n`,
              'latin1',
            ),
            jpeg,
            Buffer.from('\nendstream', 'latin1'),
          ]),
        ),
      );
    const content = images.map((_, k) => `q 595 0 0 ${band} 0 ${k * band} cm /Im${k} Do Q`).join('\n');
    const contents = add(
      Buffer.from(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`, 'latin1'),
    );
    const refs = images.map((id, k) => `/Im${k} ${id} 0 R`).join(' ');
    kids.push(
      add(
        Buffer.from(
          `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << ${refs} >> >> ` +
            `/Contents ${contents} 0 R >>`,
          'latin1',
        ),
      ),
    );
  }
  objects[0] = Buffer.from('<< /Type /Catalog /Pages 2 0 R >>', 'latin1');
  objects[1] = Buffer.from(
    `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`,
    'latin1',
  );
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let length = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const part = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(part);
    length += part.length;
  });
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer << /Root 1 0 R /Size ${objects.length + 1} >>\nstartxref\n${length}\n%%EOF\n`;
  parts.push(Buffer.from(xref, 'latin1'));
  return Buffer.concat(parts);
}
