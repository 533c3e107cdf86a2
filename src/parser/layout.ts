import {
  EXPECTED_PARTS,
  EXPECTED_WHOLE,
  type ExpectedPart,
  isExpectedPart,
  WRITTEN_FIELDS,
  type WrittenField,
} from '../domain/initiative-fields.js';
import type { ResultStatus } from '../domain/kinds.js';
import { fold } from '../domain/text.js';
import { type Block, type Cell, cellText, type Table } from './blocks.js';
import type { ParsedInitiative, ParsedResult } from './form-types.js';
import {
  DESCRIBING_FIELDS,
  type FieldKey,
  isSectionHeading,
  isTotalLabel,
  LABEL_VOCABULARY,
  type LabelMatch,
  matchLabel,
  splitLabelLine,
  stripNumbering,
} from './labels.js';
import { parseTimeline } from './timeline.js';

// Layouts read here, whatever the producer: tables with one row per item (a header row of labels), tables with
// a column of labels (one value column per item: key-value tables, or several initiatives side by side),
// numbered prose, and prose inside a table. Which way a table runs is decided by its structure: the row or
// the column that holds the labels. Lines that open the next item ("Sáng kiến 2", "II. SÁNG KIẾN 2",
// "Giải pháp thứ hai") are boundaries wherever they stand: a paragraph, a table row, a line inside a cell.

/** Fields seen for one item, in the order written; a key present with no lines is a field left empty. */
interface Draft {
  fields: Map<FieldKey, string[]>;
  /** Fields whose label was read only loosely. */
  loose: Set<FieldKey>;
  /** Fields with text decoded from a legacy encoding guessed from its characters. */
  recovered: Set<FieldKey>;
  /** From a table whose orientation had to be guessed. */
  guessed: boolean;
  /** From a results table (its other columns, a date or the reporting unit, are not an initiative's). */
  result: boolean;
}

const newDraft = (): Draft => ({
  fields: new Map(),
  loose: new Set(),
  recovered: new Set(),
  guessed: false,
  result: false,
});

const SUB_KEYS = new Set<FieldKey>(EXPECTED_PARTS);
const RESULT_KEYS: FieldKey[] = ['result_status', 'outcome'];
const FIELD_NAME: Partial<Record<FieldKey, string>> = { result_status: 'status' };

export interface Extracted {
  initiatives: ParsedInitiative[];
  results: ParsedResult[];
  warnings: string[];
  /** Paths of fields read with doubt ("initiatives[1].timeline", "results"), sorted. */
  uncertain: string[];
}

export interface ExtractOptions {
  /** The document's title calls it a results report. */
  report?: boolean;
}

/** Find the items of a form in its blocks, whatever the layout: table rows, label columns, numbered prose. */
export function extractItems(
  blocks: readonly Block[],
  startAt = 0,
  { report = false }: ExtractOptions = {},
): Extracted {
  const warnings: string[] = [];
  const items = new ItemCollector();

  for (const block of blocks.slice(startAt)) {
    if (block.type === 'paragraph') {
      for (const line of block.lines) proseLine(items, line, block.recovered === true);
      continue;
    }
    readTable(block, items, report, warnings);
    items.endField();
  }

  const initiatives: ParsedInitiative[] = [];
  const results: ParsedResult[] = [];
  const uncertain = new Set<string>();
  for (const d of items.finish()) {
    const f = d.fields;
    const title = joined(f.get('title'));
    const hasResultKey = RESULT_KEYS.some((k) => f.has(k));
    const isResult = d.result || (hasResultKey && (report || !DESCRIBING_FIELDS.some((k) => f.has(k))));
    if (isResult) {
      if (report && !f.has('result_status')) {
        // "Tiến độ thực hiện: Đã hoàn thành" in a report states the status, not a timeline.
        const stated = (f.get('timeline') ?? []).find(isStatusLike);
        if (stated) f.set('result_status', [stated]);
      }
      if (!title) {
        if ([...f.values()].some((v) => v.length > 0)) warnings.push('an item without a title was skipped');
        continue;
      }
      // "Kết quả đạt được" in a report is what was achieved: the outcome.
      if (!f.has('outcome') && f.has('expected_results')) {
        f.set('outcome', f.get('expected_results') ?? []);
        if (d.loose.has('expected_results')) d.loose.add('outcome');
      }
      const at = `results[${results.length}]`;
      results.push(toResult(d, title));
      flagFields(d, at, uncertain, ['title', 'result_status', 'outcome']);
      if (d.guessed) uncertain.add('results');
      continue;
    }
    // A registration item written without its title still counts, with the title flagged for a person.
    // (three fields at least, one of them a description, so that a stray block of dates and units is not one).
    const filled = DESCRIBING_FIELDS.filter((k) => (f.get(k) ?? []).some((l) => l !== ''));
    const described = filled.some((k) => k === 'summary' || k === 'necessity' || k === 'expected_results');
    if (!title && (filled.length < 3 || !described)) {
      if ([...f.values()].some((v) => v.length > 0)) warnings.push('an item without a title was skipped');
      continue;
    }
    if (!DESCRIBING_FIELDS.some((k) => f.has(k))) continue;
    // A registration that says what it achieves ("Hiệu quả mang lại") means its expected results.
    if (!f.has('expected_results') && f.has('outcome')) {
      f.set('expected_results', f.get('outcome') ?? []);
      if (d.loose.has('outcome')) d.loose.add('expected_results');
    }
    const at = `initiatives[${initiatives.length}]`;
    initiatives.push(toInitiative(d, title ?? ''));
    if (!title) uncertain.add(`${at}.title`);
    flagFields(d, at, uncertain, WRITTEN_FIELDS);
    if (d.guessed) uncertain.add('initiatives');
  }
  return { initiatives, results, warnings, uncertain: [...uncertain].sort() };
}

