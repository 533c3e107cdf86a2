import { readdirSync, readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';
import { readArchive } from '../../src/mail/archive.js';
import { parseIncomingMessage } from '../../src/mail/incoming-message.js';
import { readTnef } from '../../src/mail/tnef.js';
import { readDocx } from '../../src/parser/docx-reader.js';
import { REJECTION_CODES } from '../../src/parser/parse-errors.js';
import type { ParseOptions } from '../../src/parser/parse-form.js';
import type { ParserPool } from '../../src/parser/parser-pool.js';
import { mailWith } from './form-mail.js';
import { docCyclicChain, docxMainPartBomb, pdfStreamBomb } from './make-hostile.js';
import { odtOf, rtfOf, xlsxOf, zipOf } from './office-files.js';
import { parserOptions } from './parser.js';
import { fixture } from './paths.js';
import { makeTnef } from './tnef.js';

// A seeded mutation fuzzer for everything that reads what a sender sends: the form parser (.docx, .doc, PDF, in
// the parser pool, as in production) and the mail reader (whole .eml, winmail.dat). The same seed gives the same
// cases. A finding is anything other than a parsed form or a typed refusal: a reader that crashed, hung past the
// time limit or outgrew the memory budget (the pool had to stop it), or a mail reader that threw or hung.

/** A small, fast, seedable PRNG (mulberry32): the same seed, the same cases. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SeedKind = 'file' | 'eml' | 'tnef' | 'zip';
export interface SeedInput {
  name: string;
  kind: SeedKind;
  bytes: Buffer;
}

/** The seed corpus: the sample forms, a few hostile files, a winmail.dat, the sample mails. */
function seedCorpus(): SeedInput[] {
  // The sample forms as agencies wrote them, and as LibreOffice saved them again (.doc and PDF prints).
  const formsIn = (...dir: string[]) =>
    readdirSync(fixture('forms', ...dir))
      .filter((f) => /\.(docx|doc|pdf)$/.test(f))
      .map((f) => ({ name: f, kind: 'file' as const, bytes: readFileSync(fixture('forms', ...dir, f)) }));
  const forms = [...formsIn(), ...formsIn('libreoffice')];
  const emails = readdirSync(fixture('emails'))
    .filter((f) => f.endsWith('.eml'))
    .map((f) => ({ name: f, kind: 'eml' as const, bytes: readFileSync(fixture('emails', f)) }));
  const form = readFileSync(fixture('forms', 'dk-so-tu-phap.docx'));
  return [
    ...forms,
    { name: 'small-main-part-bomb.docx', kind: 'file', bytes: docxMainPartBomb(8) },
    { name: 'small-stream-bomb.pdf', kind: 'file', bytes: pdfStreamBomb(8) },
    { name: 'cyclic-chain.doc', kind: 'file', bytes: docCyclicChain() },
    {
      name: 'winmail.dat',
      kind: 'tnef',
      bytes: makeTnef([{ filename: 'bieu-dang-ky.docx', content: form }]),
    },
    ...emails,
  ];
}

/**
 * The seed corpus with the other formats and archives: sample forms as RTF (also named .doc), OpenDocument and
 * Excel, a .zip of a form, a scan and an .odt as the intake opens it, and a mail carrying that .zip.
 */
export async function fuzzCorpus(): Promise<SeedInput[]> {
  const extra: SeedInput[] = [];
  for (const name of ['dk-quan-cau-giay', 'bc-so-tu-phap']) {
    const { blocks } = await readDocx(readFileSync(fixture('forms', `${name}.docx`)));
    extra.push(
      { name: `${name}.rtf`, kind: 'file', bytes: rtfOf(blocks) },
      { name: `${name}-rtf.doc`, kind: 'file', bytes: rtfOf(blocks) },
      { name: `${name}.odt`, kind: 'file', bytes: odtOf(blocks) },
      { name: `${name}.xlsx`, kind: 'file', bytes: await xlsxOf(blocks) },
    );
  }
  const form = readFileSync(fixture('forms', 'dk-so-tu-phap.docx'));
  const archive = zipOf({
    'Hồ sơ/Biểu đăng ký.docx': form,
    'Hồ sơ/ban-ky.pdf': readFileSync(fixture('forms', 'dk-so-giao-thong-van-tai-ban-in.pdf')),
    'Hồ sơ/bao-cao.odt': (extra.find((e) => e.name === 'bc-so-tu-phap.odt') as SeedInput).bytes,
  });
  extra.push(
    { name: 'ho-so.zip', kind: 'zip', bytes: archive },
    {
      name: 'mail-with-zip.eml',
      kind: 'eml',
      bytes: mailWith({
        from: 'vanthu_sotp@hanoi.gov.vn',
        subject: 'Hồ sơ',
        id: 'fuzz-zip',
        files: [{ name: 'Hồ sơ.zip', bytes: archive }],
      }),
    },
  );
  return [...seedCorpus(), ...extra];
}

export interface FuzzCase {
  index: number;
  seed: SeedInput;
  mutation: string;
  bytes: Buffer;
}

const INTERESTING_32 = [0, 1, 0x7f, 0x80, 0xff, 0xffff, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

/** One mutation of `input`, chosen and applied by `random`; named so that a finding can be told. */
function mutate(input: SeedInput, random: () => number): { mutation: string; bytes: Buffer } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const at = (n: number) => Math.floor(random() * Math.max(1, n));
  const src = input.bytes;
  const strategies = ['bits', 'bytes', 'int32', 'truncate', 'duplicate', 'splice'];
  // Where the structure is: a compound file's header, FAT and directory; a PDF's or a mail's numbers.
  if (input.name.endsWith('.doc')) strategies.push('int32-head', 'int32-head');
  const rtf = src.subarray(0, 5).toString('latin1') === '{\\rtf';
  if (input.name.endsWith('.pdf') || input.kind === 'eml' || rtf) strategies.push('numbers', 'numbers');
  if (rtf) strategies.push('rtf-nesting');
  // Only the sample forms are opened as archives: the hostile ones are built to defeat that.
  if (/\.(docx|odt)$/.test(input.name) && !input.name.includes('bomb')) {
    strategies.push('zip-part', 'zip-part', 'zip-nesting');
  }
  if (input.name.endsWith('.xlsx') || input.kind === 'zip') strategies.push('zip-part', 'zip-part');
  const strategy = pick(strategies);
  const bytes = Buffer.from(src);
  switch (strategy) {
    case 'bits': {
      const n = 1 + at(16);
      for (let i = 0; i < n; i++) {
        const p = at(bytes.length);
        bytes[p] = (bytes[p] ?? 0) ^ (1 << at(8));
      }
      return { mutation: `bits×${n}`, bytes };
    }
    case 'bytes': {
      const n = 1 + at(8);
      for (let i = 0; i < n; i++) bytes[at(bytes.length)] = pick([0, 0xff, 0x7f, 0x80, at(256)]);
      return { mutation: `bytes×${n}`, bytes };
    }
    case 'int32': {
      // Lengths, offsets and counts: the values that break readers trusting them.
      const n = 1 + at(4);
      for (let i = 0; i < n && bytes.length >= 4; i++) {
        bytes.writeUInt32LE(pick(INTERESTING_32), at(bytes.length - 3));
      }
      return { mutation: `int32×${n}`, bytes };
    }
    case 'int32-head': {
      const n = 1 + at(3);
      for (let i = 0; i < n; i++) {
        bytes.writeUInt32LE(pick(INTERESTING_32), at(Math.min(bytes.length, 8192) / 4) * 4);
      }
      return { mutation: `int32-head×${n}`, bytes };
    }
    case 'numbers': {
      // A length, count, offset or object number in the text replaced by one a reader should not trust.
      const text = bytes.toString('latin1');
      const numbers = [...text.matchAll(/\d+/g)];
      const n = 1 + at(4);
      let out = text;
      for (let i = 0; i < n && numbers.length > 0; i++) {
        const m = pick(numbers);
        const value = pick(['0', '-1', '4294967295', '2147483648', '99999999999', String(at(100_000))]);
        out =
          out.slice(0, m.index) +
          value.padEnd(m[0].length, ' ') +
          out.slice(m.index + Math.max(value.length, m[0].length));
      }
      return { mutation: `numbers×${n}`, bytes: Buffer.from(out, 'latin1') };
    }
    case 'truncate': {
      const to = at(bytes.length);
      return { mutation: `truncate@${to}`, bytes: bytes.subarray(0, to) };
    }
    case 'duplicate': {
      const from = at(bytes.length);
      const length = 1 + at(Math.min(4096, bytes.length - from));
      const into = at(bytes.length);
      const chunk = bytes.subarray(from, from + length);
      const times = 1 + at(32);
      return {
        mutation: `duplicate ${length}×${times}`,
        bytes: Buffer.concat([bytes.subarray(0, into), ...Array(times).fill(chunk), bytes.subarray(into)]),
      };
    }
    case 'splice': {
      const from = at(bytes.length);
      const to = from + at(bytes.length - from);
      return {
        mutation: `cut ${from}-${to}`,
        bytes: Buffer.concat([bytes.subarray(0, from), bytes.subarray(to)]),
      };
    }
    case 'rtf-nesting': {
      // Groups and tables opened deeper than any writer nests them, somewhere in the text.
      const depth = 100 + at(50_000);
      const into = at(bytes.length);
      const open = pick(['{', '{\\*\\nesttableprops ', '\\intbl\\itap9 {', '{\\trowd\\cellx1 ']);
      return {
        mutation: `rtf nesting ${depth}`,
        bytes: Buffer.concat([
          bytes.subarray(0, into),
          Buffer.from(open.repeat(depth), 'latin1'),
          bytes.subarray(into),
        ]),
      };
    }
    default: {
      // Inside the archive: mutate one part's bytes (or bury the body in nesting) and zip it again, so that the
      // XML readers behind the zip layer meet the damage rather than the zip reader alone.
      const parts = unzipSync(src);
      const names = Object.keys(parts);
      const odt = input.name.endsWith('.odt');
      const name = strategy === 'zip-nesting' ? (odt ? 'content.xml' : 'word/document.xml') : pick(names);
      const part = Buffer.from(parts[name] ?? new Uint8Array());
      if (strategy === 'zip-nesting') {
        const depth = 1000 + at(50_000);
        const xml = part.toString('utf8');
        const body = odt ? '<office:text>' : '<w:body>';
        const open = xml.indexOf(body) + body.length;
        const nested = odt
          ? `${'<table:table><table:table-row><table:table-cell>'.repeat(depth)}<text:p/>${'</table:table-cell></table:table-row></table:table>'.repeat(depth)}`
          : `${'<w:tbl><w:tr><w:tc>'.repeat(depth)}<w:p/>${'</w:tc></w:tr></w:tbl>'.repeat(depth)}`;
        parts[name] = Buffer.from(xml.slice(0, open) + nested + xml.slice(open), 'utf8');
        return { mutation: `zip nesting ${depth}`, bytes: Buffer.from(zipSync(parts)) };
      }
      const n = 1 + at(8);
      for (let i = 0; i < n && part.length > 0; i++)
        part[at(part.length)] = pick([0x3c, 0x3e, 0x22, 0x26, 0, at(256)]);
      parts[name] = part;
      return { mutation: `zip part ${name} bytes×${n}`, bytes: Buffer.from(zipSync(parts)) };
    }
  }
}

/** The cases of one seed, in order: case i is the same bytes on every machine. */
export function* fuzzCases(seed: number, corpus: SeedInput[] = seedCorpus()): Generator<FuzzCase> {
  const random = prng(seed);
  for (let index = 0; ; index++) {
    const input = corpus[Math.floor(random() * corpus.length)] as SeedInput;
    const { mutation, bytes } = mutate(input, random);
    yield { index, seed: input, mutation, bytes };
  }
}

// The timer keeps the process alive: a reader waiting on nothing would otherwise end the run silently.
async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | 'hung'> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Run one case; the problems it shows (none when every reader gave a form or a typed refusal). Forms go through
 * `pool`; a mail's files and a winmail.dat's files go through it too.
 */
export async function runCase(
  c: FuzzCase,
  pool: ParserPool,
  options: ParseOptions = parserOptions,
  mailTimeoutMs = 10_000,
): Promise<string[]> {
  const problems: string[] = [];
  const parseFile = async (bytes: Buffer, filename: string) => {
    const before = pool.stopped();
    const outcome = await pool.parse(bytes, filename, options);
    const after = pool.stopped();
    for (const why of ['timeout', 'memory', 'crash'] as const) {
      if (after[why] > before[why]) problems.push(`parser ${why} on ${filename}`);
    }
    if (!outcome.ok && !(REJECTION_CODES as readonly string[]).includes(outcome.error.code)) {
      problems.push(`untyped refusal ${outcome.error.code} on ${filename}`);
    }
  };
  if (c.seed.kind === 'file') await parseFile(c.bytes, c.seed.name);
  else if (c.seed.kind === 'zip') {
    // As the intake opens it: the archive's files, or the archive itself for the parser to refuse.
    try {
      const files = await withTimeout(readArchive(c.bytes), mailTimeoutMs);
      if (files === 'hung') problems.push(`archive reader still reading after ${mailTimeoutMs} ms`);
      else if (files === null) await parseFile(c.bytes, c.seed.name);
      else
        for (const f of files.filter((x) => !x.refused).slice(0, 4)) await parseFile(f.content, f.filename);
    } catch (err) {
      problems.push(`archive reader threw: ${(err as Error).message}`);
    }
  } else if (c.seed.kind === 'tnef') {
    let files: ReturnType<typeof readTnef> = null;
    try {
      files = readTnef(c.bytes);
    } catch (err) {
      problems.push(`TNEF reader threw: ${(err as Error).message}`);
    }
    for (const f of files ?? []) await parseFile(f.content, f.filename);
  } else {
    try {
      const mail = await withTimeout(parseIncomingMessage(c.bytes), mailTimeoutMs);
      if (mail === 'hung') problems.push(`mail reader still reading after ${mailTimeoutMs} ms`);
      else for (const a of mail.attachments.slice(0, 4)) await parseFile(a.content, a.filename);
    } catch (err) {
      problems.push(`mail reader threw: ${(err as Error).message}`);
    }
  }
  return problems;
}
