/** A minimal TNEF (winmail.dat) holding the given files, as Outlook writes them, for tests. */
export function makeTnef(files: { filename: string; content: Buffer }[]): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n >>> 0);
    return b;
  };
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(n & 0xffff);
    return b;
  };
  const attribute = (level: number, id: number, data: Buffer) => {
    let sum = 0;
    for (const byte of data) sum = (sum + byte) & 0xffff;
    parts.push(Buffer.from([level]), u32(id), u32(data.length), data, u16(sum));
  };
  parts.push(u32(0x223e9f78), u16(0x0001));
  attribute(1, 0x00089006, u32(0x00010000)); // attTnefVersion
  for (const f of files) {
    attribute(2, 0x00069002, Buffer.alloc(14)); // attAttachRendData: a new attachment begins
    attribute(2, 0x00018010, Buffer.concat([Buffer.from(f.filename, 'latin1'), Buffer.from([0])])); // attAttachTitle
    attribute(2, 0x0006800f, f.content); // attAttachData
  }
  return Buffer.concat(parts);
}
