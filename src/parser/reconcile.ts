import { EXPECTED_PARTS, EXPECTED_WHOLE, WRITTEN_FIELDS } from '../domain/initiative-fields.js';
import { fold } from '../domain/text.js';
import type { Block, Table } from './blocks.js';
import { documentPieces, type Piece, type SourceRef } from './document-text.js';
import type { ParsedInitiative, ParsedResult } from './form-types.js';
import {
  DESCRIBING_FIELDS,
  type FieldKey,
  isOtherFieldLabel,
  isSectionHeading,
  isTotalLabel,
  LABEL_VOCABULARY,
  matchLabel,
  splitLabelLine,
  stripNumbering,
} from './labels.js';
import { isClosing, isItemHeading, statusOf } from './layout.js';

// The reading checked against the document it came from, whatever layout reader produced it. Every line of the
// item region must be a label, the value of exactly one field, or furniture (numbering, item and group headings,
// repeated header rows, fields the office does not collect, closing lines); each value must look like a value
// of its field (not a label, not a heading, not two fields' text poured into one). What does not hold is listed
// at the narrowest path, so a person checks exactly that. The pass only reads: it never changes the reading.

interface FieldSource {
  path: string;
  refs: SourceRef[];
  /** The document's line at each place. */
  texts: string[];
}

interface Unaccounted {
  text: string;
  ref: SourceRef;
  /** The path it most likely belongs to, flagged for it. */
  path: string;
}

export interface Reconciliation {
  /** Paths to add to the reading's `uncertain`, sorted. */
  uncertain: string[];
  /** Where each field's text came from, in the reading's order. */
  sources: FieldSource[];
  /** Text of the item region that no field, label or furniture accounts for. */
  unaccounted: Unaccounted[];
}

export interface Reading {
  initiatives: readonly ParsedInitiative[];
  results: readonly ParsedResult[];
}

// The text fields of an initiative (its start and end are read from the timeline, not from the document).
const INITIATIVE_FIELDS = WRITTEN_FIELDS;
const RESULT_FIELDS = ['title', 'outcome'] as const;

/** Fields whose text may also stand in another field of the same item (one is built from the other). */
const SAME_TEXT = new Set<string>([EXPECTED_WHOLE, ...EXPECTED_PARTS, 'outcome']);
/** Label keys a field's text may stand under. */
function fitsLabel(field: string, key: FieldKey): boolean {
  if (key === 'number') return false;
  const name = key === 'result_status' ? 'status' : key;
  if (name === field) return true;
  if (SAME_TEXT.has(field) && SAME_TEXT.has(name)) return true;
  // A report's status column is often headed "Tiến độ" or "Kết quả"; its outcome "Kết quả đạt được".
  if (field === 'status') return name === 'timeline' || SAME_TEXT.has(name);
  return field === 'outcome' && (name === 'status' || name === 'timeline');
}

/** "Lĩnh vực: Hộ tịch", a field the office does not collect, with its value. */
function isOtherFieldLine(text: string): boolean {
  const colon = text.search(/[:：]/);
  return colon > 0 && isOtherFieldLabel(text.slice(0, colon));
}

const significant = (text: string) => text.replace(/[^\p{L}\p{N}]/gu, '').length >= 3;
const NUMBERING = /^\(?\s*(?:\d{1,3}|[ivxlc]{1,5}|[a-zđ])\s*[).:/-]?\s*\)?$/i;
const NOTE_LINE = /^(?:\*|\(\*+\)|ghi chu|luu y|chu thich|huong dan)/;

// Headings of a label column or of a table's columns that name no field: "Nội dung", "Tiêu chí", "STT".
const GENERIC_HEADING =
  /^(?:noi dung|cac noi dung|tieu chi|chi tieu|thong tin(?: dang ky| chung)?|hang muc|danh muc|yeu cau|stt|so tt|so thu tu|tt|mo ta chi tiet|chi tiet)$/;

