// Outlook's winmail.dat (TNEF, [MS-OXTNEF]): the files it carries. Only what taking the files out needs:
// the attachment attributes (a file's title and its data), each checked against its checksum.

const SIGNATURE = 0x223e9f78;
const LVL_ATTACHMENT = 0x02;
const ATT_ATTACH_REND_DATA = 0x9002; // starts a new attachment
const ATT_ATTACH_TITLE = 0x8010; // its (short) file name
const ATT_ATTACH_DATA = 0x800f; // its bytes
const ATT_ATTACHMENT = 0x9005; // its MAPI properties, holding the long file name

export interface TnefFile {
  filename: string;
  content: Buffer;
}

/**
 * The files inside a TNEF stream, or null when the bytes are not a sound TNEF stream with files in it (truncated,
 * a length or count pointing past the end, a bad checksum): such a winmail.dat is kept as one file, which the
 * parser refuses as `unsupported_type`. Never throws on any input.
 */
export function readTnef(data: Buffer): TnefFile[] | null {
  try {
    return readTnefStream(data);
  } catch (err) {
    // Every read below is bounds-checked; this only keeps an overlooked case from stopping the mail's intake.
    if (err instanceof RangeError) return null;
    throw err;
  }
}

function readTnefStream(data: Buffer): TnefFile[] | null {
  if (data.length < 6 || data.readUInt32LE(0) !== SIGNATURE) return null;
  const files: { filename: string; longName?: string; content?: Buffer }[] = [];
  let at = 6;
  while (at + 9 <= data.length) {
    const level = data.readUInt8(at);
    const id = data.readUInt32LE(at + 1) & 0xffff;
    const length = data.readUInt32LE(at + 5);
    const start = at + 9;
    const end = start + length;
    if (end + 2 > data.length) return null;
    const value = data.subarray(start, end);
    let sum = 0;
    for (const byte of value) sum = (sum + byte) & 0xffff;
    if (sum !== data.readUInt16LE(end)) return null;
    if (level === LVL_ATTACHMENT) {
      if (id === ATT_ATTACH_REND_DATA) files.push({ filename: `attachment-${files.length + 1}` });
      const current = files[files.length - 1];
      if (current && id === ATT_ATTACH_TITLE) current.filename = value.toString('latin1').replace(/\0+$/, '');
      if (current && id === ATT_ATTACH_DATA) current.content = Buffer.from(value);
      if (current && id === ATT_ATTACHMENT) {
        const long = longFilename(value);
        if (long === null) return null; // a property list that runs past its own end: not a sound stream
        current.longName = long ?? current.longName;
      }
    }
    at = end + 2;
  }
  const out = files
    .filter((f): f is typeof f & { content: Buffer } => f.content !== undefined)
    .map((f) => ({ filename: f.longName ?? f.filename, content: f.content }));
  return out.length > 0 ? out : null;
}

// Sizes of the fixed-length MAPI property types (each value padded to 4 bytes).
const FIXED_SIZE: Record<number, number> = {
  2: 2,
  3: 4,
  11: 2,
  4: 4,
  5: 8,
  6: 8,
  7: 8,
  20: 8,
  64: 8,
  72: 16,
};

// PR_ATTACH_LONG_FILENAME (0x3707) in the attachment's MAPI property list, as PT_STRING8 or PT_UNICODE.
// undefined: no such property (or one of a kind not read here); null: the list claims more than it holds.
function longFilename(props: Buffer): string | undefined | null {
  if (props.length < 4) return undefined;
  const count = props.readUInt32LE(0);
  const fits = (at: number, n: number) => at + n <= props.length;
  let at = 4;
  for (let i = 0; i < count; i++) {
    if (!fits(at, 4)) return null;
    const type = props.readUInt16LE(at);
    const tag = props.readUInt16LE(at + 2);
    at += 4;
    if (tag >= 0x8000) return undefined; // named properties: beyond what is needed here
    const size = FIXED_SIZE[type];
    if (size !== undefined) {
      at += Math.ceil(size / 4) * 4;
      continue;
    }
    if (type === 0x001e || type === 0x001f || type === 0x0102) {
      // A string tag must be followed by its value count: a list that ends right after the tag is truncated.
      if (!fits(at, 4)) return null;
      const values = props.readUInt32LE(at);
      at += 4;
      let text: string | undefined;
      for (let v = 0; v < values; v++) {
        if (!fits(at, 4)) return null;
        const len = props.readUInt32LE(at);
        if (!fits(at + 4, len)) return null;
        const raw = props.subarray(at + 4, at + 4 + len);
        if (type === 0x001e) text = raw.toString('latin1').replace(/\0+$/, '');
        if (type === 0x001f) text = raw.toString('utf16le').replace(/\0+$/, '');
        at += 4 + Math.ceil(len / 4) * 4;
      }
      if (tag === 0x3707 && text) return text;
      continue;
    }
    return undefined;
  }
  return undefined;
}
