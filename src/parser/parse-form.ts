import { extname } from 'node:path';
import { normalizeSpace } from '../domain/text.js';
import type { Block } from './blocks.js';
import { placeNamer, type SourceRef } from './document-text.js';
import { readDocx } from './docx-reader.js';
import type { ParsedForm, RegistryAgency, UnaccountedText } from './form-types.js';
import { findTitle, findYear, headerLines, indexRegistry, resolveAgency } from './header.js';
import { extractItems, looksLikeForm } from './layout.js';
import { readDoc, readPdf } from './legacy-readers.js';
import { normalizeBlocks } from './normalize-blocks.js';
import { ODT_MIMETYPE, readOdt } from './odt-reader.js';
import { renderImage, renderScanPdf } from './page-images.js';
import { FormRejected, type RejectionCode } from './parse-errors.js';
import type { PdfLimits } from './pdf-guard.js';
import { reconcile } from './reconcile.js';
import { recoverLegacyText } from './recover-legacy.js';
import {
  type NoRenderingReason,
  type RenderedDocument,
  type RenderedPage,
  renderBlocks,
  renderPdfPages,
} from './rendering.js';
import { readRtf } from './rtf-reader.js';
import { sniff } from './sniff.js';
import { readXlsx } from './xlsx-reader.js';
import { guardZip, type ZipLimits } from './zip-guard.js';
import { readZipTexts } from './zip-read.js';

interface ParserLimits extends ZipLimits, PdfLimits {
  /** Largest file accepted. */
  maxBytes: number;
  /** Largest total a .docx may inflate to. */
  maxUncompressedBytes: number;
  /** Most initiatives (or results) one form may list. */
  maxInitiatives?: number;
  /** Resident memory one parse may use in the parser pool, in MB. */
  memoryBudgetMb?: number;
}

const DEFAULT_MAX_INITIATIVES = 200;

export interface ParseOptions {
  registry: readonly RegistryAgency[];
  limits: ParserLimits;
  /** Also say where each field's text came from (`reform parse --explain`). */
  explain?: boolean;
  /**
   * Also draw the document for a person to read beside the reading (the parse pool's jobs); `text` draws only a
   * document's text, leaving a scan's pages to be drawn apart (`drawWithoutText`), after the reading is sent.
   */
  render?: boolean | 'text';
}

export type ParseOutcome =
  | { ok: true; form: ParsedForm; explanation?: Explanation; rendered?: RenderedDocument }
  | { ok: false; error: { code: RejectionCode; message: string } };

/** Where each field of a reading came from, and the text of the item region nothing accounts for. */
export interface Explanation {
  fields: { path: string; from: { at: string; text: string }[] }[];
  unaccounted: UnaccountedText[];
}

// Content types each Word or PDF extension may hold (a .doc is sometimes a .docx renamed).
const CLAIMED_BY_EXTENSION: Record<string, string[]> = {
  '.docx': ['zip'],
  '.docm': ['zip'],
  '.dotx': ['zip'],
  // Word's "Rich Text Format" keeps the name .doc more often than not; LibreOffice's .doc may be either.
  '.doc': ['ole', 'zip', 'rtf'],
  '.dot': ['ole'],
  '.pdf': ['pdf'],
  '.odt': ['zip'],
  '.ott': ['zip'],
  '.rtf': ['rtf'],
  '.xlsx': ['zip'],
  '.xlsm': ['zip'],
  '.xls': ['ole', 'zip'],
};

const notAForm = (warnings: string[]): ParsedForm => ({
  kind: 'not_a_form',
  agency_code: null,
  agency_name: null,
  year: null,
  initiatives: [],
  results: [],
  warnings,
  uncertain: [],
});

/**
 * Read one attachment into what it says: a registration form, a results report, or not a form. A file that
 * cannot be read is a typed rejection, never a throw and never half a result. Limits are checked first.
 */