/** A line that is a label alone: a field's name, with or without its colon. */
function isLabelPiece(text: string): boolean {
  if (isOtherFieldLabel(text) && !/[:：]\s*\S/.test(text)) return true;
  if (GENERIC_HEADING.test(fold(text))) return true;
  const split = splitLabelLine(text);
  if (split && split.value === '') return true;
  const words = text.split(/\s+/).length;
  return words <= 12 && !/[:：]\s*\S/.test(text) && matchLabel(text, { loose: true }) !== null;
}

const PHRASE_WORDS = [...new Set(Object.values(LABEL_VOCABULARY).flat())]
  .map((p) => p.replace(/\$$/, '').split(' '))
  .sort((a, b) => b.length - a.length);

/** How much of a value is label words: the words that vocabulary phrases cover, over all its words. */
function labelShare(value: string): number {
  const words = fold(stripNumbering(value).rest.replace(/\(.*?\)/g, ' ')).split(' ');
  if (words[0] === '' || words.length > 8) return 0;
  let covered = 0;
  for (let i = 0; i < words.length; ) {
    const phrase = PHRASE_WORDS.find((p) => p.every((w, k) => words[i + k] === w));
    if (phrase) {
      covered += phrase.length;
      i += phrase.length;
    } else i++;
  }
  return covered / words.length;
}

// A content control's or form field's prompt left in place: not a value.
const PLACEHOLDER =
  /^(?:click or tap here to enter text|click here to enter text|choose an item|bấm hoặc nhấn vào đây để nhập văn bản|nhấp hoặc gõ nhẹ vào đây để nhập văn bản|bấm vào đây để nhập văn bản|nhập (?:nội dung|văn bản) (?:tại|vào) đây)\.?$/i;

// ---- how each table is labelled ----

interface TableLabels {
  /** Rows that make up the header (row orientation), or 0. */
  headerRows: number;
  /** The label key over each grid column (row orientation). */
  columnKey: (FieldKey | null)[];
  /** The label key of each row, and the column of its label (column orientation). */
  rowKey: Map<number, { key: FieldKey; col: number }>;
}

function strictLabel(text: string): FieldKey | null {
  if (text.split(/\s+/).length > 12 || /[:：]\s*\S/.test(text)) return null;
  const m = matchLabel(text);
  return m && m.key !== 'number' ? m.key : null;
}

function tableLabels(table: Table): TableLabels {
  const columnKey: (FieldKey | null)[] = [];
  let headerRows = 0;
  for (let r = 0; r < Math.min(4, table.rows.length); r++) {
    const row = table.rows[r] ?? [];
    const above = table.rows[r - 1];
    const keys = row.map((c) => strictLabel(c.lines.join(' ')));
    if (headerRows === 0) {
      const distinct = new Set(keys.filter((k) => k !== null));
      if (distinct.size < 2 || row.some((c) => c.lines.join(' ').split(/\s+/).length > 12)) continue;
      headerRows = r + 1;
      keys.forEach((k, col) => {
        columnKey[col] = k;
      });
      continue;
    }
    // A lower header row names its columns more narrowly ("Sản phẩm" under "Dự kiến kết quả"): every cell of
    // its own (not one merged down from above) is a label.
    const own = row.flatMap((c, col) =>
      (c.merged && above?.[col]?.id === c.id) || c.lines.length === 0 ? [] : [col],
    );
    if (own.length === 0 || !own.every((col) => keys[col] !== null)) break;
    headerRows = r + 1;
    for (const col of own) columnKey[col] = keys[col] ?? null;
  }
  const rowKey = new Map<number, { key: FieldKey; col: number }>();
  if (headerRows === 0) {
    table.rows.forEach((row, r) => {
      for (let col = 0; col < Math.min(3, row.length - 1); col++) {
        const cell = row[col];
        if (!cell || cell.merged || cell.lines.length === 0) continue;
        const text = cell.lines.join(' ');
        if (NUMBERING.test(text)) continue;
        const m =
          cell.lines.length <= 3 && !/[:：]\s*\S/.test(text) ? matchLabel(text, { loose: true }) : null;
        if (m && m.key !== 'number') rowKey.set(r, { key: m.key, col });
        break;
      }
    });
  }
  return { headerRows, columnKey, rowKey };
}

