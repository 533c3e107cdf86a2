import { fold } from '../domain/text.js';
import type { Block } from './blocks.js';
import type { RegistryAgency } from './form-types.js';

// Words that name the kind of body rather than the body: stripped before comparing a header with the registry.
// Abbreviated too: "UBND Q. CẦU GIẤY", "UBND H. GIA LÂM", "UBND TX SƠN TÂY".
const KIND_WORDS =
  /^(?:(?:uy ban nhan dan|ubnd)\s*)?(?:(?:quan|huyen|thi xa|thanh pho|xa|phuong|thi tran|q|h|tx|tp|p|tt)\s+)?/;

function core(name: string): string {
  return fold(name).replace(KIND_WORDS, '').trim();
}

export interface AgencyIndex {
  byCore: Map<string, RegistryAgency[]>;
}

/** Index the registry by each agency's name folded and stripped of kind words ("Thanh Trì", "sở tư pháp"). */
export function indexRegistry(agencies: readonly RegistryAgency[]): AgencyIndex {
  const byCore = new Map<string, RegistryAgency[]>();
  for (const a of agencies) {
    const k = core(a.name);
    byCore.set(k, [...(byCore.get(k) ?? []), a]);
  }
  // Departments written by their initials: "SỞ GD&ĐT", "SỞ TNMT", "SỞ LĐTB&XH", "SỞ NN&PTNT"; an abbreviation
  // two departments share names neither.
  const abbreviations = new Map<string, RegistryAgency[]>();
  for (const a of agencies) {
    for (const k of abbreviationsOf(a.name)) abbreviations.set(k, [...(abbreviations.get(k) ?? []), a]);
  }
  for (const [k, list] of abbreviations) if (list.length === 1 && !byCore.has(k)) byCore.set(k, list);
  return { byCore };
}

function abbreviationsOf(name: string): string[] {
  const f = fold(name);
  if (!f.startsWith('so ')) return [];
  const groups = f
    .slice(3)
    .split(/ va /)
    .map((g) =>
      g
        .split(' ')
        .map((w) => w[0] ?? '')
        .join(''),
    );
  if (groups.join('').length < 2) return [];
  return [...new Set([`so ${groups.join(' ')}`, `so ${groups.join('')}`, `so ${groups.join(' va ')}`])];
}

/** The lines of the header block: the first table's first cell and the paragraphs before the form's title. */
export function headerLines(blocks: readonly Block[], titleIndex: number): string[] {
  const lines: string[] = [];
  for (const block of blocks.slice(0, Math.max(titleIndex, 1)).slice(0, 8)) {
    if (block.type === 'paragraph') lines.push(...block.lines);
    else {
      // The agency's cell of a header table; a table that puts each header line in a row of its own (a sheet, a
      // form typed row by row) gives it in the first cells of its first rows.
      const firsts = block.rows.slice(0, 3).map((row) => row[0]);
      for (const [i, cell] of firsts.entries()) {
        if (cell && (i === 0 || cell.id !== firsts[i - 1]?.id)) lines.push(...cell.lines);
      }
    }
  }
  return lines.filter((l) => l !== '').slice(0, 12);
}

// Lines every header carries that name no agency: the national motto, the document number, the date line.
const BOILERPLATE =
  /\b(cong hoa xa hoi chu nghia viet nam|doc lap tu do hanh phuc)\b|^so \S*\s|^(ha noi|[a-z ]+) ngay \d/;

// A lower unit is the more specific sender: a commune under its district, a district under the city.
const SPECIFICITY: Record<string, number> = { commune: 3, ward: 3, district: 2, department: 1 };

interface HeaderMatch {
  agency: RegistryAgency;
  writtenAs: string;
  /** Matched by a prefix of the line, or against the kind word the header states. */
  loose: boolean;
  line: number;
}

/**
 * The issuing agency named in the header, matched against the registry ignoring case, diacritics, kind words.
 * Every line is tried, and each line joined with the next (a PDF wraps "SỞ GIAO THÔNG VẬN" / "TẢI"); of the
 * agencies named, the lowest unit wins: "UBND HUYỆN X" / "UBND XÃ Y" is the commune when the registry has it.
 */
