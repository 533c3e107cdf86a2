import type { ResultStatus } from '../domain/kinds.js';
import { fold } from '../domain/text.js';
import { type Block, type Cell, cellText, type Table } from './blocks.js';
import type { ParsedInitiative, ParsedResult } from './form-types.js';
import { type FieldKey, labelOf, splitLabelLine, stripNumbering } from './labels.js';
import { parseTimeline } from './timeline.js';

/** Fields seen for one item, in the order written; a key present with no lines is a field left empty. */
type Draft = Map<FieldKey, string[]>;

const SUB_KEYS = new Set<FieldKey>(['products', 'beneficiaries', 'benefits']);
const REGISTRATION_KEYS: FieldKey[] = ['summary', 'necessity', 'expected_results', 'timeline', 'lead_unit'];
const RESULT_KEYS: FieldKey[] = ['result_status', 'outcome'];

export interface Extracted {
  initiatives: ParsedInitiative[];
  results: ParsedResult[];
  warnings: string[];
}

/** Find the items of a form in its blocks, whatever the layout: table rows, key-value tables, numbered prose. */
export function extractItems(blocks: readonly Block[], startAt = 0): Extracted {
  const warnings: string[] = [];
  const items = new ItemCollector();

  for (const block of blocks.slice(startAt)) {
    if (block.type === 'table') {
      const header = findHeaderRow(block);
      const pairs = header ? null : readKeyValueTable(block);
      if (header) items.addAll(readRowTable(block, header, warnings));
      else if (pairs) {
        items.startNewIfTitled();
        for (const [key, lines] of pairs) items.put(key, lines);
      }
      items.endField();
      continue;
    }
    for (const line of block.lines) {
      if (line === '') continue;
      if (isClosing(line)) {
        items.endField();
        continue;
      }
      const label = splitLabelLine(line);
      // "- Sản phẩm: …" inside the expected results is a line of that field, split out later.
      if (label && items.currentKey === 'expected_results' && SUB_KEYS.has(label.key)) {
        items.continueField(line);
        continue;
      }
      // Inside a value, a line that merely starts like a label is text, unless it is marked as a label.
      if (
        label &&
        (label.numbered || label.value !== '' || /[:：]/.test(line) || isCapitals(line) || !items.inField)
      ) {
        items.put(label.key, label.value ? [label.value] : []);
      } else if (isItemHeading(line)) {
        items.startNew();
      } else items.continueField(line);
    }
  }

  const initiatives: ParsedInitiative[] = [];
  const results: ParsedResult[] = [];
  for (const d of items.finish()) {
    const title = joined(d.get('title'));
    const isResult = RESULT_KEYS.some((k) => d.has(k)) && !REGISTRATION_KEYS.some((k) => d.has(k));
    if (!title) {
      if ([...d.values()].some((v) => v.length > 0)) warnings.push('an item without a title was skipped');
      continue;
    }
    if (isResult) results.push(toResult(d, title));
    else if (REGISTRATION_KEYS.some((k) => d.has(k))) initiatives.push(toInitiative(d, title));
  }
  return { initiatives, results, warnings };
}

/** Collects label/value pairs into items: a second title, or an item heading, starts the next item. */
class ItemCollector {
  private readonly done: Draft[] = [];
  private current: Draft | null = null;
  private key: FieldKey | null = null;

  get currentKey(): FieldKey | null {
    return this.key;
  }

  get inField(): boolean {
    return this.key !== null;
  }

  startNew(): void {
    if (this.current && this.current.size > 0) this.done.push(this.current);
    this.current = null;
    this.key = null;
  }

  startNewIfTitled(): void {
    if (this.current?.has('title')) this.startNew();
  }

  put(key: FieldKey, lines: string[]): void {
    if (key === 'title') this.startNewIfTitled();
    this.current ??= new Map();
    this.current.set(key, [...(this.current.get(key) ?? []), ...lines]);
    this.key = key;
  }

  continueField(line: string): void {
    if (this.current && this.key) this.current.get(this.key)?.push(line);
  }

  endField(): void {
    this.key = null;
  }

  addAll(drafts: Draft[]): void {
    this.startNew();
    this.done.push(...drafts);
  }

  finish(): Draft[] {
    this.startNew();
    return this.done;
  }
}

const joined = (lines: string[] | undefined): string | null =>
  lines === undefined ? null : lines.join('\n');