// ---- the reconciliation ----

interface ItemRef {
  list: 'initiatives' | 'results';
  index: number;
}
const itemPath = (it: ItemRef) => `${it.list}[${it.index}]`;

/**
 * Check a reading against the blocks it was read from. `startAt` is the first block after the form's title.
 * Linear in the document's size (lines are found through maps, not searched).
 */
export function reconcile(blocks: readonly Block[], reading: Reading, startAt = 0): Reconciliation {
  const pieces = documentPieces(blocks);
  const first = pieces.findIndex((p) => p.ref.block >= startAt);
  const from = first < 0 ? pieces.length : first;
  const exact = new Map<string, number[]>();
  const partial = new Map<string, number[]>();
  for (let i = from; i < pieces.length; i++) {
    const text = (pieces[i] as Piece).text;
    exact.set(text, [...(exact.get(text) ?? []), i]);
    for (const rest of valueParts(text)) partial.set(rest, [...(partial.get(rest) ?? []), i]);
  }
  const labels = new Map<number, TableLabels>();
  const labelsOf = (block: number): TableLabels | null => {
    const b = blocks[block];
    if (b?.type !== 'table') return null;
    const known = labels.get(block);
    if (known) return known;
    const l = tableLabels(b);
    labels.set(block, l);
    return l;
  };
  /** The field a piece's place names: its column's header, or its row's label. */
  const placeKey = (p: Piece): FieldKey | null => {
    const t = labelsOf(p.ref.block);
    if (!t || p.ref.row === undefined || p.ref.col === undefined) return null;
    if (t.headerRows > 0) return p.ref.row >= t.headerRows ? (t.columnKey[p.ref.col] ?? null) : null;
    const r = t.rowKey.get(p.ref.row);
    return r && p.ref.col > r.col ? r.key : null;
  };

  const claims = new Map<number, Set<string>>();
  const sources = new Map<string, number[]>();
  const uncertain = new Set<string>();
  const flag = (path: string) => uncertain.add(path);

  const claim = (path: string, line: string, anchor: number | null, cursor: number): number | null => {
    const near = (cands: number[]) => {
      let best: number | null = null;
      let cost = Number.POSITIVE_INFINITY;
      for (const i of cands) {
        const p = pieces[i] as Piece;
        const a = anchor === null ? null : (pieces[anchor] as Piece);
        const aligned =
          a !== null &&
          a.ref.block === p.ref.block &&
          a.ref.row !== undefined &&
          (a.ref.row === p.ref.row || a.ref.col === p.ref.col);
        const base = anchor ?? cursor;
        let c = Math.abs(i - base) + (i < base ? pieces.length : 0);
        if (aligned) c /= 1000;
        if (c < cost) [best, cost] = [i, c];
      }
      return best;
    };
    const free = (l: number[] | undefined) => (l ?? []).filter((i) => !claims.has(i));
    // A part of the expected results ("Sản phẩm: …") is read from the lines that field already holds.
    const item = splitPath(path)[0];
    const own = (l: number[] | undefined) =>
      (l ?? []).filter((i) => [...(claims.get(i) ?? [])].some((c) => c.startsWith(`${item}.`)));
    const derived = SAME_TEXT.has(splitPath(path)[1]) && splitPath(path)[1] !== EXPECTED_WHOLE;
    const i =
      (derived ? (near(own(exact.get(line))) ?? near(own(partial.get(line)))) : null) ??
      near(free(exact.get(line))) ??
      near(free(partial.get(line))) ??
      near(exact.get(line) ?? []) ??
      near(partial.get(line) ?? []);
    if (i === null) return null;
    const set = claims.get(i) ?? new Set<string>();
    claims.set(i, set);
    set.add(path);
    sources.set(path, [...(sources.get(path) ?? []), i]);
    return i;
  };

  /** The cell or line that states a result's status: in the title's row, or in the lines just after it. */
  const claimStatus = (path: string, result: ParsedResult, anchor: number) => {
    const a = pieces[anchor] as Piece;
    for (let i = anchor + 1; i < Math.min(pieces.length, anchor + 40); i++) {
      const p = pieces[i] as Piece;
      if (a.ref.row !== undefined && (p.ref.block !== a.ref.block || p.ref.row !== a.ref.row)) break;
      if (claims.has(i)) continue;
      // A status cell's lines may wrap ("Đã hoàn" / "thành" in a narrow PDF column): the cell as a whole.
      const cell = [i];
      while (
        p.cell !== undefined &&
        (pieces[cell.length + i] as Piece | undefined)?.cell === p.cell &&
        (pieces[cell.length + i] as Piece).ref.row === p.ref.row
      )
        cell.push(cell.length + i);
      const text =
        cell
          .map((j) => (pieces[j] as Piece).text)
          .join(' ')
          .split(/[:：]/)
          .pop() ?? '';
      if (text.split(/\s+/).length > 12 || statusOf(text) !== result.status) continue;
      for (const j of cell) claims.set(j, new Set([path]));
      sources.set(path, cell);
      return;
    }
  };

  const items: { ref: ItemRef; fields: [string, string | null][] }[] = [
    ...reading.initiatives.map((it, index) => ({
      ref: { list: 'initiatives' as const, index },
      fields: INITIATIVE_FIELDS.map((f) => [f, it[f]] as [string, string | null]),
    })),
    ...reading.results.map((it, index) => ({
      ref: { list: 'results' as const, index },
      fields: RESULT_FIELDS.map((f) => [f, it[f]] as [string, string | null]),
    })),
  ];

  let cursor = from;
  for (const { ref, fields } of items) {
    let anchor: number | null = null;
    for (const [field, value] of fields) {
      if (!value) continue;
      const path = `${itemPath(ref)}.${field}`;
      for (const line of value.split('\n')) {
        if (line.trim() === '') continue;
        const at = claim(path, line, anchor, cursor);
        if (at === null)
          flag(path); // text the document does not have where a reader could have read it
        else anchor ??= at;
      }
      if (doubtfulValue(field, value)) flag(path);
    }
    const result = ref.list === 'results' ? reading.results[ref.index] : undefined;
    if (result && result.status !== 'unknown' && anchor !== null)
      claimStatus(`${itemPath(ref)}.status`, result, anchor);
    if (anchor !== null) cursor = anchor;
  }

  // Text claimed by two fields, except a field built from another (expected results and its three parts).
  for (const paths of claims.values()) {
    if (paths.size < 2) continue;
    const list = [...paths];
    for (const a of list)
      for (const b of list) {
        if (a >= b) continue;
        const [ia, fa] = splitPath(a);
        const [ib, fb] = splitPath(b);
        if (fa === fb) continue; // one merged cell read into the same field of items side by side
        if (ia === ib && SAME_TEXT.has(fa) && SAME_TEXT.has(fb)) continue;
        // "Đã hoàn thành, đưa vào vận hành từ …": a status cell that also tells the outcome.
        if (ia === ib && (fa === 'status' || fb === 'status')) continue;
        flag(a);
        flag(b);
      }
  }

  // Each value under the label of its own field: two columns poured into one field show here.
  for (const [path, idx] of sources) {
    const field = splitPath(path)[1];
    const keys = new Set<FieldKey>();
    // Taken from a table inside a cell that could not be read as labels and values.
    if (idx.some((i) => (pieces[i] as Piece).nested)) flag(path);
    for (const i of idx) {
      const k = placeKey(pieces[i] as Piece);
      if (k) keys.add(k);
    }
    const misplaced = [...keys].filter((k) => !fitsLabel(field, k));
    if (misplaced.length === 0) continue;
    flag(path);
    // The text of another field's column or row: that field, left without it, is doubtful too.
    const [item] = splitPath(path);
    const fields: readonly string[] = item.startsWith('results')
      ? [...RESULT_FIELDS, 'status']
      : INITIATIVE_FIELDS;
    for (const k of misplaced) {
      const name = k === 'result_status' ? 'status' : k;
      if (fields.includes(name)) flag(`${item}.${name}`);
    }
  }

  const missing = (item: string): string[] => {
    const m = /^initiatives\[(\d+)\]$/.exec(item);
    const it = m ? reading.initiatives[Number(m[1])] : undefined;
    return it ? DESCRIBING_FIELDS.filter((k) => it[k] === null).map((k) => `${item}.${k}`) : [];
  };
  const unaccounted = accountRest(pieces, from, claims, placeKey, blocks, flag, missing);
  checkSiblings(reading, flag);

  return {
    uncertain: [...uncertain].sort(),
    sources: [...sources].map(([path, idx]) => ({
      path,
      refs: idx.map((i) => (pieces[i] as Piece).ref),
      texts: idx.map((i) => (pieces[i] as Piece).text),
    })),
    unaccounted,
  };
}

