import { describe, expect, it } from 'vitest';
import { fold, normalizeSpace } from '../../src/domain/text.js';

describe('text folding', () => {
  it('folds case, diacritics and đ so differently typed names compare equal', () => {
    expect(fold('Sở Tư pháp')).toBe('so tu phap');
    expect(fold('SỞ TƯ PHÁP')).toBe('so tu phap');
    expect(fold('So Tu Phap')).toBe('so tu phap');
    expect(fold('ĐỐNG ĐA')).toBe('dong da');
  });

  it('folds decomposed (NFD) text like composed text', () => {
    expect(fold('Thị xã Sơn Tây'.normalize('NFD'))).toBe(fold('Thị xã Sơn Tây'));
  });

  it('turns punctuation into single spaces', () => {
    expect(fold('  UBND  quận Ba Đình, Hà Nội. ')).toBe('ubnd quan ba dinh ha noi');
  });

  it('normalizes space and composes to NFC without folding', () => {
    const s = normalizeSpace('  Tên   sáng\tkiến \n'.normalize('NFD'));
    expect(s).toBe('Tên sáng kiến');
    expect(s).toBe(s.normalize('NFC'));
  });
});

describe('sizes', () => {
  it('are written with a decimal comma', async () => {
    const { formatSize } = await import('../../src/domain/text.js');
    expect(formatSize(30 * 1024 * 1024)).toBe('30 MB');
    expect(formatSize(100_000)).toBe('97,7 KB');
  });
});