export function resolveAgency(
  lines: readonly string[],
  index: AgencyIndex,
): { agency: RegistryAgency; writtenAs: string; loose: boolean } | null {
  const cleaned = lines.map((l) => stripBoilerplate(l));
  const matches: HeaderMatch[] = [];
  for (let i = 0; i < cleaned.length; i++) {
    const line = cleaned[i] as string;
    const next = cleaned[i + 1];
    const single = matchLine(line, index);
    if (single && !single.loose) {
      const previous = cleaned[i - 1];
      const writtenAs =
        previous && /^(uy ban nhan dan|ubnd)$/.test(fold(previous)) ? `${previous} ${line}` : line;
      matches.push({ ...single, writtenAs, line: i });
      continue;
    }
    const pair = next ? matchLine(`${line} ${next}`, index) : null;
    if (pair && !pair.loose && !matchLine(next as string, index)) {
      matches.push({ ...pair, writtenAs: `${line} ${next}`, line: i });
      i++;
      continue;
    }
    if (single) matches.push({ ...single, writtenAs: line, line: i });
  }
  const strict = matches.filter((m) => !m.loose);
  const pool = strict.length > 0 ? strict : matches;
  let best: HeaderMatch | undefined;
  for (const m of pool) {
    if (!best || specificity(m.agency) > specificity(best.agency)) best = m;
  }
  return best ? { agency: best.agency, writtenAs: best.writtenAs, loose: best.loose } : null;
}

// By the registry's kind, or by the kind word of its name when the kind is one the parser does not know.
const specificity = (a: RegistryAgency) =>
  SPECIFICITY[a.kind] ?? SPECIFICITY[kindOfHeader(fold(a.name)) ?? ''] ?? 1;

function stripBoilerplate(line: string): string {
  const f = fold(line);
  if (!BOILERPLATE.test(f)) return line;
  // "SỞ TƯ PHÁP Độc lập - Tự do - Hạnh phúc": a PDF may run the two header columns into one line.
  return line
    .replace(/c[ộo]ng h[òoóa]a x[ãa] h[ộo]i ch[ủu] ngh[ĩi]a vi[ệe]t nam/giu, ' ')
    .replace(/[đd][ộo]c l[ậa]p\s*-\s*t[ựu] do\s*-\s*h[ạa]nh ph[úu]c/giu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function matchLine(line: string, index: AgencyIndex): { agency: RegistryAgency; loose: boolean } | null {
  const f = fold(line);
  // The city People's Committee above a department's name is the parent body, not the sender.
  if (
    f === '' ||
    /^(ubnd|uy ban nhan dan) (thanh pho|tp) ha noi$/.test(f) ||
    /^(uy ban nhan dan|ubnd)$/.test(f)
  )
    return null;
  const exact = index.byCore.get(core(line));
  const candidates = exact ?? longestPrefixMatch(core(line), index) ?? nearestName(core(line), index);
  if (!candidates || candidates.length === 0) return null;
  const kindHint = kindOfHeader(f);
  const sameKind = candidates.find(
    (a) => !kindHint || a.kind === kindHint || kindOfHeader(fold(a.name)) === kindHint,
  );
  const agency = sameKind ?? candidates[0];
  if (!agency) return null;
  return { agency, loose: !exact || !sameKind };
}

// A name that lost a letter or two on the way ("TRờNG": a PDF drops the soft hyphen that is TCVN3's "ư"),
// when exactly one registry name is that close.
function nearestName(lineCore: string, index: AgencyIndex): RegistryAgency[] | undefined {
  if (lineCore.length < 10) return undefined;
  const near = [...index.byCore.keys()].filter(
    (k) => Math.abs(k.length - lineCore.length) <= 2 && editDistance(k, lineCore, 2) <= 2,
  );
  return near.length === 1 ? index.byCore.get(near[0] as string) : undefined;
}

/** Levenshtein distance, stopping early past `max`. */
function editDistance(a: string, b: string, max: number): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] as number) + 1,
        (cur[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length] as number;
}

