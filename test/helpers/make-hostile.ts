import { readFileSync } from 'node:fs';
import { constants, deflateRawSync, deflateSync } from 'node:zlib';
import { fixture } from './paths.js';

// Hostile files, built at test time so that nothing large sits on disk: each one is small (a few hundred KB, the
// archive of 20,000 entries 2.3 MB) and asks a careless reader for hundreds of MB, or loops, or points past its end.

const MB = 1024 * 1024;

/**
 * A raw deflate stream that inflates to `megabytes` MB of zeros: one sync-flushed block of 1 MB repeated
 * (a back-reference at distance 1 stays valid across the copies), then an empty final block. ~1 KB per MB.
 */
function deflateBomb(megabytes: number): Buffer {
  const block = deflateRawSync(Buffer.alloc(MB), { finishFlush: constants.Z_SYNC_FLUSH });
  return Buffer.concat([...Array.from({ length: megabytes }, () => block), Buffer.from([0x03, 0x00])]);
}

/** The same bomb with a zlib header, as a PDF's FlateDecode filter expects (the checksum is left wrong). */
function zlibBomb(megabytes: number): Buffer {
  const header = deflateSync(Buffer.alloc(0)).subarray(0, 2);
  return Buffer.concat([header, deflateBomb(megabytes), Buffer.alloc(4)]);
}

interface ZipEntrySpec {
  name: string;
  /** The bytes as stored (already deflated when `method` is 8). */
  stored: Buffer;
  method: 0 | 8;
  /** What the headers claim the entry inflates to. */
  declaredSize: number;
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (crcTable[(c ^ b) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip archive written by hand, so that its headers can say whatever a test needs them to. */
function writeZip(entries: ZipEntrySpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const crc = e.method === 0 ? crc32(e.stored) : 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6);
    local.writeUInt16LE(e.method, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(e.stored.length, 18);
    local.writeUInt32LE(e.declaredSize, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.method, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(e.stored.length, 20);
    central.writeUInt32LE(e.declaredSize, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.stored);
    centrals.push(central, name);
    offset += 30 + name.length + e.stored.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 8);
  end.writeUInt16LE(Math.min(entries.length, 0xffff), 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const stored = (name: string, text: string): ZipEntrySpec => {
  const bytes = Buffer.from(text, 'utf8');
  return { name, stored: bytes, method: 0, declaredSize: bytes.length };
};

const DOCUMENT = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>${body}</w:body></w:document>`;

/** The parts every .docx has, with the main document at `mainPart` (mammoth finds it through _rels/.rels). */
function docxSkeleton(mainPart: string): ZipEntrySpec[] {
  return [
    stored(
      '[Content_Types].xml',
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    stored(
      '_rels/.rels',
      `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${mainPart}"/></Relationships>`,
    ),
  ];
}

/** The review's case: the main part is `word/doc.bin`, declared 100 bytes, inflating to `megabytes` MB. */
export function docxMainPartBomb(megabytes = 400): Buffer {
  return writeZip([
    ...docxSkeleton('word/doc.bin'),
    stored('word/document.xml', DOCUMENT('<w:p><w:r><w:t>decoy</w:t></w:r></w:p>')),
    { name: 'word/doc.bin', stored: deflateBomb(megabytes), method: 8, declaredSize: 100 },
  ]);
}

/** A plain document with a picture declared 2 KB that inflates to `megabytes` MB. */
function docxMediaBomb(megabytes = 400): Buffer {
  return writeZip([
    ...docxSkeleton('word/document.xml'),
    stored('word/document.xml', DOCUMENT('<w:p><w:r><w:t>Biểu đăng ký</w:t></w:r></w:p>')),
    { name: 'word/media/image1.png', stored: deflateBomb(megabytes), method: 8, declaredSize: 2048 },
  ]);
}

/** An archive honest about its sizes whose parts add up to `megabytes` MB, each part under the limit. */
export function docxHonestHuge(parts = 40, megabytesEach = 10): Buffer {
  return writeZip([
    ...docxSkeleton('word/document.xml'),
    stored('word/document.xml', DOCUMENT('<w:p><w:r><w:t>Biểu đăng ký</w:t></w:r></w:p>')),
    ...Array.from({ length: parts }, (_, i) => ({
      name: `word/media/image${i}.png`,
      stored: deflateBomb(megabytesEach),
      method: 8 as const,
      declaredSize: megabytesEach * MB,
    })),
  ]);
}

/** A zip of `count` tiny entries: a central directory to choke on rather than a bomb. */
function docxManyEntries(count = 20_000): Buffer {
  return writeZip([
    ...docxSkeleton('word/document.xml'),
    stored('word/document.xml', DOCUMENT('<w:p><w:r><w:t>x</w:t></w:r></w:p>')),
    ...Array.from({ length: count }, (_, i) => stored(`word/x/${i}`, '')),
  ]);
}

/** A document.xml, honest about its size, of `megabytes` MB of paragraphs: the XML reader's cost, not a bomb. */
export function docxHugeXml(megabytes: number): Buffer {
  const paragraph = '<w:p><w:r><w:t>Sáng kiến cải cách hành chính số</w:t></w:r></w:p>';
  const count = Math.ceil((megabytes * MB) / Buffer.byteLength(paragraph));
  const xml = Buffer.from(DOCUMENT(paragraph.repeat(count)), 'utf8');
  return writeZip([
    ...docxSkeleton('word/document.xml'),
    { name: 'word/document.xml', stored: deflateRawSync(xml), method: 8, declaredSize: xml.length },
  ]);
}

/** A minimal PDF from its objects (the first is the catalog), with a correct cross-reference table. */
function writePdf(objects: (string | Buffer)[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = parts[0]?.length ?? 0;
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(length);
    const chunk = Buffer.concat([
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      typeof body === 'string' ? Buffer.from(body, 'latin1') : body,
      Buffer.from('\nendobj\n', 'latin1'),
    ]);
    parts.push(chunk);
    length += chunk.length;
  });
  const xref = [
    'xref',
    `0 ${objects.length + 1}`,
    '0000000000 65535 f ',
    ...offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n `),
    'trailer',
    `<< /Size ${objects.length + 1} /Root 1 0 R >>`,
    'startxref',
    String(length),
    '%%EOF',
  ].join('\n');
  parts.push(Buffer.from(`${xref}\n`, 'latin1'));
  return Buffer.concat(parts);
}

const streamObject = (dict: string, data: Buffer) =>
  Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`, 'latin1'),
    data,
    Buffer.from('\nendstream', 'latin1'),
  ]);