// Notes are often left empty on purpose ("Ghi chú" with nothing to add): an empty note is not a doubt.
const MAY_BE_EMPTY = new Set<FieldKey>(['notes', ...EXPECTED_PARTS]);

function flagFields(d: Draft, at: string, out: Set<string>, keys: readonly FieldKey[]): void {
  for (const k of keys) {
    const name = FIELD_NAME[k] ?? k;
    const lines = d.fields.get(k);
    if (d.loose.has(k) || d.recovered.has(k)) out.add(`${at}.${name}`);
    else if (lines && !MAY_BE_EMPTY.has(k) && lines.every((l) => l === '')) out.add(`${at}.${name}`);
  }
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

  /** Just after an item heading that gave no title. */
  awaitingTitle = false;

  get hasCurrent(): boolean {
    return this.current !== null && this.current.fields.size > 0;
  }

  startNew(): void {
    if (this.current && this.current.fields.size > 0) this.done.push(this.current);
    this.current = null;
    this.key = null;
    this.awaitingTitle = false;
  }

  startNewIfTitled(): void {
    if (this.current?.fields.has('title')) this.startNew();
  }

  put(key: FieldKey, lines: string[], how: { loose?: boolean; recovered?: boolean } = {}): void {
    if (key === 'title') this.startNewIfTitled();
    this.awaitingTitle = false;
    this.current ??= newDraft();
    const f = this.current.fields;
    f.set(key, [...(f.get(key) ?? []), ...lines]);
    if (how.loose) this.current.loose.add(key);
    if (how.recovered && lines.length > 0) this.current.recovered.add(key);
    this.key = key;
  }

  continueField(line: string, recovered = false): void {
    if (!this.current || !this.key) return;
    this.current.fields.get(this.key)?.push(line);
    if (recovered) this.current.recovered.add(this.key);
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
  const f = d.fields;
  const read = Object.fromEntries(WRITTEN_FIELDS.map((k) => [k, joined(f.get(k))])) as Record<
    WrittenField,
    string | null
  >;
  const given = EXPECTED_PARTS.filter((p) => read[p] !== null);
  if (given.length > 0 && !read[EXPECTED_WHOLE]) {
    // Sub-columns or sub-rows: the whole field is its parts, one per line.
    read[EXPECTED_WHOLE] = EXPECTED_PARTS.flatMap((p) => (read[p] ? [read[p]] : [])).join('\n');
  } else if (given.length === 0 && read[EXPECTED_WHOLE]) {
    Object.assign(read, splitExpected(f.get(EXPECTED_WHOLE) ?? []));
  }
  const { start, end } = parseTimeline(read.timeline);
  return { ...read, title, start, end };
}

const SUB_LABEL =
  /^[-+•*]?\s*(san pham|doi tuong (?:thu huong|huong loi|duoc huong)|loi ich(?: thu duoc| mang lai| dat duoc)?)\s*$/;

/**
 * "- Sản phẩm: …", "+ Đối tượng thụ hưởng: …", "- Lợi ích thu được: …" lines inside the expected results: its
 * parts, by the label each line starts with (empty when no line starts with one).
 */
function splitExpected(lines: string[]): Partial<Record<ExpectedPart, string>> {
  const out: Partial<Record<ExpectedPart, string[]>> = {};
  let key: ExpectedPart | null = null;
  for (const line of lines) {
    const colon = line.search(/[:：]/);
    const head = colon > 0 ? fold(line.slice(0, colon)) : '';
    const m = colon > 0 ? SUB_LABEL.exec(head) : null;
    const named = m ? matchLabel(m[1] ?? '')?.key : undefined;
    if (named && isExpectedPart(named)) {
      key = named;
      out[key] = [line.slice(colon + 1).trim()];
    } else if (key) out[key]?.push(line);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.join('\n')]));
}

