import { readFileSync } from 'node:fs';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseForm } from '../../src/parser/parse-form.js';
import { createParserPool } from '../../src/parser/parser-pool.js';
import { parserOptions } from '../helpers/parser.js';
import { fixture } from '../helpers/paths.js';

const rejection = async (bytes: Buffer, name: string, options = parserOptions) => {
  const outcome = await parseForm(bytes, name, options);
  return outcome.ok ? `parsed as ${outcome.form.kind}` : outcome.error.code;
};

/** The zip bomb with every size field lowered to 1 KB: only counting the inflated bytes can catch it. */
function lyingZipBomb(): Buffer {
  const bytes = Buffer.from(readFileSync(fixture('hostile', 'zip-bomb.docx')));
  for (let at = 0; at < bytes.length - 4; at++) {
    const sig = bytes.readUInt32LE(at);
    if (sig === 0x04034b50) bytes.writeUInt32LE(1024, at + 22);
    if (sig === 0x02014b50) bytes.writeUInt32LE(1024, at + 24);
  }
  return bytes;
}

describe('hostile input', () => {
  it('refuses a zip bomb whose headers lie about its size, quickly and without holding it in memory', async () => {
    const before = process.memoryUsage().rss;
    expect(await rejection(lyingZipBomb(), 'bieu.docx')).toBe('decompression_limit');
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const bytes = readFileSync(fixture('forms', 'dk-so-tu-phap.docx'));
    const options = { ...parserOptions, limits: { ...parserOptions.limits, maxBytes: 1000 } };
    expect(await rejection(bytes, 'dk.docx', options)).toBe('too_large');
  });

  it('refuses a password-protected Word file', async () => {
    // A protected .docx is an OLE container holding EncryptionInfo and EncryptedPackage streams.
    const ole = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
      Buffer.alloc(504),
      Buffer.from('EncryptionInfo', 'utf16le'),
      Buffer.alloc(64),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    expect(await rejection(ole, 'bieu-dang-ky.docx')).toBe('unsupported_type');
    expect(await rejection(ole, 'bieu-dang-ky.doc')).toBe('encrypted');
  });

  it('refuses an archive with an encrypted entry', async () => {
    const zip = Buffer.from(zipSync({ 'word/document.xml': new TextEncoder().encode('<w:document/>') }));
    // Set the "encrypted" bit of the general-purpose flags in the local and central headers.
    for (let at = 0; at < zip.length - 4; at++) {
      const sig = zip.readUInt32LE(at);
      if (sig === 0x04034b50) zip.writeUInt16LE(zip.readUInt16LE(at + 6) | 1, at + 6);
      if (sig === 0x02014b50) zip.writeUInt16LE(zip.readUInt16LE(at + 8) | 1, at + 8);
    }
    expect(await rejection(zip, 'bieu.docx')).toBe('encrypted');
  });

  it('refuses a zip that is not a Word document, and bytes of no known kind', async () => {
    const xlsx = Buffer.from(zipSync({ 'xl/workbook.xml': new TextEncoder().encode('<workbook/>') }));
    expect(await rejection(xlsx, 'bieu.xlsx')).toBe('unsupported_type');
    expect(await rejection(Buffer.from('just some text'), 'bieu.txt')).toBe('unsupported_type');
  });

  it('takes an empty file or a photo for no form rather than an error', async () => {
    const empty = await parseForm(Buffer.alloc(0), 'bieu.docx', parserOptions);
    expect(empty).toMatchObject({ ok: true, form: { kind: 'not_a_form' } });
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46]);
    expect(await parseForm(jpeg, 'scan.jpg', parserOptions)).toMatchObject({
      ok: true,
      form: { kind: 'not_a_form', warnings: ['scanned'] },
    });
  });

  it('stops a parse that runs past its time limit, and the process goes on', async () => {
    const bytes = readFileSync(fixture('forms', 'dk-so-tu-phap.docx'));
    const hasty = createParserPool({ threads: 1, timeoutMs: 1 });
    expect(await hasty.parse(bytes, 'dk.docx', parserOptions)).toMatchObject({
      ok: false,
      error: { code: 'timeout' },
    });
    await hasty.close();
    const patient = createParserPool({ threads: 1, timeoutMs: 30_000 });
    const again = await patient.parse(bytes, 'dk.docx', parserOptions);
    await patient.close();
    expect(again).toMatchObject({ ok: true, form: { kind: 'registration', agency_code: 'so-tu-phap' } });
  });
});
