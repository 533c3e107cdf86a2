import { describe, expect, it } from 'vitest';
import { cleanHeader, withoutNul } from '../../src/mail/clean-header.js';

describe('cleanHeader', () => {
  it('removes NUL, C0 and C1 control characters and DEL', () => {
    expect(cleanHeader('Đăng\u0000ký\u0007 sáng\u001bkiến\u007f\u0085\u009f')).toBe('Đăngký sángkiến');
  });

  it('folds CR, LF and TAB to one space so no header can be forged on a new line', () => {
    expect(cleanHeader('Đăng ký\r\n\tsáng kiến')).toBe('Đăng ký sáng kiến');
    expect(cleanHeader('x\r\nBcc: victim@example.com')).toBe('x Bcc: victim@example.com');
    expect(cleanHeader('a\u2028b\u2029c')).toBe('a b c');
  });

  it('removes every bidirectional control, so a file name reads as what it is', () => {
    const bidi = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069'];
    for (const c of [...bidi, '\u200e', '\u200f', '\u061c'])
      expect(cleanHeader(`phieu${c}xcod.docx`)).toBe('phieuxcod.docx');
  });

  it('keeps Vietnamese text, composed to NFC, and trims', () => {
    const decomposed = 'Sa\u0306\u0301ng kie\u0302\u0301n'; // combining marks
    expect(cleanHeader(`  ${decomposed}  `)).toBe('Sắng kiến'.normalize('NFC'));
    expect(cleanHeader('Phiếu đăng ký sáng kiến năm 2021')).toBe('Phiếu đăng ký sáng kiến năm 2021');
  });

  it('gives null for an absent value and keeps an empty one empty', () => {
    expect(cleanHeader(null)).toBeNull();
    expect(cleanHeader(undefined)).toBeNull();
    expect(cleanHeader('\u0000\r\n')).toBe('');
  });
});

describe('withoutNul', () => {
  it('removes only NUL, keeping line breaks', () => {
    expect(withoutNul('a\u0000b\nc\td')).toBe('ab\nc\td');
    expect(withoutNul(null)).toBeNull();
  });
});