function toResult(d: Draft, title: string): ParsedResult {
  return {
    title,
    status: statusOf(joined(d.fields.get('result_status')) ?? ''),
    outcome: joined(d.fields.get('outcome')),
  };
}

/** The status a "Kết quả thực hiện" cell states. */
export function statusOf(text: string): ResultStatus {
  const s = fold(text);
  if (s === '') return 'unknown';
  // The status the cell opens with decides ("Đã hoàn thành, đang nhân rộng" is completed).
  if (
    /^(da )?(hoan thanh|trien khai xong|thuc hien xong)\b|^da (thuc hien|trien khai|ap dung|dua vao)\b/.test(
      s,
    )
  )
    return 'completed';
  if (/^(dang|tiep tuc)\b/.test(s)) return 'in_progress';
  if (/^(chua|khong|tam dung|tam hoan)\b/.test(s)) return 'not_started';
  if (/^(chua|khong) (thuc hien|trien khai|bat dau)/.test(s) || /\bchua (thuc hien|trien khai)\b/.test(s))
    return 'not_started';
  if (/\b(dang|tiep tuc) (trien khai|thuc hien)\b|\bdang\b/.test(s)) return 'in_progress';
  if (/\b(da )?hoan thanh\b|\bda thuc hien\b|\bda trien khai xong\b/.test(s)) return 'completed';
  return 'unknown';
}

const STATUS_START =
  /^(da |chua |dang |khong |tiep tuc |co ban |tam )?(hoan thanh|thuc hien|trien khai|bat dau|ap dung|van hanh|xay dung|dua vao|dung|hoan)\b/;

/** A short text that opens with a status ("Đã hoàn thành", "Đang triển khai"), as a status column's cells do. */
function isStatusLike(text: string): boolean {
  const first = fold(text.split('\n')[0] ?? '');
  return (
    first !== '' && first.split(' ').length <= 8 && STATUS_START.test(first) && statusOf(first) !== 'unknown'
  );
}

// ---- tables ----

function uniqueCells(row: Cell[]): { cell: Cell; col: number }[] {
  const seen = new Set<number>();
  const out: { cell: Cell; col: number }[] = [];
  row.forEach((cell, col) => {
    if (!seen.has(cell.id)) out.push({ cell, col });
    seen.add(cell.id);
  });
  return out;
}

/** Decide which way a table runs, by where its labels are, and read it that way. */
function readTable(table: Table, items: ItemCollector, report: boolean, warnings: string[]): void {
  const header = findHeaderRow(table, report);
  const columns = readLabelColumn(table);
  const rowScore = header?.score ?? 0;
  const colScore = columns?.score ?? 0;
  if (header && (!columns || rowScore >= colScore)) {
    const drafts = readRowTable(table, header, warnings);
    // Labels both along the first rows and down a column: the reading had to choose.
    if (columns && colScore >= 3) for (const d of drafts) d.guessed = true;
    items.addAll(drafts);
    return;
  }
  if (columns) {
    const guessed = header !== null && rowScore >= 3;
    if (columns.sideBySide) {
      for (const d of columns.sideBySide) d.guessed ||= guessed;
      items.addAll(columns.sideBySide);
      return;
    }
    items.startNewIfTitled();
    for (const ev of columns.events) {
      if (ev.type === 'boundary') {
        items.startNew();
        if (ev.title) items.put('title', [ev.title]);
      } else if (ev.type === 'field') {
        items.put(ev.key, ev.lines, { loose: ev.loose || guessed, recovered: ev.recovered });
      } else if (ev.type === 'end') items.endField();
      else for (const line of ev.lines) proseLine(items, line, ev.recovered);
    }
    return;
  }
  // Neither a header row nor a label column: prose set in a table (a frame, a one-cell box), read as prose.
  // A cell holding only a row number ("1", "2.") numbers the row; it does not open an item.
  for (const row of table.rows)
    for (const { cell } of uniqueCells(row)) {
      if (NUMBERING_CELL.test(cellText(cell)) || /^\d{1,2}[./]$/.test(cellText(cell))) continue;
      for (const line of cell.lines) proseLine(items, line, cell.recovered === true);
    }
}

// ---- tables with one row per item ----

