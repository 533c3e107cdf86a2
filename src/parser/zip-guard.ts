import { inflateRawSync } from 'node:zlib';
import yauzl from 'yauzl';
import { FormRejected } from './parse-errors.js';

export interface ZipLimits {
  /** Largest total the archive may inflate to. */
  maxUncompressedBytes: number;
}

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
async function listEntries(bytes: Buffer): Promise<yauzl.Entry[]> {
  const zip = await openZip(bytes);
  return new Promise((resolve, reject) => {
    const entries: yauzl.Entry[] = [];
    zip.on('entry', (e: yauzl.Entry) => {
      entries.push(e);
      zip.readEntry();
    });
    zip.on('end', () => resolve(entries));
    zip.on('error', reject);
    zip.readEntry();
  });
}

/**
 * Check an OOXML archive before anything parses it: readable, not encrypted, no macros, and inflating to no
 * more than the limit — on the declared sizes first, then by inflating each XML part with its declared size as a
 * hard cap, so a lying header cannot slip a bomb through and nothing larger than declared is ever held.
 */
export async function guardZip(bytes: Buffer, limits: ZipLimits): Promise<ZipSummary> {
  let entries: yauzl.Entry[];
  try {
    entries = await listEntries(bytes);
  } catch (err) {
    throw new FormRejected(
      'corrupt_file',
      `the file is not a complete zip archive: ${(err as Error).message}`,
      {},
      { cause: err },
    );
  }
  let declared = 0;
  for (const entry of entries) {
    if (entry.isEncrypted())
      throw new FormRejected('encrypted', `the archive entry ${entry.fileName} is encrypted`);
    if (/(^|\/)vba(Project\.bin|Data\.xml)$/i.test(entry.fileName)) {
      throw new FormRejected('macro_enabled', `the document carries macros (${entry.fileName})`);
    }
    declared += entry.uncompressedSize;
  }
  if (declared > limits.maxUncompressedBytes) {
    throw new FormRejected(
      'decompression_limit',
      `the archive declares ${declared} bytes uncompressed, over the limit`,
      {
        limit: limits.maxUncompressedBytes,
      },
    );
  }
  let contentTypes = '';
  for (const entry of entries) {
    // The XML parts are what a reader inflates; media is never opened, so its declared size is what counts.
    if (!/\.(xml|rels)$/i.test(entry.fileName)) continue;
    const data = compressedData(bytes, entry);
    let inflated: Buffer;
    try {
      if (entry.compressionMethod === 0) inflated = Buffer.from(data);
      else if (entry.compressionMethod === 8) {
        // Never more than the entry declares (plus one byte, to notice a lie): a part that inflates past its
        // declared size is a bomb in disguise, stopped by zlib before the output grows any further.
        inflated = inflateRawSync(data, { maxOutputLength: entry.uncompressedSize + 1 });
      } else throw new Error(`compression method ${entry.compressionMethod}`);
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new FormRejected(
          'decompression_limit',
          `the part ${entry.fileName} inflates past the size it declares`,
          {
            declared: entry.uncompressedSize,
          },
        );
      }
      throw new FormRejected(
        'corrupt_file',
        `the archive entry ${entry.fileName} is damaged`,
        {},
        { cause: err },
      );
    }
    if (inflated.length > entry.uncompressedSize) {
      throw new FormRejected(
        'decompression_limit',
        `the part ${entry.fileName} inflates past the size it declares`,
      );
    }
    if (entry.fileName === '[Content_Types].xml') contentTypes = inflated.toString('utf8');
  }
  if (/macroEnabled/i.test(contentTypes))
    throw new FormRejected('macro_enabled', 'the document is macro-enabled (.docm)');
  return { entries: entries.map((e) => e.fileName), contentTypes };
}

/** The compressed bytes of an entry: after its local header, whose name and extra field lengths vary. */
function compressedData(bytes: Buffer, entry: yauzl.Entry): Uint8Array {
  const at = entry.relativeOffsetOfLocalHeader;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== 0x04034b50) throw new Error('bad local header');
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  const end = start + entry.compressedSize;
  if (end > bytes.length) throw new Error('entry runs past the end of the file');
  return bytes.subarray(start, end);
}