function splitPath(path: string): [string, string] {
  const dot = path.lastIndexOf('.');
  return [path.slice(0, dot), path.slice(dot + 1)];
}

/** The value a line may carry after its label or heading: "Tên sáng kiến: X", "Sáng kiến 1 - X", "1. X". */
function valueParts(text: string): string[] {
  const out = new Set<string>();
  // After each colon ("4. Kết quả mong đợi: - Sản phẩm: …" holds two values, one inside the other).
  for (let at = text.search(/[:：]/), n = 0; at >= 0 && n < 3; n++) {
    out.add(text.slice(at + 1).trim());
    const next = text.slice(at + 1).search(/[:：]/);
    at = next < 0 ? -1 : at + 1 + next;
  }
  const split = /^(.{1,60}?)(?:\.\s|\s[-–]\s|\)\s)\s*(.+)$/.exec(text);
  if (split?.[2]) out.add(split[2].trim());
  const { rest, numbered } = stripNumbering(text);
  if (numbered) out.add(rest.trim());
  out.delete('');
  out.delete(text);
  return [...out];
}

/** What a value must not be: a label, a heading, a prompt, text running into the next section. */
function doubtfulValue(field: string, value: string): boolean {
  const lines = value.split('\n').filter((l) => l.trim() !== '');
  const firstLine = lines[0] ?? '';
  if (PLACEHOLDER.test(firstLine.trim())) return true;
  if (labelShare(firstLine) >= 0.7 && !(field === 'notes' && /^khong\b/.test(fold(firstLine)))) return true;
  if (field === 'title' && (isItemHeading(firstLine) || isTotalLabel(firstLine))) return true;
  // A later section, an item heading or the closing lines inside a value: the value ran on past its end.
  return lines.some(
    (line, n) =>
      !(n === 0 && field === 'title') &&
      (isClosing(line) ||
        (n > 0 && isItemHeading(line)) ||
        (n > 0 && isSectionHeading(line) && !splitLabelLine(line))),
  );
}