interface Header {
  /** Rows that belong to the header (labels, sub-labels). */
  rows: number;
  /** Field of each grid column. */
  columns: (FieldKey | null)[];
  /** Columns whose label was read loosely. */
  loose: Set<number>;
  /** Status of status sub-columns (an "x" in one of them gives the status). */
  statusColumns: Map<number, ResultStatus>;
  /** A results table: its rows are results, whatever other columns it has. */
  results: boolean;
  /** Distinct fields named in the header. */
  score: number;
}

function findHeaderRow(table: Table, report: boolean): Header | null {
  for (let r = 0; r < Math.min(3, table.rows.length); r++) {
    const row = table.rows[r] as Cell[];
    const strict = row.map((c) => matchLabel(cellText(c)));
    const distinct = new Set(strict.filter((m) => m && m.key !== 'number').map((m) => m?.key));
    // A header that names three fields or more but not the title in words the vocabulary knows
    // ("Sáng kiến đăng ký"): its first unnamed text column holds the titles, read with doubt.
    const untitled =
      !distinct.has('title') && distinct.size >= 3 && row.every((c) => cellText(c).length <= 120);
    const guessedTitle = untitled ? titleColumnGuess(table, r, strict) : -1;
    if ((!distinct.has('title') && guessedTitle < 0) || distinct.size < 2) continue;
    // With the row known to be a header, its other cells may be read loosely.
    const matches = row.map((c, i) =>
      i === guessedTitle
        ? { key: 'title' as const, loose: true }
        : (strict[i] ?? (c.merged ? null : matchLabel(cellText(c), { loose: true }))),
    );
    const columns = matches.map((m) => m?.key ?? null);
    const loose = new Set(matches.flatMap((m, i) => (m?.loose ? [i] : [])));
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
        const k = matchLabel(text)?.key ?? null;
        if (columns[col] === EXPECTED_WHOLE && k !== null && isExpectedPart(k)) {
          subKeys.set(col, k);
        } else if (isStatusHeader(columns[col] ?? null, report) && statusOf(text) !== 'unknown')
          subStatus.set(col, statusOf(text));
        else other = true;
      });
      // The title header merged down into this row makes it part of the header, whatever it holds
      // ("Bắt đầu | Kết thúc" under "Thời gian thực hiện": both columns stay the timeline).
      const titleCol = columns.indexOf('title');
      const continued =
        titleCol >= 0 && sub[titleCol]?.merged === true && sub[titleCol]?.id === row[titleCol]?.id;
      if ((!other && (subKeys.size >= 2 || subStatus.size >= 2)) || continued) {
        for (const [col, k] of subKeys) columns[col] = k;
        // Under a header merged over two rows, a label of the lower row names its column more narrowly
        // ("Nội dung sáng kiến" over "Mô tả tóm tắt | Sự cần thiết").
        if (continued)
          sub.forEach((cell, col) => {
            const k = cell.merged ? null : (matchLabel(cellText(cell))?.key ?? null);
            if (k && k !== 'number' && !subKeys.has(col) && !subStatus.has(col)) columns[col] = k;
          });
        if (subStatus.size >= 2)
          for (const [col, st] of subStatus) {
            statusColumns.set(col, st);
            columns[col] = 'result_status';
          }
        rows++;
      }
    }
    // Columns whose cells state a status ("Đã hoàn thành", "Đang triển khai") are the status, whatever their
    // header says ("Tiến độ thực hiện", "Kết quả", or none).
    const body = table.rows.slice(rows);
    // A table that describes initiatives (summary, necessity) is a registration unless the title says report:
    // "Đang triển khai từ tháng 8" there is a timeline.
    const describes = columns.some((k) => k === 'summary' || k === 'necessity');
    if (!columns.includes('result_status') && (report || !describes)) {
      const statusCol = columns.findIndex(
        (k, col) =>
          (k === null || k === 'timeline' || k === 'expected_results') && statusShare(body, col) >= 0.6,
      );
      if (statusCol >= 0) columns[statusCol] = 'result_status';
    }
    const hasStatus = columns.includes('result_status');
    const registrationOnly = columns.some(
      (k) => k === 'summary' || k === 'necessity' || (k === 'expected_results' && !hasStatus && !report),
    );
    const results = !registrationOnly && (hasStatus || (report && columns.includes('outcome')));
    if (results) {
      // In a results report, "results achieved" is the outcome, not the expected results of a registration.
      columns.forEach((k, i) => {
        if (k === 'expected_results') columns[i] = 'outcome';
      });
      if (!columns.includes('outcome')) {
        // A results table names its outcome column in many ways; the widest unnamed text column after the
        // status is taken, and flagged.
        const status = columns.indexOf('result_status');
        const candidate = columns.findIndex(
          (k, col) => col > status && k === null && textShare(body, col) > 0,
        );
        if (candidate >= 0) {
          columns[candidate] = 'outcome';
          loose.add(candidate);
        }
      }
    }
    return { rows, columns, loose, statusColumns, results, score: new Set(columns.filter(Boolean)).size };
  }
  return null;
}

