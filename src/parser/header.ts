import { fold } from '../domain/text.js';
import type { Block } from './blocks.js';
import type { RegistryAgency } from './form-types.js';

// Words that name the kind of body rather than the body: stripped before comparing a header with the registry.
const KIND_WORDS =
  /^(?:(?:uy ban nhan dan|ubnd)\s*)?(?:(?:quan|huyen|thi xa|thanh pho|xa|phuong|thi tran)\s+)?/;

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
  return { byCore };
}

/** The lines of the header block: the first table's first cell and the paragraphs before the form's title. */
export function headerLines(blocks: readonly Block[], titleIndex: number): string[] {
  const lines: string[] = [];
  for (const block of blocks.slice(0, Math.max(titleIndex, 1)).slice(0, 8)) {
    if (block.type === 'paragraph') lines.push(...block.lines);
    else {
      const first = block.rows[0]?.[0];
      if (first) lines.push(...first.lines);
    }
  }
  return lines.filter((l) => l !== '').slice(0, 12);
}

/** The issuing agency named in the header, matched against the registry ignoring case, diacritics, kind words. */
export function resolveAgency(
  lines: readonly string[],
  index: AgencyIndex,
): { agency: RegistryAgency; writtenAs: string } | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const f = fold(line);
    // The city People's Committee above a department's name is the parent body, not the sender.
    if (/^(ubnd|uy ban nhan dan) (thanh pho|tp) ha noi$/.test(f) || /^(uy ban nhan dan|ubnd)$/.test(f))
      continue;
    const candidates = index.byCore.get(core(line)) ?? longestPrefixMatch(core(line), index);
    if (!candidates || candidates.length === 0) continue;
    const kindHint = kindOfHeader(f);
    const agency = candidates.find((a) => !kindHint || a.kind === kindHint) ?? candidates[0];
    if (!agency) continue;
    const previous = lines[i - 1];
    const writtenAs =
      previous && /^(uy ban nhan dan|ubnd)$/.test(fold(previous)) ? `${previous} ${line}` : line;
    return { agency, writtenAs };
  }
  return null;
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
  const m = /^(?:uy ban nhan dan |ubnd )?(quan|huyen|thi xa|phuong|xa|thi tran|so)\b/.exec(folded);
  if (!m) return null;
  return (
    {
      quan: 'district',
      huyen: 'district',
      'thi xa': 'district',
      phuong: 'ward',
      xa: 'commune',
      'thi tran': 'commune',
      so: 'department',
    }[m[1] as string] ?? null
  );
}

const TITLE = /^(bieu )?(dang ky|bao cao)\b|^bieu dang ky|^ket qua thuc hien (cac )?(sang kien|giai phap)/;

/** Index of the block holding the form's title ("BIỂU ĐĂNG KÝ …", "BÁO CÁO …"), or -1. */
export function findTitle(blocks: readonly Block[]): { index: number; text: string; report: boolean } | null {
  for (let i = 0; i < Math.min(blocks.length, 30); i++) {
    const block = blocks[i];
    if (block?.type !== 'paragraph') continue;
    const text = block.lines.join(' ');
    const f = fold(text);
    if (!TITLE.test(f)) continue;
    // The title may continue in the next paragraphs ("BIỂU ĐĂNG KÝ" / "SÁNG KIẾN … NĂM 2021").
    const following = blocks
      .slice(i + 1, i + 3)
      .filter((b) => b.type === 'paragraph')
      .map((b) => (b.type === 'paragraph' ? b.lines.join(' ') : ''));
    const full = [text, ...following].join(' ');
    const report = /^bao cao\b/.test(f) || /ket qua thuc hien/.test(fold(full).slice(0, 200));
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
