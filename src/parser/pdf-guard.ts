import { constants, createInflate, type Inflate } from 'node:zlib';
import { FormRejected } from './parse-errors.js';

export interface PdfLimits {
  /** Largest total the PDF's compressed streams may inflate to. */
  maxPdfStreamBytes?: number;
  /** Most pages a PDF may have (a form is a few pages). */
  maxPdfPages?: number;
  /** Most pieces of text (runs) a PDF may hold in all; a form of a few pages has a few thousand. */
  maxPdfTextItems?: number;
}

const DEFAULT_MAX_PDF_STREAM_BYTES = 64 * 1024 * 1024;
const DEFAULT_MAX_PDF_PAGES = 50;
export const DEFAULT_MAX_PDF_TEXT_ITEMS = 100_000;

const STREAM = Buffer.from('stream', 'latin1');
const ENDSTREAM = Buffer.from('endstream', 'latin1');

/** A zlib header (deflate, a valid check value): what pdf.js's FlateDecode requires before it inflates. */
const isZlib = (b: Buffer, at: number) => {
  const cmf = b[at] ?? 0;
  const flg = b[at + 1] ?? 0;
  return (cmf & 0x0f) === 8 && cmf >> 4 <= 7 && (cmf * 256 + flg) % 31 === 0;
};

/**
 * Measure what the PDF's FlateDecode streams inflate to before the PDF reader opens any of them: the reader holds
 * a decoded stream whole, so one small stream of zeros would otherwise cost a gigabyte. Every `stream … endstream`
 * whose data is zlib is inflated only to count it, and the count stops at the limit. (A stream behind other
 * filters as well is not counted here; the parse's memory watchdog bounds it.)
 */
export async function guardPdf(bytes: Buffer, limits: PdfLimits): Promise<void> {
  const max = limits.maxPdfStreamBytes ?? DEFAULT_MAX_PDF_STREAM_BYTES;
  let total = 0;
  let at = 0;
  for (;;) {
    const keyword = bytes.indexOf(STREAM, at);
    if (keyword < 0) break;
    at = keyword + STREAM.length;
    if (keyword >= 3 && bytes.toString('latin1', keyword - 3, keyword) === 'end') continue;
    let start = at;
    if (bytes[start] === 0x0d) start++;
    if (bytes[start] === 0x0a) start++;
    if (start === at || !isZlib(bytes, start)) continue;
    const endAt = bytes.indexOf(ENDSTREAM, start);
    const end = endAt < 0 ? bytes.length : endAt;
    const counted = await layeredSize(bytes.subarray(start, end), max - total);
    total += counted.size;
    if (counted.over) {
      throw new FormRejected('decompression_limit', `the PDF's streams inflate to more than ${max} bytes`, {
        limit: max,
      });
    }
    at = end;
  }
}

// A stream may be compressed twice or more ([/FlateDecode /FlateDecode]), each layer a bomb for the next.
const MAX_LAYERS = 4;

/**
 * What a zlib stream inflates to, counting every layer beneath it that is zlib again (as a filter chain would
 * inflate it), holding one chunk per layer at a time and stopping once the count passes `cap`. A PDF stream may
 * end without its final block or checksum, or be damaged part way, and PDF readers still use what came out: an
 * error only ends the count of its layer.
 */
function layeredSize(data: Uint8Array, cap: number): Promise<{ size: number; over: boolean }> {
  return new Promise((resolve) => {
    const layers: Inflate[] = [];
    let size = 0;
    let settled = false;
    const settle = (over: boolean) => {
      if (settled) return;
      settled = true;
      for (const layer of layers) layer.destroy();
      resolve({ size, over });
    };
    const layer = (depth: number): Inflate => {
      const inflate = createInflate({ finishFlush: constants.Z_SYNC_FLUSH });
      layers.push(inflate);
      let next: Inflate | null = null;
      let first = true;
      inflate.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > cap) return settle(true);
        if (first && depth < MAX_LAYERS && isZlib(chunk, 0)) next = layer(depth + 1);
        first = false;
        if (next && !next.write(chunk)) {
          inflate.pause();
          next.once('drain', () => inflate.resume());
        }
      });
      let ended = false;
      const finished = () => {
        if (ended) return;
        ended = true;
        if (next) next.end();
        else settle(false);
      };
      inflate.on('end', finished);
      inflate.on('error', finished);
      return inflate;
    };
    layer(1).end(data);
  });
}

/** Refuse a PDF of more pages than a form has, before any page is read. */
export function checkPdfPages(pages: number, limits: PdfLimits): void {
  const max = limits.maxPdfPages ?? DEFAULT_MAX_PDF_PAGES;
  if (pages > max) {
    throw new FormRejected('too_many_pages', `the PDF has ${pages} pages, over the limit of ${max}`, {
      limit: max,
    });
  }
}
