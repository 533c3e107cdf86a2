import { inflateRawSync } from 'node:zlib';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';

// A .zip sent instead of its files ("hồ sơ.zip" holding the Word form and the signed scan): opened when the mail
// is read, each file then stored and parsed as if it had been attached. Only what that needs, under the bounds
// of any file: the number of entries, each entry's and all entries' inflated bytes (counted, never trusted from
// the headers), one level only, no name that climbs out of the archive. An archive that breaks a bound as a
// whole is not opened: it stays one file, which the parser refuses with its reason (src/parser/zip-guard.ts).

export interface ArchiveLimits {
  /** Most entries an archive may have (MAX_ZIP_ENTRIES). */
  maxEntries: number;
  /** Largest file an entry may inflate to (MAX_ATTACHMENT_BYTES); a larger one is refused alone. */
  maxEntryBytes: number;
  /** Largest total all entries may inflate to (MAX_UNCOMPRESSED_BYTES). */
  maxTotalBytes: number;
}

const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = Object.freeze({
  maxEntries: 1000,
  maxEntryBytes: 20 * 1024 * 1024,
  maxTotalBytes: 100 * 1024 * 1024,
});

/** Why one file of an archive is not read (the codes the parser's refusals use, with their advice). */
export type ArchiveEntryRefusal =
  | 'encrypted'
  | 'too_large'
  | 'archive_nested'
  | 'archive_format'
  | 'corrupt_file';

export interface ArchiveFile {
  /** The file's own name (the last part of its path in the archive), decoded. */
  filename: string;
  /** Its bytes; for a refused entry, the bytes as the archive holds them (compressed or encrypted). */
  content: Buffer;
  refused?: ArchiveEntryRefusal;
}

// Entries an archiver adds that nobody sent: macOS resource forks and folder settings.
const SYSTEM_FILE = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;
// Parts that make a zip a document (Office Open XML, OpenDocument), not an archive of files.
const PACKAGE_PARTS = ['[Content_Types].xml', 'mimetype', 'word/document.xml', 'xl/workbook.xml'];

const isZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;
const isEmptyZip = (b: Buffer) => b.length >= 4 && b.readUInt32LE(0) === 0x06054b50;

/** An archive format other than zip (7-Zip, RAR, gzip, bzip2, xz), by its first bytes. */
function isOtherArchive(b: Buffer): boolean {
  const head = b.subarray(0, 6);
  return (
    head.equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) ||
    head.subarray(0, 4).toString('latin1') === 'Rar!' ||
    (head[0] === 0x1f && head[1] === 0x8b) ||
    head.subarray(0, 3).toString('latin1') === 'BZh' ||
    head.equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
  );
}

/** A zip file that is a document (its package parts named in its headers), not an archive of files. */
const isDocumentZip = (b: Buffer) => PACKAGE_PARTS.some((p) => b.includes(p, 0, 'latin1'));

/**
 * The files of a zip archive attached to a mail, or null when the bytes are not an archive to open here: not a
 * zip, a document that is a zip (.docx, .odt, .xlsx), or an archive that breaks a bound as a whole (unreadable or
 * truncated, too many entries, more bytes in all than allowed, an entry inflating past the size it declares, a
 * name escaping the archive). Never throws.
 */