/** An item missing most of what its siblings have, or shaped like a group heading or a total row. */
function checkSiblings(reading: Reading, flag: (p: string) => void): void {
  const counts = reading.initiatives.map(
    (it) => DESCRIBING_FIELDS.filter((k) => (it[k] ?? '').toString().trim() !== '').length,
  );
  counts.forEach((n, i) => {
    const others = counts.filter((_, j) => j !== i).sort((a, b) => a - b);
    const median = others[Math.floor(others.length / 2)] ?? 0;
    if (others.length > 0 && median >= 2 && n * 2 < median) flag(`initiatives[${i}]`);
  });
  const filled = reading.results.map((r) => (r.status !== 'unknown' ? 1 : 0) + (r.outcome?.trim() ? 1 : 0));
  filled.forEach((n, i) => {
    const title = fold(reading.results[i]?.title ?? '');
    const others = filled.filter((_, j) => j !== i);
    const usual = others.filter((x) => x >= 1).length * 2 > others.length;
    if (
      (n === 0 && usual) ||
      isTotalLabel(title) ||
      (n === 0 && isSectionHeading(reading.results[i]?.title ?? ''))
    )
      flag(`results[${i}]`);
  });
  reading.initiatives.forEach((it, i) => {
    if (isTotalLabel(it.title) || (counts[i] === 0 && isSectionHeading(it.title))) flag(`initiatives[${i}]`);
  });
}