/** The first column of a header row that names no field, has a heading and text in the rows below: the titles. */
function titleColumnGuess(table: Table, r: number, strict: (LabelMatch | null)[]): number {
  const row = table.rows[r] as Cell[];
  const body = table.rows.slice(r + 1);
  return row.findIndex((cell, col) => {
    const text = cellText(cell);
    if (cell.merged || strict[col] || text === '' || NUMBERING_CELL.test(text)) return false;
    const below = body.map((b) => b[col]).filter((c): c is Cell => !!c && !c.merged);
    const filled = below.filter((c) => cellText(c) !== '' && !NUMBERING_CELL.test(cellText(c)));
    return below.length > 0 && filled.length * 2 >= below.length;
  });
}

function isStatusHeader(key: FieldKey | null, report: boolean): boolean {
  return key === 'result_status' || (report && (key === 'expected_results' || key === 'timeline'));
}

/** Share of a column's non-empty body cells that state a status. */
function statusShare(body: Cell[][], col: number): number {
  const texts = body.map((row) => row[col]).filter((c) => c && !c.merged && cellText(c) !== '');
  if (texts.length === 0) return 0;
  return texts.filter((c) => isStatusLike(cellText(c))).length / texts.length;
}

function textShare(body: Cell[][], col: number): number {
  const cells = body.map((row) => row[col]).filter((c): c is Cell => !!c && !c.merged);
  return cells.length ? cells.filter((c) => cellText(c) !== '').length / cells.length : 0;
}

const NUMBERING_CELL = /^\(?\s*[0-9]{1,2}\s*\)?$|^\(\s*[a-z0-9=+*\s]+\s*\)$/i;

function readRowTable(table: Table, header: Header, warnings: string[]): Draft[] {
  const drafts: Draft[] = [];
  const width = table.rows[0]?.length ?? 0;
  const titleCol = header.columns.indexOf('title');
  let previous: { row: Cell[]; draft: Draft } | null = null;
  for (const row of table.rows.slice(header.rows)) {
    const cells = uniqueCells(row);
    const texts = cells.map(({ cell }) => cellText(cell));
    const filled = texts.filter((t) => t !== '');
    if (filled.length === 0) continue;
    // The title cell merged down from the row above: this row continues that item (more lines of its fields).
    const titleCell = row[titleCol];
    if (previous && titleCell?.merged && titleCell.id === previous.row[titleCol]?.id) {
      for (const { cell, col } of cells) {
        const key = header.columns[col];
        if (cell.merged || !key || key === 'number' || header.statusColumns.has(col)) continue;
        const f = previous.draft.fields;
        f.set(key, [...(f.get(key) ?? []), ...cell.lines]);
      }
      continue;
    }
    // The numbering row "(1) (2) (3) …" under the header.
    if (filled.every((t) => NUMBERING_CELL.test(t)) && texts.length >= 3) continue;
    // A row spanning the table ("Sáng kiến 2", "I. Lĩnh vực đất đai") groups the rows; it is not an item.
    if (filled.length === 1 && (cells.length === 1 || width >= 3) && cells.length <= 2) {
      if (isItemHeading(filled[0] as string) || cells.length === 1) continue;
    }
    // A group heading alone in its row ("II. LĨNH VỰC ĐẤT ĐAI" in the title column), or a total row.
    if (filled.length === 1 && isSectionHeading(filled[0] as string)) continue;
    if (isTotalRow(filled)) continue;
    const d = newDraft();
    d.result = header.results;
    for (const { cell, col } of cells) {
      const key = header.columns[col];
      if (header.statusColumns.has(col)) {
        if (/^[xX✓✔☑vV]$/.test(cellText(cell)))
          d.fields.set('result_status', [statusLabel(header.statusColumns.get(col))]);
        else if (!d.fields.has('result_status')) d.fields.set('result_status', []);
        continue;
      }
      if (!key || key === 'number') continue;
      if (header.results && !['title', 'result_status', 'outcome'].includes(key)) continue;
      d.fields.set(key, [...(d.fields.get(key) ?? []), ...cell.lines]);
      if (header.loose.has(col)) d.loose.add(key);
      if (cell.recovered && cell.lines.length > 0) d.recovered.add(key);
    }
    if (!d.fields.get('title')?.length) {
      const filledKeys = DESCRIBING_FIELDS.filter((k) => (d.fields.get(k) ?? []).length > 0).length;
      if (header.results || filledKeys < 3) {
        if ([...d.fields.values()].some((v) => v.length > 0))
          warnings.push('a table row without a title was skipped');
        continue;
      }
    }
    drafts.push(d);
    previous = { row, draft: d };
  }
  return drafts;
}