export async function readArchive(
  bytes: Buffer,
  limits: ArchiveLimits = DEFAULT_ARCHIVE_LIMITS,
): Promise<ArchiveFile[] | null> {
  if (isEmptyZip(bytes)) return [];
  if (!isZip(bytes)) return null;
  let entries: yauzl.Entry[];
  try {
    entries = await listEntries(bytes, limits.maxEntries);
  } catch {
    return null;
  }
  const named = entries.map((e) => ({ entry: e, name: entryName(e) }));
  if (named.some(({ name }) => PACKAGE_PARTS.includes(name))) return null;
  if (named.some(({ name }) => escapes(name))) return null;
  const files = named.filter(({ name }) => !name.endsWith('/') && !SYSTEM_FILE.test(name));
  let total = 0;
  const out: ArchiveFile[] = [];
  for (const { entry, name } of files) {
    const filename = name.slice(name.lastIndexOf('/') + 1);
    const raw = compressedData(bytes, entry);
    if (!raw) return null;
    if (entry.isEncrypted()) {
      out.push({ filename, content: Buffer.from(raw), refused: 'encrypted' });
      continue;
    }
    if (entry.uncompressedSize > limits.maxEntryBytes) {
      out.push({ filename, content: Buffer.from(raw), refused: 'too_large' });
      continue;
    }
    if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
      out.push({ filename, content: Buffer.from(raw), refused: 'archive_format' });
      continue;
    }
    let content: Buffer;
    try {
      content =
        entry.compressionMethod === 0
          ? Buffer.from(raw)
          : inflateRawSync(raw, { maxOutputLength: entry.uncompressedSize + 1 });
    } catch (err) {
      // Past its declared size: a bomb in disguise, and the whole archive is suspect.
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return null;
      out.push({ filename, content: Buffer.from(raw), refused: 'corrupt_file' });
      continue;
    }
    if (content.length > entry.uncompressedSize) return null;
    total += content.length;
    if (total > limits.maxTotalBytes) return null;
    // One level only: an archive inside the archive is kept, and refused.
    const nested = isOtherArchive(content) || (isZip(content) && !isDocumentZip(content));
    out.push(nested ? { filename, content, refused: 'archive_nested' } : { filename, content });
  }
  return out;
}

/** The central directory's entries, or a throw when the archive cannot be read or has too many. */
function listEntries(bytes: Buffer, maxEntries: number): Promise<yauzl.Entry[]> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(
      bytes,
      { lazyEntries: true, decodeStrings: false, validateEntrySizes: false },
      (err, zip) => {
        if (err || !zip) return reject(err ?? new Error('no archive'));
        if (zip.entryCount > maxEntries) {
          zip.close();
          return reject(new Error(`${zip.entryCount} entries`));
        }
        const entries: yauzl.Entry[] = [];
        zip.on('entry', (e: yauzl.Entry) => {
          entries.push(e);
          zip.readEntry();
        });
        zip.on('end', () => resolve(entries));
        zip.on('error', reject);
        zip.readEntry();
      },
    );
  });
}

/**
 * An entry's name as its archiver meant it: UTF-8 when the entry says so (flag bit 11) or carries an Info-ZIP
 * Unicode path, or when the bytes are valid UTF-8; otherwise the legacy code page of the archiver's Windows,
 * Vietnamese 1258 when that reads as Vietnamese, else the DOS code page 437 of the zip format itself.
 */
function entryName(entry: yauzl.Entry): string {
  const raw = entry.fileName as unknown as Buffer;
  let name: string;
  const unicodePath = entry.extraFields.find((f) => f.id === 0x7075 && f.data.length > 5);
  if (entry.generalPurposeBitFlag & 0x800) name = raw.toString('utf8');
  else if (unicodePath) name = unicodePath.data.subarray(5).toString('utf8');
  else name = legacyName(raw);
  return name.replace(/\\/g, '/').normalize('NFC');
}

function legacyName(raw: Buffer): string {
  if (!raw.some((b) => b >= 0x80)) return raw.toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    // Not UTF-8: a Windows archiver's code page.
  }
  const vietnamese = iconv.decode(raw, 'windows1258').normalize('NFC');
  if (/[ăâđêôơưĂÂĐÊÔƠƯ]|[\u0300-\u0323]|[\u1EA0-\u1EF9]/u.test(vietnamese)) return vietnamese;
  return iconv.decode(raw, 'cp437');
}

/** A name that would climb out of a folder it was unpacked to: absolute, a drive, or a `..` part. */
function escapes(name: string): boolean {
  return (
    name.startsWith('/') || /^[a-zA-Z]:/.test(name) || name.split('/').includes('..') || name.includes('\0')
  );
}

/** The compressed bytes of an entry, after its local header; null when they run past the archive. */
function compressedData(bytes: Buffer, entry: yauzl.Entry): Buffer | null {
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) return null;
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  return end > bytes.length ? null : bytes.subarray(start, end);
}