export async function parseForm(
  bytes: Buffer,
  filename: string,
  options: ParseOptions,
): Promise<ParseOutcome> {
  try {
    const { form, explanation, rendered } = await parseOrThrow(bytes, filename, options);
    return {
      ok: true,
      form,
      ...(options.explain ? { explanation } : {}),
      ...(rendered ? { rendered } : {}),
    };
  } catch (err) {
    if (err instanceof FormRejected) return { ok: false, error: { code: err.code, message: err.message } };
    // Anything else a reader throws means the bytes are not what they claim to be.
    return {
      ok: false,
      error: { code: 'corrupt_file', message: `the file could not be read: ${(err as Error).message}` },
    };
  }
}

async function parseOrThrow(
  bytes: Buffer,
  filename: string,
  { registry, limits, explain, render }: ParseOptions,
): Promise<{ form: ParsedForm; explanation: Explanation; rendered?: RenderedDocument }> {
  if (bytes.length > limits.maxBytes) {
    throw new FormRejected(
      'too_large',
      `the file has ${bytes.length} bytes, over the limit of ${limits.maxBytes}`,
    );
  }
  const ext = extname(filename).toLowerCase();
  const kind = sniff(bytes);
  // The content decides what a file is; a name that claims another format is refused, not guessed at.
  const claimed = CLAIMED_BY_EXTENSION[ext];
  if (claimed && kind !== 'empty' && !claimed.includes(kind)) {
    throw new FormRejected(
      'unsupported_type',
      `the file is named ${ext} but its content is ${kind === 'unknown' ? 'of another type' : `a ${kind} file`}`,
    );
  }
  const read = await readBlocks(bytes, ext, limits);
  if ('form' in read) {
    const nothing = nothingToExplain(read.form);
    return render === true ? { ...nothing, rendered: await drawWithoutText(bytes, read.form) } : nothing;
  }
  const { blocks, warnings } = read;
  const { form, explanation, normalized, sources } = understandExplained(blocks, registry, warnings, {
    explain: explain === true,
  });
  const rendered = render ? drawText(read.format, read.pages ?? [], normalized, sources) : undefined;
  // A workbook that holds no form: its sender is told what a sheet the office can read looks like.
  if (read.format === 'xlsx' && form.kind === 'not_a_form') form.warnings.push('spreadsheet_not_a_form');
  const maxInitiatives = limits.maxInitiatives ?? DEFAULT_MAX_INITIATIVES;
  const items = Math.max(form.initiatives.length, form.results.length);
  if (items > maxInitiatives) {
    throw new FormRejected(
      'too_many_initiatives',
      `the form lists ${items} items, over the limit of ${maxInitiatives} for one form`,
      { limit: maxInitiatives },
    );
  }
  return { form, explanation, rendered };
}

/** A document's text drawn; a drawing that fails leaves the reading as it is, shown as "cannot be displayed". */
function drawText(
  format: Format,
  pages: readonly RenderedPage[],
  blocks: readonly Block[],
  sources: { path: string; refs: SourceRef[] }[],
): RenderedDocument {
  try {
    const rendering =
      format === 'pdf' ? renderPdfPages(pages, blocks, sources) : renderBlocks(blocks, sources);
    return { rendering, images: [] };
  } catch {
    return { rendering: { kind: 'none', why: 'not_drawable' }, images: [] };
  }
}

/**
 * A file with no text to show: a scan or a photo drawn as page images, else nothing. Drawing never turns a
 * reading into a refusal: a scan that cannot be drawn is still recorded, shown as "cannot be displayed".
 */
export async function drawWithoutText(bytes: Buffer, form: ParsedForm): Promise<RenderedDocument> {
  const none = (why: NoRenderingReason): RenderedDocument => ({
    rendering: { kind: 'none', why },
    images: [],
  });
  if (!form.warnings.includes('scanned')) return none('empty');
  try {
    return sniff(bytes) === 'pdf' ? await renderScanPdf(bytes) : await renderImage(bytes);
  } catch {
    return none('not_drawable');
  }
}

/** What a file was read as. */
type Format = 'docx' | 'doc' | 'pdf' | 'odt' | 'rtf' | 'xlsx';

/**
 * The blocks of a file, by what its bytes are (whatever its name): its limits checked first, then its reader.
 * A file that holds no document to read (empty, a photo, a scan) is a form already: `not_a_form`.
 */