// "SỞ TƯ PHÁP HÀ NỘI", "UBND QUẬN BA ĐÌNH - TP HÀ NỘI": a registry name followed by more words.
function longestPrefixMatch(lineCore: string, index: AgencyIndex): RegistryAgency[] | undefined {
  let best: string | undefined;
  for (const k of index.byCore.keys()) {
    if (k.length >= 4 && lineCore.startsWith(`${k} `) && (!best || k.length > best.length)) best = k;
  }
  return best ? index.byCore.get(best) : undefined;
}

// The kind word in a header line: "HUYỆN THANH TRÌ" is a district, "PHƯỜNG HOÀN KIẾM" a ward.
function kindOfHeader(folded: string): string | null {
  const m = /^(?:uy ban nhan dan |ubnd )?(quan|huyen|thi xa|phuong|xa|thi tran|so|q|h|tx|p|tt)\b/.exec(
    folded,
  );
  if (!m) return null;
  return (
    {
      quan: 'district',
      huyen: 'district',
      'thi xa': 'district',
      q: 'district',
      h: 'district',
      tx: 'district',
      p: 'ward',
      tt: 'commune',
      phuong: 'ward',
      xa: 'commune',
      'thi tran': 'commune',
      so: 'department',
    }[m[1] as string] ?? null
  );
}

// "BIỂU ĐĂNG KÝ …", "PHIẾU ĐĂNG KÝ …", "DANH MỤC SÁNG KIẾN …", "BÁO CÁO …", "KẾT QUẢ THỰC HIỆN SÁNG KIẾN …", or the
// subject line alone ("SÁNG KIẾN, GIẢI PHÁP … CẢI CÁCH HÀNH CHÍNH NĂM 2022").
const DOCUMENT_WORD = '(?:bieu mau|bieu|phieu|mau|bang tong hop|bang|danh muc|danh sach|tong hop)';
const TITLE = new RegExp(
  `^(?:${DOCUMENT_WORD} )?(?:dang ky|bao cao)\\b|^${DOCUMENT_WORD} (?:cac )?(?:sang kien|giai phap|y tuong)|` +
    '^ket qua thuc hien (?:cac )?(?:sang kien|giai phap)|' +
    '^(?:cac )?sang kien\\b.*\\b(?:cai cach hanh chinh|nam 20\\d\\d)',
);
const REPORT_TITLE = new RegExp(`^(?:${DOCUMENT_WORD} )?bao cao\\b`);

/** Index of the block holding the form's title ("BIỂU ĐĂNG KÝ …", "BÁO CÁO …"), or -1. */
export function findTitle(blocks: readonly Block[]): { index: number; text: string; report: boolean } | null {
  for (let i = 0; i < Math.min(blocks.length, 30); i++) {
    const block = blocks[i];
    if (block?.type !== 'paragraph') continue;
    const text = block.lines.join(' ');
    const f = fold(text);
    // "Sáng kiến 1: … cải cách hành chính" opens an item; it is not the document's title.
    if (!TITLE.test(f) || /^sang kien (?:so |thu )?(?:\d|[ivx]+\b|nhat\b|hai\b|ba\b)/.test(f)) continue;
    // The title may continue in the next paragraphs ("BIỂU ĐĂNG KÝ" / "SÁNG KIẾN … NĂM 2021").
    const following = blocks
      .slice(i + 1, i + 3)
      .filter((b) => b.type === 'paragraph')
      .map((b) => (b.type === 'paragraph' ? b.lines.join(' ') : ''));
    const full = [text, ...following].join(' ');
    const report = REPORT_TITLE.test(f) || /ket qua thuc hien/.test(fold(full).slice(0, 200));
    return { index: i, text: full, report };
  }
  return null;
}

/** The campaign year in the title ("… NĂM 2021"), else in the header's date line. */
export function findYear(titleText: string | null, header: readonly string[]): number | null {
  const fromTitle = titleText ? /\bnam (20\d{2})\b/.exec(fold(titleText)) : null;
  if (fromTitle) return Number(fromTitle[1]);
  for (const line of header) {
    const m = /\bnam (20\d{2})\b/.exec(fold(line));
    if (m) return Number(m[1]);
  }
  return null;
}
