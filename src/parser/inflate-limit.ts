import { constants, createInflate, createInflateRaw } from 'node:zlib';

/** How a stream inflated: its full size when within the cap, or `over` once it passed it. */
export type Inflated = { size: number; over: false } | { size: number; over: true };

/**
 * Inflate `data` only to count its bytes, holding no more than one zlib chunk at a time, and stop as soon as
 * the count passes `cap`: a bomb is measured without ever being held. Rejects on damaged data.
 */
export function inflatedSize(
  data: Uint8Array,
  cap: number,
  format: 'raw' | 'zlib',
  tolerateTruncation = false,
): Promise<Inflated> {
  return new Promise((resolve, reject) => {
    // A PDF stream may end without its final block or checksum, or be damaged part way, and PDF readers
    // still use what came out: then only the bytes that come out count, and an error ends the count.
    const options = tolerateTruncation ? { finishFlush: constants.Z_SYNC_FLUSH } : {};
    const inflate = format === 'raw' ? createInflateRaw(options) : createInflate(options);
    let size = 0;
    let done = false;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap && !done) {
        done = true;
        inflate.destroy();
        resolve({ size, over: true });
      }
    });
    inflate.on('end', () => {
      if (!done) resolve({ size, over: false });
      done = true;
    });
    inflate.on('error', (err) => {
      if (done) return;
      done = true;
      if (tolerateTruncation) resolve({ size, over: false });
      else reject(err);
    });
    inflate.end(data);
  });
}