export async function readBlocks(
  bytes: Buffer,
  ext: string,
  limits: ParserLimits,
): Promise<
  { blocks: Block[]; warnings: string[]; format: Format; pages?: RenderedPage[] } | { form: ParsedForm }
> {
  const kind = sniff(bytes);
  switch (kind) {
    case 'empty':
      return { form: notAForm(['empty']) };
    case 'image':
      return { form: notAForm(['scanned']) };
    case 'zip': {
      const zip = await guardZip(bytes, limits);
      if (ext === '.docm' || ext === '.dotm' || ext === '.xlsm')
        throw new FormRejected('macro_enabled', `a macro-enabled Office file (${ext})`);
      // A WordprocessingML package: its main part declared by its content type, wherever the producer put it
      // (mammoth then finds it through the package's relationships, as the Open Packaging Conventions define).
      if (
        /wordprocessingml\.(?:document|template)\.main\+xml/.test(zip.contentTypes) ||
        zip.entries.includes('word/document.xml')
      ) {
        const docx = await readDocx(bytes);
        return { blocks: docx.blocks, warnings: docx.warnings, format: 'docx' };
      }
      if (
        /spreadsheetml\.(?:sheet|template)\.main\+xml/.test(zip.contentTypes) ||
        zip.entries.includes('xl/workbook.xml')
      ) {
        return { blocks: (await readXlsx(bytes)).blocks, warnings: [], format: 'xlsx' };
      }
      if (zip.entries.includes('mimetype')) {
        const mimetype = (await readZipTexts(bytes, ['mimetype'])).get('mimetype') ?? '';
        if (ODT_MIMETYPE.test(mimetype)) return { blocks: await readOdt(bytes), warnings: [], format: 'odt' };
      }
      throw new FormRejected(
        'unsupported_type',
        `a package that is not a text document or a workbook (${ext || 'no extension'})`,
      );
    }
    case 'ole': {
      if (isEncryptedOle(bytes))
        throw new FormRejected('encrypted', 'the document is protected by a password');
      // An Excel 97-2003 workbook is the same kind of container, holding a Workbook stream and no WordDocument.
      if (!bytes.includes(utf16('WordDocument')) && bytes.includes(utf16('Workbook')))
        throw new FormRejected('legacy_spreadsheet', 'an Excel 97-2003 workbook (.xls)');
      return { blocks: await readDoc(bytes), warnings: [], format: 'doc' };
    }
    case 'rtf':
      try {
        return { blocks: readRtf(bytes), warnings: [], format: 'rtf' };
      } catch (err) {
        if (err instanceof FormRejected && err.code !== 'corrupt_file') throw err;
        // Word's "Rich Text" is often sent named .doc: the sender is told what the file is and how to save it.
        throw new FormRejected(
          'rtf_unreadable',
          `the RTF document could not be read: ${(err as Error).message}`,
          {},
          { cause: err },
        );
      }
    case 'pdf': {
      if (bytes.includes('/Encrypt'))
        throw new FormRejected('encrypted', 'the PDF is protected by a password');
      const pdf = await readPdf(bytes, limits);
      if (!pdf.hasText) return { form: notAForm(['scanned']) };
      return { blocks: pdf.blocks, warnings: [], format: 'pdf', pages: pdf.pages };
    }
    case 'archive':
      throw new FormRejected('archive_format', 'an archive in a format other than zip (7-Zip, RAR, …)');
    default:
      throw new FormRejected(
        'unsupported_type',
        `the file is ${kind === 'unknown' ? 'of an unknown type' : `a ${kind} file`}, not a Word document`,
      );
  }
}

const utf16 = (s: string) => Buffer.from(s, 'utf16le');

const nothingToExplain = (form: ParsedForm) => ({ form, explanation: { fields: [], unaccounted: [] } });

/**
 * After a form's title, a table of several rows with text in three cells or more: the form's items in a layout
 * nobody could read, for a person to read (never a form silently taken for a letter).
 */
function hasItemTable(blocks: readonly Block[], startAt: number): boolean {
  return blocks
    .slice(startAt)
    .some(
      (b) =>
        b.type === 'table' &&
        b.rows.filter((row) => new Set(row.filter((c) => c.lines.length > 0).map((c) => c.id)).size >= 3)
          .length >= 2,
    );
}