function toInitiative(d: Draft, title: string): ParsedInitiative {
  let products = joined(d.get('products'));
  let beneficiaries = joined(d.get('beneficiaries'));
  let benefits = joined(d.get('benefits'));
  let expected = joined(d.get('expected_results'));
  const splitGiven = products !== null || beneficiaries !== null || benefits !== null;
  if (splitGiven && !expected) {
    // Sub-columns or sub-rows: the whole field is the three parts, one per line.
    expected = [products, beneficiaries, benefits].filter((x): x is string => !!x).join('\n');
  } else if (!splitGiven && expected) {
    const parts = splitExpected(d.get('expected_results') ?? []);
    if (parts) ({ products, beneficiaries, benefits } = parts);
  }
  const timeline = joined(d.get('timeline'));
  const { start, end } = parseTimeline(timeline);
  return {
    title,
    summary: joined(d.get('summary')),
    necessity: joined(d.get('necessity')),
    expected_results: expected,
    products,
    beneficiaries,
    benefits,
    timeline,
    start,
    end,
    lead_unit: joined(d.get('lead_unit')),
    notes: joined(d.get('notes')),
  };
}

const SUB_LABEL =
  /^[-+•*]?\s*(san pham|doi tuong (?:thu huong|huong loi|duoc huong)|loi ich(?: thu duoc| mang lai| dat duoc)?)\s*$/;

/** "- Sản phẩm: …", "+ Đối tượng thụ hưởng: …", "- Lợi ích thu được: …" lines inside the expected results. */
function splitExpected(
  lines: string[],
): Pick<ParsedInitiative, 'products' | 'beneficiaries' | 'benefits'> | null {
  const out: Record<'products' | 'beneficiaries' | 'benefits', string[] | null> = {
    products: null,
    beneficiaries: null,
    benefits: null,
  };
  let key: keyof typeof out | null = null;
  let found = false;
  for (const line of lines) {
    const colon = line.search(/[:：]/);
    const head = colon > 0 ? fold(line.slice(0, colon)) : '';
    const m = colon > 0 ? SUB_LABEL.exec(head) : null;
    if (m) {
      key = m[1]?.startsWith('san') ? 'products' : m[1]?.startsWith('doi') ? 'beneficiaries' : 'benefits';
      out[key] = [line.slice(colon + 1).trim()];
      found = true;
    } else if (key) out[key]?.push(line);
  }
  if (!found) return null;
  return {
    products: out.products?.join('\n') ?? null,
    beneficiaries: out.beneficiaries?.join('\n') ?? null,
    benefits: out.benefits?.join('\n') ?? null,
  };
}

function toResult(d: Draft, title: string): ParsedResult {
  return { title, status: statusOf(joined(d.get('result_status')) ?? ''), outcome: joined(d.get('outcome')) };
}

/** The status a "Kết quả thực hiện" cell states. */
export function statusOf(text: string): ResultStatus {
  const s = fold(text);
  if (s === '') return 'unknown';
  if (/^(chua|khong) (thuc hien|trien khai|bat dau)/.test(s) || /\bchua (thuc hien|trien khai)\b/.test(s))
    return 'not_started';
  if (/\b(dang|tiep tuc) (trien khai|thuc hien)\b|\bdang\b/.test(s)) return 'in_progress';
  if (/\b(da )?hoan thanh\b|\bda thuc hien\b|\bda trien khai xong\b/.test(s)) return 'completed';
  return 'unknown';
}

// ---- tables with one row per item ----

interface Header {
  /** Rows that belong to the header (labels, sub-labels). */
  rows: number;
  /** Field of each grid column. */
  columns: (FieldKey | null)[];
  /** Status of status sub-columns (an "x" in one of them gives the status). */
  statusColumns: Map<number, ResultStatus>;
}

function uniqueCells(row: Cell[]): { cell: Cell; col: number }[] {
  const seen = new Set<number>();
  const out: { cell: Cell; col: number }[] = [];
  row.forEach((cell, col) => {
    if (!seen.has(cell.id)) out.push({ cell, col });
    seen.add(cell.id);
  });
  return out;
}

