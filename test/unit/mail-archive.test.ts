import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readArchive } from '../../src/mail/archive.js';
import { parseIncomingMessage } from '../../src/mail/incoming-message.js';
import { mailWith } from '../helpers/form-mail.js';
import { zipOf } from '../helpers/office-files.js';
import { fixture } from '../helpers/paths.js';

const docx = readFileSync(fixture('forms', 'dk-so-tu-phap.docx'));
const scan = Buffer.from('%PDF-1.4\n% a signed scan\n%%EOF\n');

interface RawEntry {
  name: Buffer;
  data: Buffer;
  /** Declared inflated size (default: the true one). */
  size?: number;
  flags?: number;
  stored?: boolean;
}

/** A zip written byte by byte, so that names, flags and sizes can be whatever an archiver (or an attacker) wrote. */
function rawZip(entries: RawEntry[], { truncate = 0 } = {}): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const body = e.stored ? e.data : deflateRawSync(e.data);
    const size = e.size ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(e.flags ?? 0, 6);
    local.writeUInt16LE(e.stored ? 0 : 8, 8);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(e.name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(e.flags ?? 0, 8);
    central.writeUInt16LE(e.stored ? 0 : 8, 10);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(e.name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, e.name, body);
    centrals.push(central, e.name);
    offset += 30 + e.name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  const all = Buffer.concat([...locals, cd, end]);
  return truncate > 0 ? all.subarray(0, all.length - truncate) : all;
}

const ascii = (s: string) => Buffer.from(s, 'latin1');

/** A name as Vietnamese Windows writes it in code page 1258: a toned letter as its base letter and tone mark. */
function cp1258(s: string): Buffer {
  const parts: Buffer[] = [];
  for (const ch of s.normalize('NFC')) {
    const whole = iconv.encode(ch, 'windows1258');
    if (iconv.decode(whole, 'windows1258') === ch) parts.push(whole);
    else {
      const [base = '', ...marks] = [...ch.normalize('NFD')];
      // The vowel with its shape (â, ơ…) is one letter of the code page; the tone is a mark after it.
      const shaped = (base + (marks.length > 1 ? marks[0] : '')).normalize('NFC');
      parts.push(
        iconv.encode(shaped, 'windows1258'),
        iconv.encode(marks[marks.length - 1] ?? '', 'windows1258'),
      );
    }
  }
  return Buffer.concat(parts);
}

