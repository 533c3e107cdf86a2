// Legacy Vietnamese 8-bit encodings still found in government files: TCVN3 (ABC, fonts .VnTime, .VnArial…)
// and VNI (fonts VNI-Times, VNI-Helve…). A run typed in such a font stores the encoding's bytes as Latin-1
// characters (`Tªn s¸ng kiÕn` is `Tên sáng kiến`); these tables turn them back into Unicode.

// TCVN3: one byte per letter. Toned capitals do not exist in the .VnTime fonts: they are typed with the
// lowercase codes in the capitals-only fonts (.VnTimeH), so only seven capitals have codes of their own.
const TCVN3_LETTERS: Record<string, string> = {
  µ: 'à',
  '¸': 'á',
  '¶': 'ả',
  '·': 'ã',
  '¹': 'ạ',
  '¨': 'ă',
  '»': 'ằ',
  '¾': 'ắ',
  '¼': 'ẳ',
  '½': 'ẵ',
  Æ: 'ặ',
  '©': 'â',
  Ç: 'ầ',
  Ê: 'ấ',
  È: 'ẩ',
  É: 'ẫ',
  Ë: 'ậ',
  '®': 'đ',
  Ì: 'è',
  Ð: 'é',
  Î: 'ẻ',
  Ï: 'ẽ',
  Ñ: 'ẹ',
  ª: 'ê',
  Ò: 'ề',
  Õ: 'ế',
  Ó: 'ể',
  Ô: 'ễ',
  Ö: 'ệ',
  '×': 'ì',
  Ý: 'í',
  Ø: 'ỉ',
  Ü: 'ĩ',
  Þ: 'ị',
  ß: 'ò',
  ã: 'ó',
  á: 'ỏ',
  â: 'õ',
  ä: 'ọ',
  '«': 'ô',
  å: 'ồ',
  è: 'ố',
  æ: 'ổ',
  ç: 'ỗ',
  é: 'ộ',
  '¬': 'ơ',
  ê: 'ờ',
  í: 'ớ',
  ë: 'ở',
  ì: 'ỡ',
  î: 'ợ',
  ï: 'ù',
  ó: 'ú',
  ñ: 'ủ',
  ò: 'ũ',
  ô: 'ụ',
  '\u00AD': 'ư',
  õ: 'ừ',
  ø: 'ứ',
  ö: 'ử',
  '÷': 'ữ',
  ù: 'ự',
  ú: 'ỳ',
  ý: 'ý',
  û: 'ỷ',
  ü: 'ỹ',
  þ: 'ỵ',
  '¡': 'Ă',
  '¢': 'Â',
  '§': 'Đ',
  '£': 'Ê',
  '¤': 'Ô',
  '¥': 'Ơ',
  '¦': 'Ư',
};

// VNI: a base letter followed by a mark character (`Vieät` is `Việt`); a few letters take one character.
const VNI_MARKS: Record<string, string> = {
  // mark character → combining marks it adds (lowercase form; the capital form is the same letter upper-cased)
  ø: '\u0300',
  ù: '\u0301',
  û: '\u0309',
  õ: '\u0303',
  ï: '\u0323',
  â: '\u0302',
  à: '\u0302\u0300',
  á: '\u0302\u0301',
  å: '\u0302\u0309',
  ã: '\u0302\u0303',
  ä: '\u0302\u0323',
  ê: '\u0306',
  è: '\u0306\u0300',
  é: '\u0306\u0301',
  ú: '\u0306\u0309',
  ü: '\u0306\u0303',
  ë: '\u0306\u0323',
};
const VNI_SINGLE: Record<string, string> = {
  ñ: 'đ',
  Ñ: 'Đ',
  ô: 'ơ',
  Ô: 'Ơ',
  ö: 'ư',
  Ö: 'Ư',
  ì: 'ì',
  í: 'í',
  æ: 'ỉ',
  ó: 'ĩ',
  ò: 'ị',
  î: 'ỵ',
  Ì: 'Ì',
  Í: 'Í',
  Æ: 'Ỉ',
  Ó: 'Ĩ',
  Ò: 'Ị',
  Î: 'Ỵ',
};

export type LegacyEncoding = 'tcvn3' | 'vni';

/** The legacy encoding a font name implies: `.VnTime`, `.VnArialH` → tcvn3; `VNI-Times` → vni; else none. */
export function encodingOfFont(font: string | null | undefined): LegacyEncoding | null {
  if (!font) return null;
  const f = font.trim().toLowerCase();
  if (f.startsWith('.vn') || f.startsWith('vn3') || f.startsWith('abc')) return 'tcvn3';
  if (f.startsWith('vni-') || f.startsWith('vni ')) return 'vni';
  return null;
}

/** Whether a TCVN3 font draws every letter as a capital (.VnTimeH, .VnArialH, …). */
export function isCapitalsFont(font: string | null | undefined): boolean {
  return !!font && /^\.vn\S*h$/i.test(font.trim());
}

