import { describe, expect, it } from 'vitest';
import {
  decodeTcvn3,
  decodeVni,
  detectLegacyEncoding,
  encodeTcvn3,
  encodeVni,
  encodingOfFont,
  isCapitalsFont,
} from '../../src/parser/legacy-encoding.js';

const LOWER = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
const UPPER = LOWER.toLocaleUpperCase('vi');

describe('legacy Vietnamese encodings', () => {
  it('converts every Vietnamese letter to TCVN3 and back', () => {
    for (const ch of LOWER) expect(decodeTcvn3(encodeTcvn3(ch)), ch).toBe(ch);
    // Toned capitals are lowercase codes in a capitals font (.VnTimeH).
    for (const ch of UPPER) expect(decodeTcvn3(encodeTcvn3(ch), true), ch).toBe(ch);
  });

  it('converts every Vietnamese letter, both cases, to VNI and back', () => {
    for (const ch of LOWER + UPPER) expect(decodeVni(encodeVni(ch)), ch).toBe(ch);
  });

  it('decodes TCVN3 text as it appears without its font', () => {
    expect(decodeTcvn3('Tªn s¸ng kiÕn, gi¶i ph¸p, ý t\u00adëng míi')).toBe(
      'Tên sáng kiến, giải pháp, ý tưởng mới',
    );
    expect(decodeTcvn3('§éc lËp - Tù do - H¹nh phóc')).toBe('Độc lập - Tự do - Hạnh phúc');
    expect(decodeTcvn3('UBND THµNH PHè Hµ NéI', true)).toBe('UBND THÀNH PHỐ HÀ NỘI');
  });

  it('decodes VNI text', () => {
    expect(decodeVni('Tieáng Vieät. Ñoäc laäp - Töï do - Haïnh phuùc. Ngöôøi daân')).toBe(
      'Tiếng Việt. Độc lập - Tự do - Hạnh phúc. Người dân',
    );
  });

  it('knows the encoding of a font by its name', () => {
    expect(encodingOfFont('.VnTime')).toBe('tcvn3');
    expect(encodingOfFont('.VnArialH')).toBe('tcvn3');
    expect(encodingOfFont('VNI-Times')).toBe('vni');
    expect(encodingOfFont('Times New Roman')).toBeNull();
    expect(isCapitalsFont('.VnTimeH')).toBe(true);
    expect(isCapitalsFont('.VnTime')).toBe(false);
  });

  it('recognises legacy text from its characters, and leaves Unicode and plain Latin text alone', () => {
    expect(detectLegacyEncoding('Tªn s¸ng kiÕn, gi¶i ph¸p, ý t\u00adëng míi vÒ c¶i c¸ch hµnh chÝnh')).toBe(
      'tcvn3',
    );
    expect(detectLegacyEncoding('Teân saùng kieán, giaûi phaùp, yù töôûng môùi veà caûi caùch')).toBe('vni');
    expect(detectLegacyEncoding('Tên sáng kiến, giải pháp, ý tưởng mới')).toBeNull();
    expect(detectLegacyEncoding('Administrative reform initiatives of the city')).toBeNull();
    expect(detectLegacyEncoding('Café à la crème, déjà vu')).toBeNull();
  });
});
