import yauzl from 'yauzl';

/**
 * The named entries of a zip archive, as text (UTF-8); absent names are left out. Only for an archive the zip
 * guard has already checked (sizes declared and true, not encrypted): yauzl still checks every entry's size.
 */
export function readZipTexts(bytes: Buffer, names: readonly string[]): Promise<Map<string, string>> {
  const wanted = new Set(names);
  const out = new Map<string, string>();
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(bytes, { lazyEntries: true, strictFileNames: false }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error('no archive'));
      zip.on('entry', (e: yauzl.Entry) => {
        if (!wanted.has(e.fileName) || out.has(e.fileName)) return zip.readEntry();
        zip.openReadStream(e, (err2, stream) => {
          if (err2 || !stream) return reject(err2 ?? new Error('no stream'));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(e.fileName, Buffer.concat(chunks).toString('utf8'));
            if (out.size === wanted.size) {
              zip.close();
              resolve(out);
            } else zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolve(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
