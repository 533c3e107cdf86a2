// A linear pass over a raw message's lines that finds its MIME structure (how many parts, how deep) without
// decoding anything, so limits are checked before the MIME parser runs: the parser refuses a mail of more than
// 1,000 parts with an exception (which would otherwise make the whole mail unreadable) and works harder with depth.

export interface MimeShape {
  /** MIME entities found: the message itself, every part, and every attached message's own header block. */
  parts: number;
  /** The deepest entity (the message itself is 0, its parts 1, an attached message's parts 3…). */
  depth: number;
  /** Where the first entity over a limit starts: the MIME parser reads only the bytes before it. null: all fit. */
  cutAt: number | null;
  cutReason: 'too_many_parts' | 'too_deeply_nested' | null;
  /** Entities from the cut onwards (not read). */
  partsBeyond: number;
}

interface Open {
  boundary: string;
  /** Depth of the multipart entity: its parts are one deeper. */
  depth: number;
}

const CONTENT_TYPE = /^content-type:\s*([^;\s]*)/i;
const BOUNDARY = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;\s]+))/i;
const ENCODING = /^content-transfer-encoding:\s*(\S+)/i;

/** The MIME structure of raw RFC 5322 bytes, measured against the limits. */
export function mimeShape(raw: Buffer, limits: { maxParts: number; maxDepth: number }): MimeShape {
  const open: Open[] = [];
  const shape: MimeShape = { parts: 1, depth: 0, cutAt: null, cutReason: null, partsBeyond: 0 };
  let inHeaders = true;
  let entityDepth = 0;
  let headers: string[] = [];

  const startEntity = (depth: number, at: number) => {
    shape.parts++;
    shape.depth = Math.max(shape.depth, depth);
    if (shape.cutAt === null) {
      if (shape.parts > limits.maxParts) [shape.cutAt, shape.cutReason] = [at, 'too_many_parts'];
      else if (depth > limits.maxDepth) [shape.cutAt, shape.cutReason] = [at, 'too_deeply_nested'];
    }
    if (shape.cutAt !== null) shape.partsBeyond++;
    inHeaders = true;
    entityDepth = depth;
    headers = [];
  };

  const endHeaders = (bodyStart: number) => {
    let type = '';
    let boundary = '';
    let encoding = '';
    for (const h of headers) {
      const t = CONTENT_TYPE.exec(h);
      if (t) {
        type = (t[1] ?? '').toLowerCase();
        const b = BOUNDARY.exec(h);
        boundary = b ? (b[1] ?? b[2] ?? '') : '';
      }
      const e = ENCODING.exec(h);
      if (e) encoding = (e[1] ?? '').toLowerCase();
    }
    inHeaders = false;
    if (type.startsWith('multipart/') && boundary) open.push({ boundary, depth: entityDepth });
    else if (type === 'message/rfc822' && (encoding === '' || /^(7bit|8bit|binary)$/.test(encoding)))
      // An attached message: its header block begins right here, one level deeper.
      startEntity(entityDepth + 1, bodyStart);
  };

  let at = 0;
  while (at < raw.length) {
    const nl = raw.indexOf(0x0a, at);
    const next = nl < 0 ? raw.length : nl + 1;
    let end = nl < 0 ? raw.length : nl;
    if (end > at && raw[end - 1] === 0x0d) end--;
    // A boundary may appear anywhere, headers included; only lines starting with "--" can be one.
    if (open.length > 0 && end - at >= 2 && raw[at] === 0x2d && raw[at + 1] === 0x2d) {
      const line = raw.toString('latin1', at + 2, end).trimEnd();
      const i = findBoundary(open, line);
      if (i >= 0) {
        const entry = open[i] as Open;
        const closing = line === `${entry.boundary}--`;
        open.length = closing ? i : i + 1; // a boundary further out closes every multipart inside it
        if (closing) inHeaders = false;
        else startEntity(entry.depth + 1, at);
        at = next;
        continue;
      }
    }
    if (inHeaders) {
      if (end === at) endHeaders(next);
      else if ((raw[at] === 0x20 || raw[at] === 0x09) && headers.length > 0)
        headers[headers.length - 1] += raw.toString('latin1', at, end);
      else if (headers.length < 200) headers.push(raw.toString('latin1', at, end));
    }
    at = next;
  }
  return shape;
}

function findBoundary(open: Open[], line: string): number {
  for (let i = open.length - 1; i >= 0; i--) {
    const b = (open[i] as Open).boundary;
    if (line === b || line === `${b}--`) return i;
  }
  return -1;
}