/** The region's lines no field claimed: labels and furniture are accounted for; the rest is flagged. */
function accountRest(
  pieces: Piece[],
  from: number,
  claims: Map<number, Set<string>>,
  placeKey: (p: Piece) => FieldKey | null,
  blocks: readonly Block[],
  flag: (p: string) => void,
  missing: (item: string) => string[],
): Unaccounted[] {
  const claimed = [...claims.keys()].sort((a, b) => a - b);
  if (claimed.length === 0) return [];
  // The item region: from the first claimed line to the last, and the whole of every table that holds one.
  const tables = new Set(
    claimed.map((i) => (pieces[i] as Piece).ref.block).filter((b) => blocks[b]?.type === 'table'),
  );
  let lo = claimed[0] as number;
  let hi = claimed[claimed.length - 1] as number;
  for (let i = from; i < pieces.length; i++) {
    if (!tables.has((pieces[i] as Piece).ref.block)) continue;
    lo = Math.min(lo, i);
    hi = Math.max(hi, i);
  }
  // Whole rows that are furniture: a field the office does not collect, a group heading, a total row.
  const furnitureRows = new Set<string>();
  const rowKey = (p: Piece) => `${p.ref.block}:${p.ref.row}`;
  const byRow = new Map<string, number[]>();
  for (let i = lo; i <= hi; i++) {
    const p = pieces[i] as Piece;
    if (p.ref.row === undefined) continue;
    byRow.set(rowKey(p), [...(byRow.get(rowKey(p)) ?? []), i]);
  }
  for (const [key, idx] of byRow) {
    const texts = idx.map((i) => (pieces[i] as Piece).text);
    const cells = new Set(idx.map((i) => (pieces[i] as Piece).cell));
    const head = texts.find((t) => !NUMBERING.test(t)) ?? '';
    if (idx.some((i) => claims.has(i))) {
      if (isOtherFieldLabel(head)) furnitureRows.add(key);
      continue;
    }
    if (isOtherFieldLabel(head) || isTotalLabel(head)) furnitureRows.add(key);
    else if (cells.size === 1 && (isSectionHeading(head) || isItemHeading(head))) furnitureRows.add(key);
  }

  // Each table's header: the rows above its first claimed row. A column's header names what its cells hold.
  const firstRow = new Map<number, number>();
  for (const i of claimed) {
    const p = pieces[i] as Piece;
    if (p.ref.row !== undefined)
      firstRow.set(p.ref.block, Math.min(firstRow.get(p.ref.block) ?? p.ref.row, p.ref.row));
  }
  const headers = new Map<string, string>();
  for (let i = lo; i <= hi; i++) {
    const p = pieces[i] as Piece;
    if (p.ref.row !== undefined && p.ref.row < (firstRow.get(p.ref.block) ?? 0))
      headers.set(`${p.ref.block}:${p.ref.col}`, p.text);
  }
  const kind = [...claims.values()][0]?.values().next().value?.startsWith('results')
    ? 'results'
    : 'initiatives';
  /** A column whose header names a field the office does not collect, or not for this kind of item. */
  const otherColumn = (p: Piece) => {
    const h = headers.get(`${p.ref.block}:${p.ref.col}`);
    if (!h) return false;
    if (isOtherFieldLabel(h)) return true;
    const key = matchLabel(h)?.key;
    if (!key || key === 'number') return false;
    return kind === 'results'
      ? !['title', 'result_status', 'outcome', EXPECTED_WHOLE].includes(key)
      : key === 'result_status';
  };

  const out: Unaccounted[] = [];
  let closed = false;
  for (let i = lo; i <= hi; i++) {
    const p = pieces[i] as Piece;
    if (claims.has(i)) {
      closed = false;
      continue;
    }
    const text = p.text;
    if (isClosing(text)) closed = true;
    if (closed || !significant(text) || NUMBERING.test(text)) continue;
    if (p.ref.row !== undefined) {
      if (furnitureRows.has(rowKey(p))) continue;
      // The header rows of a table (labels, sub-labels, a heading over them).
      if (p.ref.row < (firstRow.get(p.ref.block) ?? 0) && text.split(/\s+/).length <= 12) continue;
      if (otherColumn(p)) continue;
    }
    const f = fold(text);
    if (isLabelPiece(text) || isItemHeading(text) || isOtherFieldLine(text) || NOTE_LINE.test(f)) continue;
    if (PLACEHOLDER.test(text)) continue;
    let path = ownerPath(pieces, i, claims, placeKey, byRow);
    // Under no label the reading knows: the item's fields the reading left out are where it may belong.
    const gaps = /\]$/.test(path) ? missing(path) : [];
    if (gaps.length > 0) path = gaps[0] as string;
    for (const gap of gaps) flag(gap);
    flag(path);
    out.push({ text, ref: p.ref, path });
  }
  return out;
}