/** The review's PDF: one page whose FlateDecode content stream inflates to `megabytes` MB. */
export function pdfStreamBomb(megabytes = 1000): Buffer {
  return writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    streamObject('/Filter /FlateDecode', zlibBomb(megabytes)),
  ]);
}

/** The same, its content compressed twice ([/FlateDecode /FlateDecode]): the outer layer alone inflates to 1 MB. */
function pdfDoubleStreamBomb(megabytes = 1000): Buffer {
  return writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    streamObject('/Filter [/FlateDecode /FlateDecode]', deflateSync(zlibBomb(megabytes))),
  ]);
}

/** One page of `megabytes` MB of text-showing operators (~17,000 pieces of text per MB) in a ~40 KB file. */
function pdfTextBomb(megabytes = 12): Buffer {
  const ops = Buffer.from(
    'BT /F1 12 Tf 72 700 Td (Sang kien cai cach) Tj T* (x) Tj ET\n'.repeat(Math.ceil((megabytes * MB) / 60)),
    'latin1',
  );
  return writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    streamObject('/Filter /FlateDecode', deflateSync(ops)),
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]);
}

/** A PDF of `count` empty pages, all sharing one content stream. */
function pdfManyPages(count = 5000): Buffer {
  const first = 4;
  const kids = Array.from({ length: count }, (_, i) => `${first + i} 0 R`).join(' ');
  return writePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    `<< /Type /Pages /Kids [${kids}] /Count ${count} >>`,
    streamObject('', Buffer.from('BT ET', 'latin1')),
    ...Array.from(
      { length: count },
      () => '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R >>',
    ),
  ]);
}

// --- Legacy .doc: a real compound file from the fixtures with its structure broken in one place. ---

const SECTOR = 512;
const sectorAt = (n: number) => (n + 1) * SECTOR;

/** The FAT of a compound file (version 3, 512-byte sectors, no DIFAT sectors), as sector numbers. */
function fatOf(bytes: Buffer): {
  fatSectors: number[];
  next: (s: number) => number;
  set: (s: number, v: number) => void;
} {
  const count = bytes.readUInt32LE(0x2c);
  const fatSectors = Array.from({ length: Math.min(count, 109) }, (_, i) => bytes.readUInt32LE(0x4c + i * 4));
  const where = (s: number) => {
    const fs = fatSectors[Math.floor(s / (SECTOR / 4))];
    if (fs === undefined) throw new Error(`sector ${s} is outside the FAT`);
    return sectorAt(fs) + (s % (SECTOR / 4)) * 4;
  };
  return {
    fatSectors,
    next: (s) => bytes.readUInt32LE(where(s)),
    set: (s, v) => bytes.writeUInt32LE(v, where(s)),
  };
}

