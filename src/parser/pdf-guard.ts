import { inflatedSize } from './inflate-limit.js';
import { FormRejected } from './parse-errors.js';

export interface PdfLimits {
  /** Largest total the PDF's compressed streams may inflate to. */
  maxPdfStreamBytes?: number;
  /** Most pages a PDF may have (a form is a few pages). */
  maxPdfPages?: number;
}

export const DEFAULT_MAX_PDF_STREAM_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MAX_PDF_PAGES = 50;

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
    const counted = await inflatedSize(bytes.subarray(start, end), max - total, 'zlib', true);
    total += counted.size;
    if (counted.over) {
      throw new FormRejected('decompression_limit', `the PDF's streams inflate to more than ${max} bytes`, {
        limit: max,
      });
    }
    at = end;
  }
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
