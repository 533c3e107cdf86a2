import { describe, expect, it } from 'vitest';
import { bestTitleMatch, titleKey, titleSimilarity } from '../../src/domain/title-match.js';

describe('initiative title matching', () => {
  const registered = [
    { id: 1, title: 'Thông báo kết quả giải quyết thủ tục hành chính qua Zalo OA của UBND huyện Thanh Trì' },
    {
      id: 2,
      title:
        'Tổ một cửa lưu động hỗ trợ người cao tuổi, người khuyết tật thực hiện thủ tục hành chính tại nhà',
    },
  ];

  it('matches an abbreviated title to the registered one', () => {
    const r = bestTitleMatch(
      'Thông báo kết quả giải quyết TTHC qua Zalo OA của UBND huyện Thanh Trì',
      registered,
    );
    expect(r?.match.id).toBe(1);
  });

  it('ignores case, diacritics and punctuation', () => {
    expect(titleSimilarity('TỔ MỘT CỬA LƯU ĐỘNG', 'To mot cua luu dong')).toBe(1);
    expect(titleKey('Số hóa hồ sơ TTHC')).toBe('so hoa ho so thu tuc hanh chinh');
  });

  it('finds nothing for a different initiative', () => {
    expect(bestTitleMatch('Số hóa sổ hộ tịch tại các xã', registered)).toBeNull();
  });
});