/** The directory entry of a stream by name: its offset in the file. */
function directoryEntry(bytes: Buffer, name: string): number {
  const fat = fatOf(bytes);
  const wanted = Buffer.from(name, 'utf16le');
  for (let s = bytes.readUInt32LE(0x30), hops = 0; s < 0xfffffffa && hops < 1000; s = fat.next(s), hops++) {
    for (let i = 0; i < SECTOR / 128; i++) {
      const at = sectorAt(s) + i * 128;
      if (bytes.subarray(at, at + wanted.length).equals(wanted)) return at;
    }
  }
  throw new Error(`no stream ${name}`);
}

const legacyDoc = () => Buffer.from(readFileSync(fixture('forms', 'dk-quan-long-bien-legacy.doc')));

/** The WordDocument stream's sector chain loops back on itself after two sectors. */
export function docCyclicChain(): Buffer {
  const bytes = legacyDoc();
  const entry = directoryEntry(bytes, 'WordDocument');
  const start = bytes.readUInt32LE(entry + 0x74);
  const fat = fatOf(bytes);
  fat.set(fat.next(start), start);
  return bytes;
}

/** The directory's own sector chain points to itself. */
function docCyclicDirectory(): Buffer {
  const bytes = legacyDoc();
  const dir = bytes.readUInt32LE(0x30);
  fatOf(bytes).set(dir, dir);
  return bytes;
}

/** The directory tree loops: the root's first child is its own right sibling. */
function docDirectoryTreeLoop(): Buffer {
  const bytes = legacyDoc();
  const root = sectorAt(bytes.readUInt32LE(0x30));
  const child = bytes.readUInt32LE(root + 0x4c);
  const entry = sectorAt(bytes.readUInt32LE(0x30)) + child * 128; // the first directory sector holds 4 entries
  if (child >= SECTOR / 128) throw new Error('the root child is not in the first directory sector');
  bytes.writeUInt32LE(child, entry + 0x48);
  return bytes;
}

/** The WordDocument stream claims 2 GB: far past the end of the file. */
function docStreamPastEnd(): Buffer {
  const bytes = legacyDoc();
  bytes.writeUInt32LE(0x7ffffff0, directoryEntry(bytes, 'WordDocument') + 0x78);
  return bytes;
}

/** Inside WordDocument: the piece table's offset and the text length point far past the streams. */
function docOffsetsPastEnd(): Buffer {
  const bytes = legacyDoc();
  const entry = directoryEntry(bytes, 'WordDocument');
  const start = bytes.readUInt32LE(entry + 0x74);
  const fib = sectorAt(start);
  bytes.writeUInt32LE(0x7ffffff0, fib + 0x01a2); // fcClx
  bytes.writeUInt32LE(0x7ffffff0, fib + 0x004c); // ccpText
  bytes.writeUInt32LE(0x7ffffff0, fib + 0x0106); // lcbPlcfBtePapx
  return bytes;
}

// ---------------------------------------------------------------------------------------------------------------
// The other formats: OpenDocument, RTF, Excel, and archives.

const ODT_MANIFEST = stored(
  'META-INF/manifest.xml',
  '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.text"/></manifest:manifest>',
);
const ODT_TYPE = stored('mimetype', 'application/vnd.oasis.opendocument.text');
const ODT_NS =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"';

/** An .odt whose content.xml declares 1 KB and inflates to `megabytes` MB. */
function odtContentBomb(megabytes = 400): Buffer {
  return writeZip([
    ODT_TYPE,
    ODT_MANIFEST,
    { name: 'content.xml', stored: deflateBomb(megabytes), method: 8, declaredSize: 1024 },
  ]);
}