/** "Tổng cộng | 3 sáng kiến", "Tổng số: 5": a row that counts the items, not an item. */
function isTotalRow(filled: string[]): boolean {
  const first = filled.find((t) => !NUMBERING_CELL.test(t));
  return first !== undefined && filled.length <= 3 && isTotalLabel(first);
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

// ---- tables with a column of labels: key-value tables, and initiatives side by side ----

type ColumnEvent =
  | { type: 'field'; key: FieldKey; lines: string[]; loose: boolean; recovered: boolean }
  | { type: 'boundary'; title: string | null }
  | { type: 'prose'; lines: string[]; recovered: boolean }
  | { type: 'end' };

interface LabelColumn {
  /** Distinct fields named down the label column. */
  score: number;
  /** One value column: the pairs and boundaries in order. */
  events: ColumnEvent[];
  /** Several value columns: one draft per column. */
  sideBySide: Draft[] | null;
}

/** Where the label of a row is: the last label cell before the values (a sub-row repeats its parent first). */
function rowLabel(
  cells: { cell: Cell; col: number }[],
  before: number,
): { at: number; key: FieldKey; loose: boolean } | null {
  let found: { at: number; key: FieldKey; loose: boolean } | null = null;
  cells.forEach(({ cell, col }, i) => {
    if (cell.merged || col >= before || i >= cells.length - 1 || !labelLike(cell)) return;
    const m = matchLabel(cellText(cell));
    if (m && m.key !== 'number') found = { at: i, key: m.key, loose: false };
  });
  if (found) return found;
  // No known label: the first text cell of a row with a value after it may name a field loosely.
  const first = cells.findIndex(
    ({ cell, col }) =>
      !cell.merged && col < before && cellText(cell) !== '' && !NUMBERING_CELL.test(cellText(cell)),
  );
  // Only a short text: a long one is a value, whatever words it shares with a label.
  if (first >= 0 && cellText((cells[first] as { cell: Cell }).cell).split(/\s+/).length > 8) return null;
  if (first < 0 || first >= cells.length - 1) return null;
  const m = matchLabel(cellText((cells[first] as { cell: Cell }).cell), { loose: true });
  return m && m.key !== 'number' ? { at: first, key: m.key, loose: true } : null;
}

/** A cell that could be a label: a few lines, no "label: value" in it. */
function labelLike(cell: Cell): boolean {
  return cell.lines.length <= 3 && !/[:：]\s*\S/.test(cellText(cell).replace(/\(.*?\)/gs, ''));
}

function readLabelColumn(table: Table): LabelColumn | null {
  const rows = table.rows.map(uniqueCells);
  // The title row tells how many value columns there are: one per initiative.
  let valueCols: number[] = [];
  for (const cells of rows) {
    const label = rowLabel(cells, Number.POSITIVE_INFINITY);
    if (label?.key !== 'title') continue;
    // Side by side only with two titles written: an empty extra cell (a notes column) is not an initiative.
    const named = cells.slice(label.at + 1).filter(({ cell }) => !cell.merged && cellText(cell) !== '');
    if (named.length >= 2) valueCols = named.map(({ col }) => col);
    break;
  }
  // No row names the titles: a heading row ("Nội dung | Sáng kiến 1: … | Sáng kiến 2: …") still sets the columns.
  if (valueCols.length === 0) {
    for (const cells of rows.slice(0, 2)) {
      const after = cells.slice(1).filter(({ cell }) => !cell.merged && cellText(cell) !== '');
      if (after.length >= 2 && after.every(({ cell }) => isItemHeading(cellText(cell)))) {
        valueCols = after.map(({ col }) => col);
        break;
      }
    }
  }
  const sideBySide = valueCols.length >= 2;
  const firstValue = sideBySide ? Math.min(...valueCols) : Number.POSITIVE_INFINITY;

  const events: ColumnEvent[] = [];
  const keys = new Set<FieldKey>();
  let headings: string[] | null = null;
  for (const cells of rows) {
    const label = rowLabel(cells, firstValue);
    if (!label) {
      const texts = cells.map(({ cell }) => cellText(cell)).filter((t) => t !== '');
      const last = events[events.length - 1];
      // A row whose label cell is left empty goes on with the field above (a value cut at a page break).
      if (!sideBySide && last?.type === 'field' && cells.length >= 2 && cellText(cells[0]?.cell) === '') {
        const more = cells.slice(1).flatMap(({ cell }) => (cell.merged ? [] : cell.lines));
        if (more.length > 0 && !more.some(isItemHeading)) {
          last.lines.push(...more);
          continue;
        }
      }
      if (texts.length === 1 && isItemHeading(texts[0] as string)) {
        events.push({ type: 'boundary', title: headingTitle(texts[0] as string) });
      } else if (sideBySide && keys.size === 0 && headings === null) {
        // "Nội dung | Sáng kiến 1 | Sáng kiến 2": the column headings, kept in case no row gives the titles.
        headings = valueCols.map((col) => cellText(cellAt(cells, col)));
      } else if (!sideBySide) {
        // A row with no label cell: "1. | Tên sáng kiến: …" is prose set in cells; a label the vocabulary does
        // not know ("Lĩnh vực | Hộ tịch") ends the field before it, and its value goes nowhere.
        const own = cells.filter(
          ({ cell }) =>
            !cell.merged && !NUMBERING_CELL.test(cellText(cell)) && !/^\d{1,2}[./]$/.test(cellText(cell)),
        );
        const lines = own.flatMap(({ cell }) => cell.lines);
        const prose = cells.length === 1 || lines.some((l) => isItemHeading(l) || !!splitLabelLine(l)?.value);
        const recovered = own.some(({ cell }) => cell.recovered === true);
        events.push(prose ? { type: 'prose', lines, recovered } : { type: 'end' });
      }
      continue;
    }
    keys.add(label.key);
    const rest = cells.slice(label.at + 1);
    const recovered = rest.some(({ cell }) => cell.recovered === true);
    if (sideBySide) {
      events.push({
        type: 'field',
        key: label.key,
        lines: [],
        loose: label.loose,
        recovered,
      });
      continue;
    }
    // A value cell that holds the next item's heading ends this field there; what follows is read as prose.
    const lines = rest.flatMap(({ cell }) => (cell.merged ? [] : cell.lines));
    const cut = lines.findIndex(isItemHeading);
    events.push({
      type: 'field',
      key: label.key,
      lines: cut >= 0 ? lines.slice(0, cut) : lines,
      loose: label.loose,
      recovered,
    });
    if (cut >= 0) {
      events.push({ type: 'boundary', title: headingTitle(lines[cut] as string) });
      events.push({ type: 'prose', lines: lines.slice(cut + 1), recovered });
    }
  }
  const fieldRows = events.filter((e) => e.type === 'field').length;
  if (fieldRows < 2) return null;
  const score = keys.size;
  if (!sideBySide) return { score, events, sideBySide: null };

  // Initiatives side by side: each value column is one initiative, read down the label column.
  const drafts = valueCols.map(() => newDraft());
  for (const cells of rows) {
    const label = rowLabel(cells, firstValue);
    if (!label) continue;
    valueCols.forEach((col, i) => {
      const cell = cellAt(cells, col);
      const d = drafts[i] as Draft;
      d.fields.set(label.key, [...(d.fields.get(label.key) ?? []), ...cell.lines]);
      if (label.loose) d.loose.add(label.key);
      if (cell.recovered && cell.lines.length > 0) d.recovered.add(label.key);
    });
  }
  drafts.forEach((d, i) => {
    const heading = headings?.[i];
    if (!d.fields.get('title')?.length && heading) {
      const t = headingTitle(heading) ?? (isItemHeading(heading) ? null : heading);
      if (t) {
        d.fields.set('title', [t]);
        d.loose.add('title');
      }
    }
  });
  return {
    score,
    events,
    sideBySide: drafts.filter((d) => [...d.fields.values()].some((v) => v.length > 0)),
  };
}

const EMPTY_CELL: Cell = { lines: [], merged: false, id: -1 };

/** The cell covering grid column `col` of a row given as its unique cells. */
function cellAt(cells: { cell: Cell; col: number }[], col: number): Cell {
  let found: Cell = EMPTY_CELL;
  for (const c of cells) if (c.col <= col) found = c.cell;
  return found;
}

// ---- prose ----

/** One line of prose: a label opening a field, a line opening the next item, or more of the current field. */
function proseLine(items: ItemCollector, line: string, recovered: boolean): void {
  if (line === '') return;
  if (isClosing(line)) {
    items.endField();
    return;
  }
  if (isItemHeading(line)) {
    items.startNew();
    const title = headingTitle(line);
    if (title) items.put('title', [title], { recovered });
    // Only a worded heading ("SÁNG KIẾN THỨ NHẤT"): a bare "2" or "II." may be a page or column number.
    else items.awaitingTitle = HEADING.test(headingParts(line).head);
    return;
  }
  const label = splitLabelLine(line);
  // A heading alone, then a line that is no label: the item's title written without its label (flagged).
  if (items.awaitingTitle && !label && !items.hasCurrent && /\p{L}{2,}/u.test(line)) {
    items.put('title', [line], { loose: true, recovered });
    items.endField();
    return;
  }
  // "- Sản phẩm: …" inside the expected results is a line of that field, split out later.
  if (label && items.currentKey === 'expected_results' && SUB_KEYS.has(label.key)) {
    items.continueField(line, recovered);
    return;
  }
  // Inside a value, a line that merely starts like a label is text, unless it is marked as a label.
  if (
    label &&
    (label.numbered || label.value !== '' || /[:：]/.test(line) || isCapitals(line) || !items.inField)
  ) {
    items.put(label.key, label.value ? [label.value] : [], { loose: label.loose, recovered });
  } else items.continueField(line, recovered);
}

function isCapitals(line: string): boolean {
  const letters = line.replace(/[^\p{L}]/gu, '');
  return letters.length > 3 && letters === letters.toLocaleUpperCase('vi');
}

const ORDINAL =
  '(?:\\d{1,2}|[ivx]{1,4}|[a-e]|nhat|mot|hai|ba|bon|tu|nam|sau|bay|tam|chin|muoi|muoi mot|muoi hai)';
const ITEM_WORD =
  '(?:sang kien|giai phap|y tuong|de xuat|mo hinh|sang kien giai phap(?: y tuong)?|sang kien cai cach hanh chinh)';
// "Sáng kiến 2", "SÁNG KIẾN SỐ 3", "Giải pháp thứ hai", "Ý tưởng 2", "Sáng kiến thứ nhất", "Phần II. Sáng kiến 2".
const HEADING = new RegExp(`^(?:(?:phan|muc) ${ORDINAL} )?${ITEM_WORD}(?: moi)?(?: (?:so|thu))? ${ORDINAL}$`);

/** The part of a heading line before its colon, folded, and the text after the colon. */
function headingParts(line: string): { head: string; rest: string } {
  const { rest } = stripNumbering(line);
  // "Sáng kiến 1: …", "SÁNG KIẾN 1. MỘT CỬA …", "Sáng kiến 2 - …": the heading, then its title.
  const split = /^(.{3,40}?)(?:\s*[:：]|\.\s|\s[-–]\s)\s*(.*)$/.exec(rest);
  if (split && HEADING.test(fold(split[1] as string)))
    return { head: fold(split[1] as string), rest: (split[2] as string).trim() };
  const colon = rest.search(/[:：]/);
  return colon >= 0
    ? { head: fold(rest.slice(0, colon)), rest: rest.slice(colon + 1).trim() }
    : { head: fold(rest), rest: '' };
}

/** "I. SÁNG KIẾN THỨ NHẤT", "Sáng kiến số 2", "Giải pháp thứ hai:", "2/", "II." — the start of the next item. */
export function isItemHeading(line: string): boolean {
  const f = fold(line);
  if (/^(\d{1,2}|[ivx]{1,4})$/.test(f)) return true;
  return HEADING.test(headingParts(line).head);
}

/** The title a heading line carries after its colon ("Sáng kiến 1: Một cửa điện tử"), or null. */
function headingTitle(line: string): string | null {
  if (!isItemHeading(line)) return null;
  const { rest } = headingParts(line);
  return rest === '' ? null : rest;
}

/** Lines that end the form's items: the closing sentence, recipients, signature. */
export function isClosing(line: string): boolean {
  const f = fold(line);
  return /\.\/\.$/.test(line) || /^(noi nhan|kinh gui|tran trong|tm |kt |nguoi lap bieu)/.test(f);
}

const FORM_FIELDS: FieldKey[] = [
  'title',
  'summary',
  'necessity',
  'expected_results',
  'timeline',
  'result_status',
  'outcome',
];

/**
 * Whether the text after the title names a form's fields (the title label and two more), even when no item
 * could be read from it: the labels of a table a PDF printer flattened into loose lines still read in order.
 */
export function looksLikeForm(blocks: readonly Block[], startAt: number): boolean {
  const text = ` ${blocks
    .slice(startAt)
    .flatMap((b) => (b.type === 'paragraph' ? b.lines : b.rows.flatMap((r) => r.flatMap((c) => c.lines))))
    .map(fold)
    .join(' ')} `;
  const named = FORM_FIELDS.filter((key) =>
    LABEL_VOCABULARY[key].some((p) => p.includes(' ') && !p.endsWith('$') && text.includes(` ${p} `)),
  );
  return named.includes('title') && named.length >= 3;
}