describe('opening a zip archive attached to a mail', () => {
  it('takes out each file under its own name, leaving folders and the archiver’s own files out', async () => {
    const files = await readArchive(
      zipOf({
        'Hồ sơ/Biểu đăng ký.docx': docx,
        'Hồ sơ/ban-ky.pdf': scan,
        '__MACOSX/Hồ sơ/._ban-ky.pdf': Buffer.from('x'),
        '.DS_Store': Buffer.from('x'),
      }),
    );
    expect(files?.map((f) => [f.filename, f.content.length, f.refused])).toEqual([
      ['Biểu đăng ký.docx', docx.length, undefined],
      ['ban-ky.pdf', scan.length, undefined],
    ]);
  });

  it('decodes names written in Vietnamese Windows’ code page 1258 or DOS 437 when no UTF-8 flag says otherwise', async () => {
    const vn = cp1258('Biểu đăng ký.docx');
    const dos = iconv.encode('Résumé.pdf', 'cp437');
    const utf8Unflagged = Buffer.from('Báo cáo.pdf', 'utf8');
    const files = await readArchive(
      rawZip([
        { name: vn, data: docx },
        { name: dos, data: scan },
        { name: utf8Unflagged, data: Buffer.from('%PDF-1.4 b') },
        { name: Buffer.from('Tờ trình.pdf', 'utf8'), data: Buffer.from('%PDF-1.4 c'), flags: 0x800 },
      ]),
    );
    expect(files?.map((f) => f.filename)).toEqual([
      'Biểu đăng ký.docx',
      'Résumé.pdf',
      'Báo cáo.pdf',
      'Tờ trình.pdf',
    ]);
  });

  it('refuses, each with its reason, an encrypted entry, an archive inside the archive and an entry over the file limit', async () => {
    const inner = zipOf({ 'ban-ky.pdf': scan });
    const files = await readArchive(
      rawZip([
        { name: ascii('bieu.docx'), data: docx },
        { name: ascii('mat-khau.docx'), data: docx, flags: 1 },
        { name: ascii('ho-so-cu.zip'), data: inner },
        { name: ascii('ho-so.7z'), data: Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]) },
        { name: ascii('lon.pdf'), data: Buffer.alloc(docx.length + 1, 0x20) },
      ]),
      { maxEntries: 100, maxEntryBytes: docx.length, maxTotalBytes: 1024 * 1024 },
    );
    expect(files?.map((f) => [f.filename, f.refused ?? 'read'])).toEqual([
      ['bieu.docx', 'read'],
      ['mat-khau.docx', 'encrypted'],
      ['ho-so-cu.zip', 'archive_nested'],
      ['ho-so.7z', 'archive_nested'],
      ['lon.pdf', 'too_large'],
    ]);
  });

  it('does not open a document that is a zip, nor an archive that breaks a bound as a whole', async () => {
    expect(await readArchive(docx)).toBeNull(); // a .docx is a document
    expect(await readArchive(scan)).toBeNull(); // not a zip at all
    const limits = { maxEntries: 3, maxEntryBytes: 1024 * 1024, maxTotalBytes: 10_000 };
    // A name that climbs out of the folder it would be unpacked to.
    expect(
      await readArchive(rawZip([{ name: ascii('../../etc/bieu.docx'), data: docx }]), limits),
    ).toBeNull();
    expect(await readArchive(rawZip([{ name: ascii('C:/bieu.docx'), data: docx }]), limits)).toBeNull();
    // More entries than allowed; more bytes in all than allowed.
    const four = [1, 2, 3, 4].map((n) => ({ name: ascii(`${n}.pdf`), data: scan }));
    expect(await readArchive(rawZip(four), limits)).toBeNull();
    const big = [1, 2].map((n) => ({ name: ascii(`${n}.pdf`), data: Buffer.alloc(6000, 0x20) }));
    expect(await readArchive(rawZip(big), limits)).toBeNull();
    // A bomb whose headers lie: it declares 1 KB and inflates to 50 MB; stopped one byte past what it declares.
    const bomb = rawZip([{ name: ascii('bieu.pdf'), data: Buffer.alloc(50 * 1024 * 1024), size: 1024 }]);
    const before = process.memoryUsage().rss;
    expect(await readArchive(bomb)).toBeNull();
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
    // Cut short: no central directory to read.
    expect(
      await readArchive(rawZip([{ name: ascii('bieu.docx'), data: docx }], { truncate: 30 })),
    ).toBeNull();
  });

  it('lists the files of a mail’s archive after it, the archive kept and not to be parsed', async () => {
    const raw = mailWith({
      from: 'vanthu@sotuphap.hanoi.gov.vn',
      subject: 'Hồ sơ đăng ký',
      id: 'zip-1',
      files: [{ name: 'Hồ sơ.zip', bytes: zipOf({ 'Biểu đăng ký.docx': docx, 'ban-ky.pdf': scan }) }],
    });
    const m = await parseIncomingMessage(raw);
    expect(
      m.attachments.map((a) => [a.part, a.filename, a.contentType, a.nested, a.unpacked ?? false]),
    ).toEqual([
      ['1', 'Hồ sơ.zip', 'application/zip', false, true],
      ['1.1', 'Biểu đăng ký.docx', 'application/octet-stream', true, false],
      ['1.2', 'ban-ky.pdf', 'application/octet-stream', true, false],
    ]);
  });
});