/** An .odt whose content.xml defines entities that expand each other ("billion laughs"). */
function odtEntityExpansion(): Buffer {
  const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY l${i + 1} "${`&l${i};`.repeat(10)}">`).join(
    '',
  );
  return writeZip([
    ODT_TYPE,
    ODT_MANIFEST,
    stored(
      'content.xml',
      `<?xml version="1.0"?><!DOCTYPE office:document-content [<!ENTITY l0 "ha">${entities}]><office:document-content ${ODT_NS}><office:body><office:text><text:p>&l10;</text:p></office:text></office:body></office:document-content>`,
    ),
  ]);
}

/** An .odt of tables nested 20,000 deep inside each other's cells (under 2 MB of XML, the parts limit). */
function odtDeepNesting(depth = 20_000): Buffer {
  const open = '<table:table><table:table-row><table:table-cell>';
  const close = '</table:table-cell></table:table-row></table:table>';
  const xml = Buffer.from(
    `<?xml version="1.0"?><office:document-content ${ODT_NS}><office:body><office:text>${open.repeat(depth)}<text:p>x</text:p>${close.repeat(depth)}</office:text></office:body></office:document-content>`,
  );
  return writeZip([
    ODT_TYPE,
    ODT_MANIFEST,
    { name: 'content.xml', stored: deflateRawSync(xml), method: 8, declaredSize: xml.length },
  ]);
}

/** An .xlsx whose first sheet declares 1 KB and inflates to `megabytes` MB. */
function xlsxSheetBomb(megabytes = 400): Buffer {
  return writeZip([
    stored(
      '[Content_Types].xml',
      '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    ),
    stored('xl/workbook.xml', '<workbook/>'),
    { name: 'xl/worksheets/sheet1.xml', stored: deflateBomb(megabytes), method: 8, declaredSize: 1024 },
  ]);
}

/** RTF groups opened 100,000 deep. */
const rtfDeepGroups = () => Buffer.from(`{\\rtf1\\ansi ${'{'.repeat(100_000)}x`, 'latin1');
/** RTF whose \\bin claims 2 GB of binary data in a 40-byte file. */
const rtfBinPastEnd = () => Buffer.from('{\\rtf1\\ansi{\\pict\\bin2000000000 ab}}', 'latin1');
/** RTF of one table row of 300,000 cells (1.5 MB): more cells than any form, refused before the grid. */
const rtfManyCells = () =>
  Buffer.from(`{\\rtf1\\ansi\\trowd\\cellx100\\pard\\intbl ${'x\\cell '.repeat(300_000)}\\row}`, 'latin1');

/** A zip of files sent to the parser as it is (the intake opens such archives; this one it would not). */
function zipOfFiles(): Buffer {
  return writeZip([stored('../bieu-dang-ky.pdf', '%PDF-1.4 not really'), stored('scan.pdf', '%PDF-1.4 x')]);
}

/** A 7-Zip archive's signature and a little after it. */
const sevenZip = () =>
  Buffer.concat([Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), Buffer.alloc(64)]);

/** Every hostile file with the rejection it must get, for the tests and the fuzzer's seed corpus. */
export function hostileFiles(): { name: string; bytes: Buffer; expected: string }[] {
  return [
    { name: 'main-part-bomb.docx', bytes: docxMainPartBomb(), expected: 'decompression_limit' },
    { name: 'media-bomb.docx', bytes: docxMediaBomb(), expected: 'decompression_limit' },
    { name: 'honest-huge.docx', bytes: docxHonestHuge(), expected: 'decompression_limit' },
    { name: 'many-entries.docx', bytes: docxManyEntries(), expected: 'decompression_limit' },
    { name: 'stream-bomb.pdf', bytes: pdfStreamBomb(), expected: 'decompression_limit' },
    { name: 'double-stream-bomb.pdf', bytes: pdfDoubleStreamBomb(), expected: 'decompression_limit' },
    { name: 'text-bomb.pdf', bytes: pdfTextBomb(), expected: 'too_large' },
    { name: 'many-pages.pdf', bytes: pdfManyPages(), expected: 'too_many_pages' },
    { name: 'cyclic-chain.doc', bytes: docCyclicChain(), expected: 'corrupt_file' },
    { name: 'cyclic-directory.doc', bytes: docCyclicDirectory(), expected: 'corrupt_file' },
    { name: 'directory-tree-loop.doc', bytes: docDirectoryTreeLoop(), expected: 'corrupt_file' },
    { name: 'stream-past-end.doc', bytes: docStreamPastEnd(), expected: 'corrupt_file' },
    { name: 'offsets-past-end.doc', bytes: docOffsetsPastEnd(), expected: 'corrupt_file' },
    { name: 'content-bomb.odt', bytes: odtContentBomb(), expected: 'decompression_limit' },
    { name: 'entity-expansion.odt', bytes: odtEntityExpansion(), expected: 'corrupt_file' },
    { name: 'deep-nesting.odt', bytes: odtDeepNesting(), expected: 'corrupt_file' },
    { name: 'sheet-bomb.xlsx', bytes: xlsxSheetBomb(), expected: 'decompression_limit' },
    { name: 'deep-groups.doc', bytes: rtfDeepGroups(), expected: 'rtf_unreadable' },
    { name: 'bin-past-end.rtf', bytes: rtfBinPastEnd(), expected: 'rtf_unreadable' },
    { name: 'many-cells.rtf', bytes: rtfManyCells(), expected: 'too_large' },
    { name: 'files-escaping.zip', bytes: zipOfFiles(), expected: 'archive_refused' },
    { name: 'archive.7z', bytes: sevenZip(), expected: 'archive_format' },
  ];
}