/** An encrypted Word file (.docx with a password, or .doc) is an OLE file holding these streams. */
function isEncryptedOle(bytes: Buffer): boolean {
  return bytes.includes(utf16('EncryptedPackage')) || bytes.includes(utf16('EncryptionInfo'));
}

/** From blocks to a form: the title, the issuing agency, the year, and the items in whatever layout. */
export function understand(
  blocks: readonly Block[],
  registry: readonly RegistryAgency[],
  warnings: string[] = [],
): ParsedForm {
  return understandExplained(blocks, registry, warnings).form;
}

// Unaccounted text kept with a reading for the person who checks it: enough to see why, never the whole file.
const MAX_UNACCOUNTED = 40;
const MAX_UNACCOUNTED_CHARS = 400;

/** `understand`, with where each field came from: the reading is reconciled with the document's text. */
function understandExplained(
  original: readonly Block[],
  registry: readonly RegistryAgency[],
  warnings: string[] = [],
  { explain = true } = {},
): {
  form: ParsedForm;
  explanation: Explanation;
  normalized: Block[];
  sources: { path: string; refs: SourceRef[] }[];
} {
  const blocks = normalizeBlocks(recoverLegacyText(original));
  const title = findTitle(blocks);
  const form = readForm(blocks, title, registry, warnings);
  const check = reconcile(blocks, form, title ? title.index + 1 : 0);
  const describe = placeNamer(blocks);
  const unaccounted = check.unaccounted.slice(0, MAX_UNACCOUNTED).map((u) => ({
    text: u.text.slice(0, MAX_UNACCOUNTED_CHARS),
    at: describe(u.ref),
    path: u.path,
  }));
  const uncertain = new Set([...form.uncertain, ...check.uncertain]);
  return {
    form: { ...form, uncertain: [...uncertain].sort(), unaccounted },
    explanation: {
      // Where every field came from is named only when asked (`reform parse --explain`).
      fields: explain
        ? check.sources.map(({ path, refs, texts }) => ({
            path,
            from: refs.map((r, i) => ({ at: describe(r), text: texts[i] ?? '' })),
          }))
        : [],
      unaccounted,
    },
    normalized: blocks,
    sources: check.sources,
  };
}

function readForm(
  blocks: readonly Block[],
  title: ReturnType<typeof findTitle>,
  registry: readonly RegistryAgency[],
  warnings: string[],
): ParsedForm {
  const items = extractItems(blocks, title ? title.index + 1 : 0, { report: title?.report ?? false });
  warnings.push(...items.warnings);
  const uncertain = new Set(items.uncertain);
  let report = items.results.length > 0 && items.initiatives.length === 0;
  if (items.initiatives.length === 0 && items.results.length === 0) {
    // A form whose title and field labels are there but whose items could not be read (a table flattened by
    // a PDF printer) is still that form: its agency counts, and a person reads the items.
    if (!title || !(looksLikeForm(blocks, title.index + 1) || hasItemTable(blocks, title.index + 1))) {
      return notAForm([...warnings, ...(title ? ['no_items'] : [])]);
    }
    warnings.push('no_items');
    report = title.report;
    uncertain.add(report ? 'results' : 'initiatives');
  }
  // The title and the items disagree on what the file is, or there is no title to say.
  if (!title || title.report !== report) uncertain.add('kind');
  const header = headerLines(blocks, title?.index ?? 0);
  const agency = resolveAgency(header, indexRegistry(registry));
  if (!agency) warnings.push('agency_not_found');
  if (!agency || agency.loose) uncertain.add('agency_code');
  const year = findYear(title?.text ?? null, header);
  if (year === null) {
    warnings.push('year_not_found');
    uncertain.add('year');
  }
  return {
    kind: report ? 'results_report' : 'registration',
    agency_code: agency?.agency.code ?? null,
    agency_name: agency?.writtenAs ?? null,
    year,
    initiatives: report ? [] : items.initiatives,
    results: report ? items.results : [],
    warnings,
    uncertain: [...uncertain].filter((p) => !p.startsWith(report ? 'initiatives' : 'results')).sort(),
    title: title ? normalizeSpace(title.text) : null,
  };
}
