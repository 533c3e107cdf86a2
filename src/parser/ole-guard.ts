import { FormRejected } from './parse-errors.js';

// A compound file ([MS-CFB], the container of a legacy .doc) checked before any reader walks it: every sector
// number inside the file, every chain ending without a loop, every stream no longer than its chain, the
// directory a tree without cycles. The readers (cfb, word-extractor) trust these structures; a loop or a length
// past the end would have them spin or allocate without bound.

const END_OF_CHAIN = 0xfffffffe;
const FREE = 0xffffffff;
const NO_STREAM = 0xffffffff;
const MAX_REGULAR_SECTOR = 0xfffffffa;
const DIR_ENTRY = 128;

const corrupt = (what: string): never => {
  throw new FormRejected('corrupt_file', `the document's container is damaged: ${what}`);
};

/** Follow a chain through `table` from `start`: the sectors in order; a loop, a gap or an overrun is corrupt. */
function chain(table: Uint32Array, start: number, limit: number, what: string): number[] {
  const out: number[] = [];
  const seen = new Set<number>();
  for (let s = start; s !== END_OF_CHAIN; ) {
    if (s >= limit || s >= table.length) corrupt(`${what} points to sector ${s}, outside the file`);
    if (seen.has(s)) corrupt(`${what} loops back to sector ${s}`);
    seen.add(s);
    out.push(s);
    s = table[s] as number;
  }
  return out;
}

/** Validate the container; throws `corrupt_file` naming the first structure that is wrong. */
export function validateCompoundFile(bytes: Buffer): void {
  try {
    validate(bytes);
  } catch (err) {
    // A read past the end of a short last sector: the file ends inside a structure.
    if (err instanceof RangeError) corrupt('a structure runs past the end of the file');
    throw err;
  }
}

