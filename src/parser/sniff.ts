/** What the bytes are, whatever the file is called. */
export type Sniffed =
  | 'zip'
  | 'pdf'
  | 'ole'
  | 'rtf'
  | 'image'
  | 'html'
  | 'text'
  | 'empty'
  /** An archive in a format other than zip (7-Zip, RAR, gzip, bzip2, xz): not opened. */
  | 'archive'
  | 'unknown';

export function sniff(bytes: Uint8Array): Sniffed {
  if (bytes.length === 0) return 'empty';
  const head = Buffer.from(bytes.subarray(0, 16));
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) return 'zip';
  if (head.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x05, 0x06]))) return 'zip'; // empty archive
  if (head.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (head.subarray(0, 8).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))) return 'ole';
  if (head.subarray(0, 5).toString('latin1') === '{\\rtf') return 'rtf';
  if (
    head.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c])) ||
    head.subarray(0, 4).toString('latin1') === 'Rar!' ||
    head.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b])) ||
    head.subarray(0, 3).toString('latin1') === 'BZh' ||
    head.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))
  )
    return 'archive';
  if (
    head.subarray(0, 3).equals(Buffer.from([0xff, 0xd8, 0xff])) ||
    head.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) ||
    /^(GIF8|II\*\0|MM\0\*)/.test(head.subarray(0, 4).toString('latin1'))
  )
    return 'image';
  const start = Buffer.from(bytes.subarray(0, 512)).toString('utf8').trimStart().toLowerCase();
  if (start.startsWith('<!doctype html') || start.startsWith('<html')) return 'html';
  return 'unknown';
}
