// The HTML part of a mail the office sends, read for what it says rather than how it looks: its title, its header
// (the office and the heading), each initiative's table of fields, its links, and the text of each block. A
// styling change to a template changes none of these; the golden files (test/golden/) hold the text parts.

interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
}
type HtmlNode = HtmlElement | string;

const VOID = new Set(['area', 'base', 'br', 'col', 'hr', 'img', 'input', 'link', 'meta', 'source', 'wbr']);
const BLOCKS = new Set(['title', 'div', 'p', 'td', 'th', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decode(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, e: string) => {
    if (e[0] === '#')
      return String.fromCodePoint(
        e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)),
      );
    return ENTITIES[e.toLowerCase()] ?? whole;
  });
}

/** The element tree of an HTML document as the templates write it (well-formed; no scripts or raw text). */
function parseHtml(html: string): HtmlElement {
  const root: HtmlElement = { tag: '#root', attrs: {}, children: [] };
  const open: HtmlElement[] = [root];
  const top = () => open[open.length - 1] ?? root;
  const token =
    /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-z0-9]+)\s*>|<([a-z0-9]+)((?:\s+[^\s=>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+))?)*)\s*(\/?)>|([^<]+)/gi;
  for (const m of html.matchAll(token)) {
    const [, close, name, attrText, selfClosing, text] = m;
    if (text !== undefined) top().children.push(decode(text));
    else if (close) {
      const at = open.map((e) => e.tag).lastIndexOf(close.toLowerCase());
      if (at > 0) open.length = at;
    } else if (name) {
      const attrs: Record<string, string> = {};
      for (const a of (attrText ?? '').matchAll(/([^\s=>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g))
        attrs[(a[1] ?? '').toLowerCase()] = decode(a[2] ?? a[3] ?? a[4] ?? '');
      const element: HtmlElement = { tag: name.toLowerCase(), attrs, children: [] };
      top().children.push(element);
      if (!selfClosing && !VOID.has(element.tag)) open.push(element);
    }
  }
  return root;
}

const isElement = (n: HtmlNode): n is HtmlElement => typeof n !== 'string';

function elements(node: HtmlElement, tag: string): HtmlElement[] {
  return node.children.filter(isElement).flatMap((c) => [...(c.tag === tag ? [c] : []), ...elements(c, tag)]);
}

/** An element's text as a reader sees it: whitespace collapsed, a line break a space. */
function textOf(node: HtmlNode): string {
  const raw = (n: HtmlNode): string =>
    typeof n === 'string' ? n : n.tag === 'br' ? ' ' : n.children.map(raw).join('');
  return raw(node).replace(/\s+/g, ' ').trim();
}

/** The text of each block (a paragraph, a cell, a list item…) holding no other block, in document order. */
function blocks(node: HtmlElement): string[] {
  const holdsBlock = (e: HtmlElement): boolean =>
    e.children.some((c) => isElement(c) && (BLOCKS.has(c.tag) || holdsBlock(c)));
  const out: string[] = [];
  const walk = (e: HtmlElement) => {
    if (BLOCKS.has(e.tag) && !holdsBlock(e)) {
      const t = textOf(e);
      if (t) out.push(t);
      return;
    }
    for (const c of e.children) if (isElement(c)) walk(c);
  };
  walk(node);
  return out;
}

/** Quotes as the text part writes them ("…"), the HTML part's typographic ones (“…”) made straight. */
const plain = (s: string) => s.replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

interface TextInitiative {
  heading: string;
  fields: [string, string][];
  /** The text's lines (by index) the initiative's title and fields take. */
  lines: number[];
}

/**
 * The initiatives the text part lists: a numbered title, then its fields as "- Label: value" lines under it, a
 * value of several lines going on indented further.
 */
function initiativesIn(lines: readonly string[]): TextInitiative[] {
  const found: TextInitiative[] = [];
  let current: TextInitiative | null = null;
  lines.forEach((line, i) => {
    const title = /^ {2}(\d+\. .+)$/.exec(line);
    const field = /^ {5}- ([^:]+): (.*)$/.exec(line);
    const more = /^ {7}(.+)$/.exec(line);
    const last = current?.fields[current.fields.length - 1];
    if (title?.[1]) {
      current = { heading: title[1], fields: [], lines: [i] };
      found.push(current);
    } else if (current && field?.[1] !== undefined && field[2] !== undefined) {
      current.fields.push([field[1], field[2]]);
      current.lines.push(i);
    } else if (current && last && more?.[1]) {
      last[1] = `${last[1]} ${more[1]}`;
      current.lines.push(i);
    } else current = null;
  });
  return found.filter((i) => i.fields.length > 0);
}

/** The office as the header of every mail names it (OFFICE_NAME, by default). */
export const MAIL_OFFICE = 'Sở Nội vụ Hà Nội - Phòng Cải cách hành chính';

/** The heading of each kind of mail, under the office. */
export const MAIL_HEADING = {
  /** An acknowledgement that received a form. */
  received: 'Xác nhận đã tiếp nhận hồ sơ',
  /** An acknowledgement of a form held for a person: received, not accepted. */
  held: 'Thông báo đã nhận hồ sơ, chờ xác nhận',
  /** An acknowledgement that read no file and found no form. */
  nothingRead: 'Thông báo về hồ sơ gửi đến',
  reminder: 'Nhắc hạn gửi hồ sơ sáng kiến CCHC',
  overdue: 'Thông báo quá hạn',
  resend: 'Đề nghị gửi lại hồ sơ',
} as const;

/**
 * What is wrong with a mail's HTML part, measured against its text part (none: an empty list): its title is the
 * subject; it opens with the office and the heading, then what the text says first; each initiative's fields
 * are a table of label and value rows, in the text's order; it links to exactly the addresses the text names;
 * and every line of the text is said in one of its blocks. `partsOf` names the text lines the HTML part lays out
 * as a row (a table's cells, a bar's label and figures): the parts it returns for such a line must be consecutive
 * blocks of the HTML, in that order. A line that names a link ("Xử lý: https://…") is said when the rest of it is
 * (the link itself is checked with the others), and a heading the text writes in capitals (its figures in brackets aside) is said in any case.
 * `htmlOnlyLinks` are links the HTML part may add to what it shows (the digest's agencies, to their pages).
 */
export function htmlProblems(
  mail: { subject: string; text: string; html: string },
  expected: {
    office: string;
    heading: string;
    partsOf?: (line: string) => string[] | null;
    htmlOnlyLinks?: RegExp;
  },
): string[] {
  const problems: string[] = [];
  const doc = parseHtml(mail.html);
  const said = blocks(doc).map(plain);
  const textLines = mail.text.replace(/\r\n/g, '\n').split('\n');
  const initiatives = initiativesIn(textLines);
  const lines = textLines.map((l) => l.trim()).filter((l) => l && l !== '--');

  const title = elements(doc, 'title')[0];
  if (!title || textOf(title) !== plain(mail.subject))
    problems.push(`title: ${title ? textOf(title) : '(none)'} is not the subject ${mail.subject}`);

  // The header: after the title, the office and the heading, then the text's first line.
  const first = plain(lines[0] ?? '');
  const opening = said.indexOf(first);
  const header = opening < 0 ? said.slice(1, 3) : said.slice(1, opening);
  if (JSON.stringify(header) !== JSON.stringify([expected.office, expected.heading]))
    problems.push(
      `header: ${JSON.stringify(header)}, expected ${JSON.stringify([expected.office, expected.heading])}`,
    );
  if (opening < 0) problems.push(`the text's first line is not a block of its own: ${first}`);

  // Each initiative: a table whose first row is its numbered title and whose other rows are its fields.
  const tables = elements(doc, 'table').map((t) =>
    elements(t, 'tr')
      .filter((tr) => !elements(tr, 'table').length)
      .map((tr) => elements(tr, 'td').map(textOf).map(plain)),
  );
  for (const initiative of initiatives) {
    const rows = [[plain(initiative.heading)], ...initiative.fields.map(([l, v]) => [plain(l), plain(v)])];
    if (!tables.some((t) => JSON.stringify(t) === JSON.stringify(rows)))
      problems.push(`no table of the fields of ${initiative.heading}`);
  }

  const links = elements(doc, 'a')
    .map((a) => a.attrs.href ?? '')
    .filter((href) => !expected.htmlOnlyLinks?.test(href));
  const named = [...mail.text.matchAll(/\bhttps?:\/\/[^\s)>"]+/g)].map((m) => m[0].replace(/[.,;]$/, ''));
  if (JSON.stringify([...new Set(links)].sort()) !== JSON.stringify([...new Set(named)].sort()))
    problems.push(`links ${JSON.stringify(links)}, the text names ${JSON.stringify(named)}`);

  // Every line of the text, but those the tables hold, is said in some block (list markers aside), or laid out
  // as consecutive blocks.
  const inTables = new Set(initiatives.flatMap((i) => i.lines.slice(1)));
  const inRow = (parts: string[]) =>
    said.some((_, at) => parts.every((part, k) => said[at + k] === plain(part)));
  textLines.forEach((line, i) => {
    const fact = plain(line.trim().replace(/^(?:[*-]|\d+\.) /, ''));
    if (!fact || line.trim() === '--' || inTables.has(i)) return;
    const parts = expected.partsOf?.(line);
    if (parts) {
      if (!inRow(parts)) problems.push(`not laid out as ${JSON.stringify(parts)}: ${line.trim()}`);
      return;
    }
    const unlinked = fact
      .replace(/\bhttps?:\/\/[^\s)>"]+/g, '')
      .replace(/[\s:]+$/, '')
      .toLowerCase();
    const lead = fact.split(' (')[0] ?? '';
    const anyCase = unlinked !== fact.toLowerCase() || (lead === lead.toUpperCase() && /\p{L}/u.test(lead));
    const found = anyCase
      ? said.some((block) => block.toLowerCase().includes(unlinked))
      : said.some((block) => block.includes(fact));
    if (!found) problems.push(`not in the HTML part: ${line.trim()}`);
  });
  return problems;
}
