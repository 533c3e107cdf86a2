import { createInflateRaw } from 'node:zlib';

/** How an entry inflated: its size, or a size past `cap` once it passed it (the count stops there). */
export interface Inflated {
  size: number;
  over: boolean;
}

/**
 * Inflate raw deflate `data` (a zip entry) only to count its bytes, holding no more than one zlib chunk at a
 * time, and stop as soon as the count passes `cap`: a bomb is measured without ever being held. Rejects on
 * damaged data.
 */
export function inflatedSize(data: Uint8Array, cap: number): Promise<Inflated> {
  return new Promise((resolve, reject) => {
    const inflate = createInflateRaw();
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
      reject(err);
    });
    inflate.end(data);
  });
}
