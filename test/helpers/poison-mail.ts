// Small mails that once stopped the intake (issue 14), built in the test rather than kept on disk.

const CRLF = '\r\n';

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n & 0xffff);
  return b;
}

/** One TNEF attribute with its checksum, as Outlook writes it. */
function tnefAttribute(level: number, id: number, data: Buffer): Buffer {
  let sum = 0;
  for (const byte of data) sum = (sum + byte) & 0xffff;
  return Buffer.concat([Buffer.from([level]), u32(id), u32(data.length), data, u16(sum)]);
}

/**
 * A winmail.dat whose every checksum is right but whose attachment property list (attAttachment) ends right
 * after the tag of a string property: the reader once threw a RangeError on it.
 */
export function tnefWithTruncatedPropertyList(): Buffer {
  const file = Buffer.from('PK\u0003\u0004 not really a docx');
  // One property announced: PT_STRING8 (0x001e) PR_ATTACH_LONG_FILENAME (0x3707), and nothing after the tag.
  const props = Buffer.concat([u32(1), u16(0x001e), u16(0x3707)]);
  return Buffer.concat([
    u32(0x223e9f78),
    u16(0x0001),
    tnefAttribute(1, 0x00089006, u32(0x00010000)),
    tnefAttribute(2, 0x00069002, Buffer.alloc(14)),
    tnefAttribute(2, 0x00018010, Buffer.from('phieu.docx\0', 'latin1')),
    tnefAttribute(2, 0x0006800f, file),
    tnefAttribute(2, 0x00069005, props),
  ]);
}

/** A winmail.dat holding `count` tiny files (each distinct). */
export function tnefWithFiles(count: number): Buffer {
  const parts = [u32(0x223e9f78), u16(0x0001), tnefAttribute(1, 0x00089006, u32(0x00010000))];
  for (let i = 0; i < count; i++) {
    parts.push(tnefAttribute(2, 0x00069002, Buffer.alloc(14)));
    parts.push(tnefAttribute(2, 0x00018010, Buffer.from(`f${i}.docx\0`, 'latin1')));
    parts.push(tnefAttribute(2, 0x0006800f, Buffer.from(`file ${i}`)));
  }
  return Buffer.concat(parts);
}

interface Envelope {
  from?: string;
  subject?: string;
  messageId: string;
  /** Extra header lines, written as given. */
  headers?: string[];
}

function head(e: Envelope, contentType: string): string {
  return [
    `From: ${e.from ?? 'Van thu <vanthu@example.org>'}`,
    'To: phongcchc_sonv@hanoi.gov.vn',
    `Subject: ${e.subject ?? 'Poison'}`,
    `Message-ID: ${e.messageId}`,
    ...(e.headers ?? []),
    'MIME-Version: 1.0',
    `Content-Type: ${contentType}`,
    '',
    '',
  ].join(CRLF);
}

function filePart(filename: string, contentType: string, content: Buffer): string {
  return [
    `Content-Type: ${contentType}; name="${filename}"`,
    `Content-Disposition: attachment; filename="${filename}"`,
    'Content-Transfer-Encoding: base64',
    '',
    content.toString('base64'),
    '',
  ].join(CRLF);
}

/** A mail carrying the given files (base64), in MIME order. */
export function mailWithFiles(
  e: Envelope,
  files: { filename: string; contentType?: string; content: Buffer }[],
): Buffer {
  const b = 'poison-boundary';
  const body = files
    .map(
      (f) => `--${b}${CRLF}${filePart(f.filename, f.contentType ?? 'application/octet-stream', f.content)}`,
    )
    .join('');
  return Buffer.from(
    `${head(e, `multipart/mixed; boundary="${b}"`)}--${b}${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}Kính gửi.${CRLF}${body}--${b}--${CRLF}`,
  );
}

/** A mail with `count` tiny distinct attachments. */
export function mailWithManyFiles(e: Envelope, count: number): Buffer {
  return mailWithFiles(
    e,
    Array.from({ length: count }, (_, i) => ({
      filename: `tep-${i + 1}.docx`,
      content: Buffer.from(`tep ${i + 1}`),
    })),
  );
}

/** A mail with one file at the top, then multiparts nested `depth` deep with a file at the bottom. */
export function deeplyNestedMail(e: Envelope, depth: number): Buffer {
  let inner = filePart('sau.docx', 'application/octet-stream', Buffer.from('deep file'));
  for (let i = depth; i >= 1; i--) {
    const b = `nest-${i}`;
    inner = `Content-Type: multipart/mixed; boundary="${b}"${CRLF}${CRLF}--${b}${CRLF}${inner}--${b}--${CRLF}`;
  }
  const b = 'top';
  return Buffer.from(
    `${head(e, `multipart/mixed; boundary="${b}"`)}--${b}${CRLF}${filePart('dau.docx', 'application/octet-stream', Buffer.from('top file'))}--${b}${CRLF}${inner}--${b}--${CRLF}`,
  );
}
