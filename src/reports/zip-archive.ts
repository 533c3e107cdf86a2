import { zipSync } from 'fflate';

/** One file of an archive: its path inside it (folders with `/`), its bytes and the time it shows. */
export interface ArchiveEntry {
  name: string;
  bytes: Uint8Array;
  modified: Date;
}

// Already compressed formats (the Office and OpenDocument files are zips themselves, PDF and pictures too) are
// stored as they are: deflating them again costs time and saves nothing.
const STORED = /\.(docx|xlsx|odt|ods|pdf|zip|jpe?g|png|gif)$/i;

/**
 * A zip archive of the entries, in memory (an evidence pack is a few megabytes of bytes already read from
 * PostgreSQL): names as given, flagged UTF-8 so Vietnamese names open right in Windows Explorer and unzip.
 * Two entries with the same name are refused: the caller names each piece once.
 */
export function zipArchive(entries: readonly ArchiveEntry[]): Buffer {
  const files: Record<string, [Uint8Array, { level: 0 | 6; mtime: Date }]> = {};
  for (const e of entries) {
    if (files[e.name]) throw new Error(`two entries named ${e.name}`);
    // A zip's time starts in 1980: an older date (a mail's forged Date) is written as that start.
    const modified = e.modified.getUTCFullYear() < 1981 ? new Date('1981-01-01T00:00:00Z') : e.modified;
    files[e.name] = [e.bytes, { level: STORED.test(e.name) ? 0 : 6, mtime: modified }];
  }
  return Buffer.from(zipSync(files));
}