/** The narrowest path an unaccounted line belongs to: its item's field, its item, or the whole list. */
function ownerPath(
  pieces: Piece[],
  i: number,
  claims: Map<number, Set<string>>,
  placeKey: (p: Piece) => FieldKey | null,
  byRow: Map<string, number[]>,
): string {
  const p = pieces[i] as Piece;
  const itemsOf = (idx: number[]) =>
    new Set(idx.flatMap((j) => [...(claims.get(j) ?? [])].map((path) => splitPath(path)[0])));
  const only = (set: Set<string>) => (set.size === 1 ? ([...set][0] as string) : null);
  let owner: string | null = null;
  if (p.ref.row !== undefined) {
    const row = itemsOf(byRow.get(`${p.ref.block}:${p.ref.row}`) ?? []);
    owner =
      only(row) ??
      only(
        itemsOf(
          [...claims.keys()].filter((j) => {
            const q = pieces[j] as Piece;
            return q.ref.block === p.ref.block && q.ref.col === p.ref.col;
          }),
        ),
      );
    if (!owner && row.size === 0 && placeKey(p) === null) {
      // A whole row of text read as nothing and under no label: an item may have been missed.
      const any = [...claims.values()][0]?.values().next().value ?? 'initiatives';
      return any.startsWith('results') ? 'results' : 'initiatives';
    }
  }
  if (!owner) {
    // The item of the nearest claimed line before it (in prose, or a table cut from its item's rows).
    for (let j = i - 1; j >= 0 && !owner; j--) {
      const c = claims.get(j);
      if (c) owner = splitPath([...c][0] as string)[0];
    }
    if (!owner) {
      const any = [...claims.values()][0]?.values().next().value ?? 'initiatives';
      return any.startsWith('results') ? 'results' : 'initiatives';
    }
    if (p.ref.row === undefined) {
      for (let j = i - 1; j >= 0; j--) {
        const c = claims.get(j);
        if (c) return [...c][0] as string;
      }
    }
  }
  const key = placeKey(p);
  if (!key || key === 'number') return owner;
  const name = key === 'result_status' ? 'status' : key;
  const fields: readonly string[] = owner.startsWith('results')
    ? [...RESULT_FIELDS, 'status']
    : INITIATIVE_FIELDS;
  return fields.includes(name) ? `${owner}.${name}` : owner;
}