export function decodeTcvn3(text: string, capitals = false): string {
  let out = '';
  for (const ch of text) out += TCVN3_LETTERS[ch] ?? ch;
  return capitals ? out.toLocaleUpperCase('vi') : out;
}

export function decodeVni(text: string): string {
  let out = '';
  const chars = [...text];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string;
    const marks = VNI_MARKS[(chars[i + 1] ?? '').toLowerCase()];
    const hornBase = ch === 'ô' || ch === 'Ô' || ch === 'ö' || ch === 'Ö';
    if (marks && /[aeouyAEOUY]/.test(ch)) {
      // A vowel and its mark character: "eä" → ệ.
      out += `${ch}${marks}`.normalize('NFC');
      i++;
    } else if (marks && hornBase && /^[\u0300\u0301\u0303\u0309\u0323]$/.test(marks)) {
      // ơ / ư (ô / ö in VNI) and a tone: "ôø" → ờ.
      out += `${VNI_SINGLE[ch]}${marks}`.normalize('NFC');
      i++;
    } else out += VNI_SINGLE[ch] ?? ch;
  }
  return out;
}

export function decodeLegacy(text: string, encoding: LegacyEncoding, font?: string | null): string {
  return encoding === 'tcvn3' ? decodeTcvn3(text, isCapitalsFont(font)) : decodeVni(text);
}

// TCVN3 codes that are symbols, not letters, in Latin-1: frequent in TCVN3 text (à á ả ạ ê đ ô ơ ư …), and
// almost never in Unicode prose, French or German included.
const TCVN3_TELLTALES = /[µ¸¶·¹¨»¾¼½©®ª×«¬\u00AD÷§¡¢£¤¥¦]/g;
const VNI_TELLTALES = /[aeouyAEOUY][øùûõïâàáåãäêèéúüë]|[ñÑöÖ]/g;
const UNICODE_VIETNAMESE = /[ăđĩũơưĂĐĨŨƠƯ\u1EA0-\u1EF9]/;

/** Whether text has letters that exist only in Unicode Vietnamese (never in TCVN3 or VNI bytes). */
export function hasUnicodeVietnamese(text: string): boolean {
  return UNICODE_VIETNAMESE.test(text);
}

/**
 * Guess whether text with no legacy font is TCVN3 or VNI all the same (a .doc, a PDF, a run whose font was
 * lost): it has no Unicode Vietnamese letter and enough of one encoding's tell-tale characters.
 */
export function detectLegacyEncoding(text: string): LegacyEncoding | null {
  if (UNICODE_VIETNAMESE.test(text)) return null;
  const letters = text.replace(/[^\p{L}]/gu, '').length;
  if (letters < 8) return null;
  const tcvn = text.match(TCVN3_TELLTALES)?.length ?? 0;
  const vni = text.match(VNI_TELLTALES)?.length ?? 0;
  // VNI marks are also TCVN3 letters, so most VNI text counts for both; its vowel+mark pairs decide.
  if (vni >= 3 && vni / letters > 0.04 && vni * 2 >= tcvn) return 'vni';
  if (tcvn >= 3 && tcvn / letters > 0.04) return 'tcvn3';
  return null;
}

// Encoders, for tests and for writing fixtures: Unicode → legacy.
const TCVN3_ENCODE = Object.fromEntries(Object.entries(TCVN3_LETTERS).map(([k, v]) => [v, k]));
export function encodeTcvn3(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const direct = TCVN3_ENCODE[ch];
    if (direct) out += direct;
    else if (ch !== ch.toLowerCase() && TCVN3_ENCODE[ch.toLowerCase()]) out += TCVN3_ENCODE[ch.toLowerCase()];
    else out += ch;
  }
  return out;
}

const MARK_TO_VNI = Object.fromEntries(Object.entries(VNI_MARKS).map(([k, v]) => [v, k]));
const SINGLE_TO_VNI = Object.fromEntries(Object.entries(VNI_SINGLE).map(([k, v]) => [v, k]));
export function encodeVni(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    if (SINGLE_TO_VNI[ch]) {
      out += SINGLE_TO_VNI[ch];
      continue;
    }
    const nfd = ch.normalize('NFD');
    const base = nfd[0] ?? '';
    let marks = nfd.slice(1);
    let lead = base;
    if (marks.startsWith('\u031B')) {
      // horn: ơ / ư, then the tone
      lead = SINGLE_TO_VNI[`${base}\u031B`.normalize('NFC')] ?? base;
      marks = marks.slice(1);
    }
    if (!marks) {
      out += lead === base ? ch : lead;
      continue;
    }
    const mark = MARK_TO_VNI[marks];
    const upper = base !== base.toLowerCase();
    out += mark ? lead + (upper ? mark.toUpperCase() : mark) : ch;
  }
  return out;
}