function validate(bytes: Buffer): void {
  if (bytes.length < 512) corrupt('shorter than its header');
  const major = bytes.readUInt16LE(0x1a);
  const shift = bytes.readUInt16LE(0x1e);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12))) {
    corrupt(`version ${major} with sector size 2^${shift}`);
  }
  if (bytes.readUInt16LE(0x20) !== 6) corrupt('mini sector size');
  const size = 1 << shift;
  const sectors = Math.floor((bytes.length - size + size - 1) / size);
  const at = (s: number) => (s + 1) * size;
  const perSector = size / 4;
  const fatCount = bytes.readUInt32LE(0x2c);
  const firstDir = bytes.readUInt32LE(0x30);
  const cutoff = bytes.readUInt32LE(0x38);
  const firstMiniFat = bytes.readUInt32LE(0x3c);
  const miniFatCount = bytes.readUInt32LE(0x40);
  const firstDifat = bytes.readUInt32LE(0x44);
  const difatCount = bytes.readUInt32LE(0x48);
  if (fatCount > sectors || difatCount > sectors || miniFatCount > sectors) corrupt('sector counts');
  if (cutoff !== 4096) corrupt(`mini stream cutoff ${cutoff}`);

  // The FAT's own sectors: 109 in the header, then a chain of DIFAT sectors (each ending in the next's number).
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < fatCount; i++)
    fatSectors.push(bytes.readUInt32LE(0x4c + i * 4));
  const seenDifat = new Set<number>();
  for (let s = firstDifat, n = 0; fatSectors.length < fatCount; n++) {
    if (n >= difatCount || s >= sectors) corrupt('the DIFAT chain ends before the FAT is complete');
    if (seenDifat.has(s)) corrupt('the DIFAT chain loops');
    seenDifat.add(s);
    for (let i = 0; i < perSector - 1 && fatSectors.length < fatCount; i++) {
      fatSectors.push(bytes.readUInt32LE(at(s) + i * 4));
    }
    s = bytes.readUInt32LE(at(s) + (perSector - 1) * 4);
  }
  const fat = new Uint32Array(fatSectors.length * perSector);
  fatSectors.forEach((fs, i) => {
    if (fs >= sectors) corrupt(`a FAT sector (${fs}) is outside the file`);
    for (let j = 0; j < perSector; j++) fat[i * perSector + j] = bytes.readUInt32LE(at(fs) + j * 4);
  });

  // The directory: its chain, then every entry's stream against its own chain.
  const dirSectors = chain(fat, firstDir, sectors, 'the directory chain');
  const entries = (dirSectors.length * size) / DIR_ENTRY;
  const entryAt = (i: number) =>
    at(dirSectors[Math.floor((i * DIR_ENTRY) / size)] as number) + ((i * DIR_ENTRY) % size);
  const root = entryAt(0);
  if (bytes.readUInt8(root + 0x42) !== 5) corrupt('the first directory entry is not the root');

  const miniFatSectors = miniFatCount > 0 ? chain(fat, firstMiniFat, sectors, 'the mini FAT chain') : [];
  const miniFat = new Uint32Array(miniFatSectors.length * perSector);
  miniFatSectors.forEach((ms, i) => {
    for (let j = 0; j < perSector; j++) miniFat[i * perSector + j] = bytes.readUInt32LE(at(ms) + j * 4);
  });
  const streamSize = (e: number) =>
    major === 3
      ? bytes.readUInt32LE(e + 0x78)
      : bytes.readUInt32LE(e + 0x78) + bytes.readUInt32LE(e + 0x7c) * 2 ** 32;
  const miniStreamSize = streamSize(root);
  const miniStreamSectors =
    miniStreamSize > 0 ? chain(fat, bytes.readUInt32LE(root + 0x74), sectors, 'the mini stream') : [];
  if (miniStreamSectors.length * size < miniStreamSize) corrupt('the mini stream is longer than its chain');
  const miniSectors = Math.ceil(miniStreamSize / 64);

  for (let i = 0; i < entries; i++) {
    const e = entryAt(i);
    const type = bytes.readUInt8(e + 0x42);
    if (type === 0) continue;
    if (type > 5) corrupt(`directory entry ${i} has type ${type}`);
    if (bytes.readUInt16LE(e + 0x40) > 64) corrupt(`directory entry ${i} has a name past its field`);
    for (const link of type === 2 ? [0x44, 0x48] : [0x44, 0x48, 0x4c]) {
      const to = bytes.readUInt32LE(e + link);
      if (to !== NO_STREAM && to >= entries)
        corrupt(`directory entry ${i} links to entry ${to}, which does not exist`);
    }
    if (type !== 2 || i === 0) continue;
    const length = streamSize(e);
    const start = bytes.readUInt32LE(e + 0x74);
    if (length === 0) continue;
    if (length < cutoff) {
      const mini = chain(miniFat, start, miniSectors, `the stream of entry ${i}`);
      if (mini.length * 64 < length) corrupt(`the stream of entry ${i} is longer than its chain`);
    } else {
      if (start > MAX_REGULAR_SECTOR) corrupt(`the stream of entry ${i} starts nowhere`);
      const regular = chain(fat, start, sectors, `the stream of entry ${i}`);
      if (regular.length * size < length) corrupt(`the stream of entry ${i} is longer than its chain`);
    }
  }

  // The directory is a tree (children under the root and storages, siblings left and right): each entry is
  // reached once, so a walk over it ends.
  const reached = new Set<number>();
  const pending = [bytes.readUInt32LE(root + 0x4c)];
  while (pending.length > 0) {
    const i = pending.pop() as number;
    if (i === NO_STREAM || i === FREE) continue;
    if (reached.has(i) || i === 0) corrupt('the directory tree loops');
    reached.add(i);
    const e = entryAt(i);
    pending.push(bytes.readUInt32LE(e + 0x44), bytes.readUInt32LE(e + 0x48));
    // Only a storage has children; what a stream's unused child field holds is not followed.
    if (bytes.readUInt8(e + 0x42) === 1) pending.push(bytes.readUInt32LE(e + 0x4c));
  }
}