function findHeaderRow(table: Table): Header | null {
  for (let r = 0; r < Math.min(3, table.rows.length); r++) {
    const row = table.rows[r] as Cell[];
    const keys = row.map((c) => labelOf(cellText(c)));
    const distinct = new Set(keys.filter((k) => k && k !== 'number'));
    if (!distinct.has('title') || distinct.size < 2) continue;
    const columns = [...keys];
    const statusColumns = new Map<number, ResultStatus>();
    let rows = r + 1;
    // A sub-header row: labels under a merged "expected results" or "status" header, every other cell being
    // the header's own cells continued downwards.
    const sub = table.rows[r + 1];
    if (sub) {
      const subKeys = new Map<number, FieldKey>();
      const subStatus = new Map<number, ResultStatus>();
      let other = false;
      sub.forEach((cell, col) => {
        if (cell.merged || cellText(cell) === '') return;
        const text = cellText(cell);
        const k = labelOf(text);
        if (
          columns[col] === 'expected_results' &&
          (k === 'products' || k === 'beneficiaries' || k === 'benefits')
        ) {
          subKeys.set(col, k);
        } else if (columns[col] === 'result_status' && statusOf(text) !== 'unknown')
          subStatus.set(col, statusOf(text));
        else other = true;
      });
      if (!other && (subKeys.size >= 2 || subStatus.size >= 2)) {
        for (const [col, k] of subKeys) columns[col] = k;
        for (const [col, st] of subStatus) statusColumns.set(col, st);
        rows++;
      }
    }
    // In a results report, "results achieved" is the outcome, not the expected results of a registration.
    if (columns.includes('result_status')) {
      columns.forEach((k, i) => {
        if (k === 'expected_results') columns[i] = 'outcome';
      });
    }
    return { rows, columns, statusColumns };
  }
  return null;
}

const NUMBERING_CELL = /^\(?\s*[0-9]{1,2}\s*\)?$|^\(\s*[a-z0-9=+*\s]+\s*\)$/i;

function readRowTable(table: Table, header: Header, warnings: string[]): Draft[] {
  const drafts: Draft[] = [];
  for (const row of table.rows.slice(header.rows)) {
    const cells = uniqueCells(row);
    const texts = cells.map(({ cell }) => cellText(cell));
    if (texts.every((t) => t === '')) continue;
    // The numbering row "(1) (2) (3) …" under the header.
    if (texts.filter((t) => t !== '').every((t) => NUMBERING_CELL.test(t)) && texts.length >= 3) continue;
    const d: Draft = new Map();
    for (const { cell, col } of cells) {
      const key = header.columns[col];
      if (header.statusColumns.has(col)) {
        if (/^[xX✓✔☑vV]$/.test(cellText(cell)))
          d.set('result_status', [statusLabel(header.statusColumns.get(col))]);
        else if (!d.has('result_status')) d.set('result_status', []);
        continue;
      }
      if (!key || key === 'number') continue;
      d.set(key, [...(d.get(key) ?? []), ...cell.lines]);
    }
    if (!d.get('title')?.length) {
      if ([...d.values()].some((v) => v.length > 0)) warnings.push('a table row without a title was skipped');
      continue;
    }
    drafts.push(d);
  }
  return drafts;
}

function statusLabel(s: ResultStatus | undefined): string {
  return s === 'completed'
    ? 'Hoàn thành'
    : s === 'in_progress'
      ? 'Đang thực hiện'
      : s === 'not_started'
        ? 'Chưa thực hiện'
        : '';
}

// ---- key-value tables: a label cell, then its value ----

function readKeyValueTable(table: Table): [FieldKey, string[]][] | null {
  const pairs: [FieldKey, string[]][] = [];
  for (const row of table.rows) {
    const cells = uniqueCells(row).map(({ cell }) => cell);
    // The label is the last label cell before the value (a sub-row repeats its merged parent label first).
    let labelAt = -1;
    let key: FieldKey | null = null;
    cells.forEach((cell, i) => {
      const k = cell.merged ? null : labelOf(cellText(cell));
      if (k && k !== 'number' && i < cells.length - 1) {
        labelAt = i;
        key = k;
      }
    });
    if (key === null || labelAt < 0) continue;
    const value = cells.slice(labelAt + 1).flatMap((c) => (c.merged ? [] : c.lines));
    pairs.push([key, value]);
  }
  return pairs.length >= 2 ? pairs : null;
}

// ---- prose ----

function isCapitals(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  return letters.length > 3 && letters === letters.toLocaleUpperCase('vi');
}

/** "I. SÁNG KIẾN THỨ NHẤT", "Sáng kiến số 2", "2/", "II." — the start of the next item. */
function isItemHeading(line: string): boolean {
  const f = fold(line);
  if (/^(\d{1,2}|[ivx]{1,4})$/.test(f)) return true;
  const rest = fold(stripNumbering(line).rest);
  return /^(sang kien|giai phap|y tuong|de xuat|mo hinh)( moi)?( (so|thu) \S+)?$/.test(rest);
}

/** Lines that end the form's items: the closing sentence, recipients, signature. */
function isClosing(line: string): boolean {
  const f = fold(line);
  return /\.\/\.$/.test(line) || /^(noi nhan|kinh gui|tran trong|tm |kt |nguoi lap bieu)/.test(f);
}
