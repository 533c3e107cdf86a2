import type { PageImage, RenderedDocument } from './rendering.js';

// A scan shown as what it is: each page drawn at a reading width and encoded here as JPEG. The sender's image
// bytes are never served as they came: decoding and encoding again leaves nothing of the file but its pixels.
// Runs only in a parser child, under its time and memory watch; the canvas library is loaded for scans alone.

/** Width a page is drawn at: legible at a desk, a fraction of a scan's 300 dpi. */
const PAGE_WIDTH = 1100;
const JPEG_QUALITY = 78;
/** Pages drawn of one scan, and the time the drawing may take in all (the parse's own limit is longer). */
const MAX_PAGES = 12;
const BUDGET_MS = 8_000;
/**
 * An image of more pixels than this is not decoded (4 bytes a pixel: 200 MB, half a parse child's budget); a
 * phone's photo has 12–50 million. pdf.js is told the same limit for the images inside a PDF.
 */
const MAX_PIXELS = 50_000_000;

type Canvas = typeof import('@napi-rs/canvas');

async function canvasLibrary(): Promise<Canvas> {
  return import('@napi-rs/canvas');
}

/** A page drawn no taller than this (a strip of paper a mile long is drawn shorter, not bigger). */
const MAX_PAGE_HEIGHT = 4 * PAGE_WIDTH;
const MAX_IMAGES_CHECKED = 2000;

/** The pages of a PDF without text (a scan), as images. */
export async function renderScanPdf(bytes: Buffer): Promise<RenderedDocument> {
  // pdf.js decodes a page's images at their own size, whatever the size drawn: a scan holding a picture of
  // hundreds of millions of pixels is not drawn (the reading stands; the file is there to download).
  if (largestPdfImage(bytes) > MAX_PIXELS)
    return { rendering: { kind: 'none', why: 'image_too_large' }, images: [] };
  const { getDocumentProxy, renderPageAsImage } = await import('unpdf');
  const canvas = await canvasLibrary();
  // unpdf types the library as its CommonJS module (with a `default`); the ES module is the same library.
  const canvasImport = canvasLibrary as unknown as NonNullable<
    NonNullable<Parameters<typeof renderPageAsImage>[2]>['canvasImport']
  >;
  const pdf = await getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, maxImageSize: MAX_PIXELS });
  const started = performance.now();
  const images: PageImage[] = [];
  try {
    const count = Math.min(pdf.numPages, MAX_PAGES);
    for (let n = 1; n <= count; n++) {
      if (n > 1 && performance.now() - started > BUDGET_MS) break;
      const page = await pdf.getPage(n);
      const [x0 = 0, y0 = 0, x1 = 1, y1 = 1] = page.view;
      const aspect = Math.abs(y1 - y0) / Math.max(1, Math.abs(x1 - x0));
      const width = Math.max(1, Math.min(PAGE_WIDTH, Math.floor(MAX_PAGE_HEIGHT / Math.max(aspect, 1e-3))));
      const png = await renderPageAsImage(pdf, n, { canvasImport, width });
      // A page's decoded images are let go before the next is drawn: a scan's pages never add up in memory.
      page.cleanup();
      images.push(await reencode(canvas, Buffer.from(png), n));
    }
    return {
      rendering: {
        kind: 'images',
        pages: images.map(({ width, height }) => ({ width, height })),
        truncated: images.length < pdf.numPages,
        pageCount: pdf.numPages,
      },
      images,
    };
  } finally {
    await pdf.destroy();
  }
}

/** A photo or a scanned page sent as an image file. */
export async function renderImage(bytes: Buffer): Promise<RenderedDocument> {
  const size = imageSize(bytes);
  if (!size) return { rendering: { kind: 'none', why: 'image_format' }, images: [] };
  if (size.width * size.height > MAX_PIXELS)
    return { rendering: { kind: 'none', why: 'image_too_large' }, images: [] };
  const image = await reencode(await canvasLibrary(), bytes, 1);
  return {
    rendering: {
      kind: 'images',
      pages: [{ width: image.width, height: image.height }],
      truncated: false,
      pageCount: 1,
    },
    images: [image],
  };
}

async function reencode(canvas: Canvas, source: Buffer, page: number): Promise<PageImage> {
  const image = await canvas.loadImage(source);
  const scale = Math.min(1, PAGE_WIDTH / image.width);
  const width = Math.max(1, Math.round(image.width * scale));
  const height = Math.max(1, Math.round(image.height * scale));
  const surface = canvas.createCanvas(width, height);
  const context = surface.getContext('2d');
  // A transparent scan (a PNG with alpha) reads as paper, not as black.
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.drawImage(image, 0, 0, width, height);
  const bytes = await surface.encode('jpeg', JPEG_QUALITY);
  return { page, width, height, mime: 'image/jpeg', bytes: new Uint8Array(bytes) };
}

/**
 * An image's size from its header (PNG, JPEG, GIF), read before anything is decoded; null for another format
 * (TIFF and the like are kept as files, not drawn).
 */
export function imageSize(b: Buffer): { width: number; height: number } | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && b.toString('latin1', 12, 16) === 'IHDR')
    return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  if (b.length >= 10 && b.toString('latin1', 0, 4) === 'GIF8')
    return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return jpegSize(b);
  return null;
}

function jpegSize(b: Buffer): { width: number; height: number } | null {
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    // Fill bytes before a marker.
    if (marker === 0xff) {
      at++;
      continue;
    }
    // Markers without a length (TEM, RST0–7): a walker reading one would land elsewhere, on a decoy size.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2;
      continue;
    }
    const length = b.readUInt16BE(at + 2);
    // A start-of-frame marker (C0–CF but not C4, C8, CC) holds the size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc)
      return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    at += 2 + length;
  }
  return null;
}

/**
 * The most pixels any image of a PDF declares (its /Width times its /Height), read from the image objects'
 * dictionaries: an image is a stream, and a stream's dictionary is never compressed into an object stream.
 */
function largestPdfImage(bytes: Buffer): number {
  const text = bytes.toString('latin1');
  let largest = 0;
  let seen = 0;
  for (const m of text.matchAll(/\/Subtype\s*\/Image\b/g)) {
    // Past this many images the file is no scan a person sends; pdf.js's own limit still holds for the rest.
    if (++seen > MAX_IMAGES_CHECKED) break;
    // The image's dictionary, searched within a bounded window around it (never the whole file again).
    const near = text.slice(Math.max(0, m.index - 4000), m.index + 4000);
    const at = Math.min(m.index, 4000);
    const start = Math.max(near.lastIndexOf(' obj', at), 0);
    const stream = near.indexOf('stream', at);
    const dict = near.slice(start, stream < 0 ? near.length : stream);
    // A key given twice counts at its largest: pdf.js may take either.
    const largestOf = (key: string) =>
      Math.max(0, ...[...dict.matchAll(new RegExp(`/${key}\\s+(\\d{1,9})`, 'g'))].map((k) => Number(k[1])));
    largest = Math.max(largest, largestOf('Width') * largestOf('Height'));
  }
  return largest;
}
