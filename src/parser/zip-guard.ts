import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { inflatedSize } from './inflate-limit.js';
import { FormRejected } from './parse-errors.js';

export interface ZipLimits {
  /** Largest total the archive may inflate to, media included. */
  maxUncompressedBytes: number;
  /** Most entries an archive may have (a Word form has a few dozen). */
  maxZipEntries?: number;
  /** Largest total of the XML parts, which the reader turns into a document tree (~85× their size in memory). */
  maxXmlBytes?: number;
}

const DEFAULT_MAX_ZIP_ENTRIES = 1000;
const DEFAULT_MAX_XML_BYTES = 2 * 1024 * 1024;

export interface ZipSummary {
  entries: string[];
  contentTypes: string;
}

const openZip = (bytes: Buffer) =>
  new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, validateEntrySizes: false, strictFileNames: false },
      (err, zip) => (err || !zip ? reject(err) : resolve(zip)),
    ),
  );

/** The central directory's entries, read without inflating anything. */
async function listEntries(bytes: Buffer, maxEntries: number): Promise<yauzl.Entry[]> {
  const zip = await openZip(bytes);
  if (zip.entryCount > maxEntries) {
    zip.close();
    throw new FormRejected(
      'decompression_limit',
      `the archive has ${zip.entryCount} entries, over the limit of ${maxEntries}`,
      { limit: maxEntries },
    );
  }
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      if (entries.length > maxEntries) {
        zip.close();
        reject(new FormRejected('decompression_limit', `the archive has over ${maxEntries} entries`));
        return;
      }
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * Check an OOXML archive before anything parses it: readable, not encrypted, no macros, not too many entries,
 * and inflating to no more than the limits. The declared sizes are checked first, then EVERY entry is inflated
 * (whatever its name: mammoth finds the main part through _rels/.rels under any name, and media is an entry
 * like any other) only to count its bytes, stopped one byte past what it declares: a lying header cannot slip
 * a bomb through, and nothing is held while counting.
 */
export async function guardZip(bytes: Buffer, limits: ZipLimits): Promise<ZipSummary> {
  const maxEntries = limits.maxZipEntries ?? DEFAULT_MAX_ZIP_ENTRIES;
  const maxXml = limits.maxXmlBytes ?? DEFAULT_MAX_XML_BYTES;
  let entries: yauzl.Entry[];
  try {
    entries = await listEntries(bytes, maxEntries);
  } catch (err) {
    if (err instanceof FormRejected) throw err;
    // A name that climbs out of the archive (yauzl refuses it): a crafted archive, never opened.
    if (/^(invalid relative path|absolute path)/.test((err as Error).message)) {
      throw new FormRejected(
        'archive_refused',
        `the archive names a path outside itself: ${(err as Error).message}`,
      );
    }
    throw new FormRejected(
      'corrupt_file',
      `the file is not a complete zip archive: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  // A package (Office Open XML, OpenDocument) names its parts; any other zip is an archive of files, opened when
  // its mail arrives (src/mail/archive.ts). One that reaches the parser is one the intake would not open.
  const names = new Set(entries.map((e) => e.fileName));
  if (
    !['[Content_Types].xml', 'mimetype', 'word/document.xml', 'xl/workbook.xml'].some((n) => names.has(n))
  ) {
    if (entries.some((e) => e.isEncrypted()))
      throw new FormRejected('encrypted', 'the archive is protected by a password');
    throw new FormRejected(
      'archive_refused',
      'a zip archive that is not a document, left unopened at intake',
    );
  }
  let declared = 0;
  let declaredXml = 0;
  for (const entry of entries) {
    if (entry.isEncrypted())
      throw new FormRejected('encrypted', `the archive entry ${entry.fileName} is encrypted`);
    if (/(^|\/)vba(Project\.bin|Data\.xml)$/i.test(entry.fileName)) {
      throw new FormRejected('macro_enabled', `the document carries macros (${entry.fileName})`);
    }
    declared += entry.uncompressedSize;
    if (!isMedia(entry.fileName)) declaredXml += entry.uncompressedSize;
  }
  if (declared > limits.maxUncompressedBytes) {
    throw new FormRejected(
      'decompression_limit',
      `the archive declares ${declared} bytes uncompressed, over the limit of ${limits.maxUncompressedBytes}`,
      { limit: limits.maxUncompressedBytes },
    );
  }
  if (declaredXml > maxXml) {
    throw new FormRejected(
      'decompression_limit',
      `the document's parts declare ${declaredXml} bytes, over the limit of ${maxXml}`,
      { limit: maxXml },
    );
  }
  let contentTypes = '';
  for (const entry of entries) {
    const data = compressedData(bytes, entry);
    // Never more than the entry declares (plus one byte, to notice a lie): a part that inflates past its
    // declared size is a bomb in disguise, stopped before its output grows any further. The declared sizes
    // were checked against the limits above, so the real ones are too.
    let size: number;
    try {
      if (entry.compressionMethod === 0) size = data.length;
      else if (entry.compressionMethod === 8) size = await inflatedEntrySize(data, entry.uncompressedSize);
      else throw new Error(`compression method ${entry.compressionMethod}`);
    } catch (err) {
      throw new FormRejected(
        'corrupt_file',
        `the archive entry ${entry.fileName} is damaged`,
        {},
        { cause: err },
      );
    }
    if (size > entry.uncompressedSize) {
      throw new FormRejected(
        'decompression_limit',
        `the part ${entry.fileName} inflates past the ${entry.uncompressedSize} bytes it declares`,
        { declared: entry.uncompressedSize },
      );
    }
    if (entry.fileName === '[Content_Types].xml') {
      contentTypes =
        entry.compressionMethod === 0
          ? Buffer.from(data).toString('utf8')
          : inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 }).toString('utf8');
    }
  }
  if (/macroEnabled/i.test(contentTypes))
    throw new FormRejected('macro_enabled', 'the document is macro-enabled (.docm)');
  return { entries: entries.map((e) => e.fileName), contentTypes };
}

// Up to this size an entry is inflated in one call (fast; the output, at most this, is dropped at once); a larger
// one is streamed through a counter that holds one chunk at a time.
const INFLATE_AT_ONCE = 1024 * 1024;

/** What an entry inflates to, stopped one byte past what it declares. */
async function inflatedEntrySize(data: Uint8Array, declared: number): Promise<number> {
  if (declared >= INFLATE_AT_ONCE) return (await inflatedSize(data, declared)).size;
  try {
    return inflateRawSync(data, { maxOutputLength: declared + 1 }).length;
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return declared + 1;
    throw err;
  }
}

// Pictures and embedded files: counted against the total, never read into a document tree.
// (OpenDocument keeps them under Pictures/ and a preview under Thumbnails/.)
const isMedia = (name: string) => /(^|\/)(media|embeddings|Pictures|Thumbnails)\//i.test(name);

/** The compressed bytes of an entry: after its local header, whose name and extra field lengths vary. */
function compressedData(bytes: Buffer, entry: yauzl.Entry): Uint8Array {
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) throw new Error('bad local header');
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new Error('entry runs past the end of the file');
  return bytes.subarray(start, end);
}
