import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/parser/blocks.js';
import { findYear, indexRegistry, resolveAgency } from '../../src/parser/header.js';
import { matchLabel, splitLabelLine } from '../../src/parser/labels.js';
import { statusOf } from '../../src/parser/layout.js';
import { understand } from '../../src/parser/parse-form.js';
import { parseTimeline } from '../../src/parser/timeline.js';
import { registry2021 } from '../helpers/parser.js';

describe('field labels', () => {
  it.each([
    ['Tên sáng kiến, giải pháp, ý tưởng mới', 'title'],
    ['TÊN SÁNG KIẾN', 'title'],
    ['1. Ten sang kien, giai phap, y tuong moi', 'title'],
    ['Tên giải pháp', 'title'],
    ['Mô tả tóm tắt nội dung sáng kiến', 'summary'],
    ['NỘI DUNG TÓM TẮT', 'summary'],
    ['Mo ta tom tat noi dung', 'summary'],
    ['Sự cần thiết áp dụng sáng kiến, giải pháp, ý tưởng mới', 'necessity'],
    ['Tính cấp thiết', 'necessity'],
    ['Dự kiến kết quả đạt được (sản phẩm, đối tượng thụ hưởng, lợi ích thu được)', 'expected_results'],
    ['KẾT QUẢ DỰ KIẾN', 'expected_results'],
    ['Sản phẩm', 'products'],
    ['Đối tượng thụ hưởng', 'beneficiaries'],
    ['Lợi ích thu được', 'benefits'],
    ['Thời gian thực hiện', 'timeline'],
    ['THỜI GIAN TRIỂN KHAI', 'timeline'],
    ['Đơn vị chủ trì', 'lead_unit'],
    ['Cơ quan chủ trì', 'lead_unit'],
    ['Đơn vị thực hiện', 'lead_unit'],
    ['Ghi chú', 'notes'],
    ['STT', 'number'],
    ['Kết quả thực hiện', 'result_status'],
    ['Hiệu quả đạt được/kết quả cụ thể', 'outcome'],
  ])('reads "%s" as %s', (label, key) => {
    expect(matchLabel(label)?.key).toBe(key);
  });

  it('does not take a sentence or a bare heading for a label', () => {
    expect(matchLabel('Nội dung')).toBeNull();
    expect(matchLabel('Người dân được hướng dẫn chuẩn bị hồ sơ đúng ngay từ đầu')).toBeNull();
    expect(splitLabelLine('Thời gian chờ đợi của người dân giảm rõ rệt so với trước đây.')).toBeNull();
  });

  it.each([
    ['1.1. Tên sáng kiến: A', 'title', 'A'],
    ['2.3 Mô tả tóm tắt: B', 'summary', 'B'],
    ['IV - Ghi chú: C', 'notes', 'C'],
    ['(3) Sự cần thiết: D', 'necessity', 'D'],
  ])('reads the label behind the numbering of "%s"', (line, key, value) => {
    expect(splitLabelLine(line)).toMatchObject({ key, value, numbered: true, loose: false });
  });

  it('splits "label: value" and keeps a label that stands alone', () => {
    expect(splitLabelLine('5. Thời gian thực hiện: Quý IV/2021')).toEqual({
      key: 'timeline',
      value: 'Quý IV/2021',
      numbered: true,
      loose: false,
    });
    expect(splitLabelLine('3. Sự cần thiết áp dụng sáng kiến, giải pháp, ý tưởng mới')).toMatchObject({
      key: 'necessity',
      value: '',
    });
  });
});

describe('timelines', () => {
  it.each([
    ['Tháng 8/2021 - tháng 11/2021', '2021-08', '2021-11'],
    ['Quý III/2021', '2021-07', '2021-09'],
    ['Quý III - Quý IV/2021', '2021-07', '2021-12'],
    ['Từ 01/8/2021 đến 30/11/2021', '2021-08', '2021-11'],
    ['Năm 2021', '2021-01', '2021-12'],
    ['08/2021-12/2021', '2021-08', '2021-12'],
    ['Tháng 9 - 12/2021', '2021-09', '2021-12'],
    ['Tháng 10/2021', '2021-10', '2021-10'],
    ['6 tháng cuối năm 2021', '2021-07', '2021-12'],
    ['6 tháng đầu năm 2022', '2022-01', '2022-06'],
    ['Từ tháng 8/2021', '2021-08', null],
    ['Từ tháng 8/2021 đến hết năm 2021', '2021-08', '2021-12'],
    ['Tháng 11/2021 - tháng 3/2022', '2021-11', '2022-03'],
    ['Quy 4 nam 2021', '2021-10', '2021-12'],
    ['Thường xuyên', null, null],
    ['Tháng 8-11/2021', '2021-08', '2021-11'],
    ['Tháng 8 đến tháng 12 năm 2021', '2021-08', '2021-12'],
    ['Tháng 7 năm 2021 đến tháng 12 năm 2021', '2021-07', '2021-12'],
    ['T8/2021 - T12/2021', '2021-08', '2021-12'],
    ['Tháng 08 - 11 năm 2021', '2021-08', '2021-11'],
    ['Từ tháng 8 năm 2021', '2021-08', null],
    ['Tháng 9, 10/2021', '2021-09', '2021-10'],
    ['01/08/2021 - 30/11/2021', '2021-08', '2021-11'],
    ['Quý III/2021 - Quý I/2022', '2021-07', '2022-03'],
  ])('reads "%s" as %s..%s', (text, start, end) => {
    expect(parseTimeline(text)).toEqual({ start, end });
  });
});

describe('results status', () => {
  it.each([
    ['Đã hoàn thành', 'completed'],
    ['Hoàn thành', 'completed'],
    ['Đang triển khai', 'in_progress'],
    ['Đang thực hiện', 'in_progress'],
    ['Chưa thực hiện', 'not_started'],
    ['Chưa triển khai', 'not_started'],
    ['', 'unknown'],
    ['Đã hoàn thành, đang nhân rộng', 'completed'],
    ['Đã triển khai', 'completed'],
    ['Đang xây dựng phần mềm', 'in_progress'],
    ['Chưa triển khai do thiếu kinh phí', 'not_started'],
    ['Tạm dừng', 'not_started'],
  ])('reads "%s" as %s', (text, status) => {
    expect(statusOf(text)).toBe(status);
  });
});

describe('the issuing agency in the header', () => {
  const index = indexRegistry(registry2021);
  it.each([
    [['UBND THÀNH PHỐ HÀ NỘI', 'SỞ TƯ PHÁP'], 'so-tu-phap'],
    [['ỦY BAN NHÂN DÂN', 'HUYỆN THANH TRÌ'], 'huyen-thanh-tri'],
    [['UBND QUẬN CẦU GIẤY'], 'quan-cau-giay'],
    [['UY BAN NHAN DAN', 'THI XA SON TAY'], 'tx-son-tay'],
    [['SO GIAO THONG VAN TAI HA NOI'], 'so-giao-thong-van-tai'],
  ])('finds %j', (lines, code) => {
    expect(resolveAgency(lines, index)?.agency.code).toBe(code);
  });

  it('does not take the city for the sender', () => {
    expect(resolveAgency(['UBND THÀNH PHỐ HÀ NỘI', 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'], index)).toBeNull();
  });

  it('reads the year from the title, else from the date line', () => {
    expect(findYear('BIỂU ĐĂNG KÝ SÁNG KIẾN … NĂM 2021', [])).toBe(2021);
    expect(findYear(null, ['Hà Nội, ngày 26 tháng 7 năm 2022'])).toBe(2022);
  });
});

describe('layouts', () => {
  const p = (...lines: string[]): Block => ({ type: 'paragraph', lines });
  const header = [p('SỞ TƯ PHÁP'), p('BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2021')];

  it('reads numbered prose with values on the label line and on following lines, and several items', () => {
    const form = understand(
      [
        ...header,
        p('I. SÁNG KIẾN THỨ NHẤT'),
        p('1. Tên sáng kiến: Một cửa điện tử'),
        p('2. Mô tả tóm tắt:'),
        p('- Dòng một.'),
        p('- Dòng hai.'),
        p('3. Sự cần thiết: Cần.'),
        p('4. Dự kiến kết quả: Tốt.'),
        p('5. Thời gian thực hiện: Quý IV/2021'),
        p('II. SÁNG KIẾN THỨ HAI'),
        p('1. Tên sáng kiến: Hai'),
        p('2. Mô tả tóm tắt: Ngắn.'),
      ],
      registry2021,
    );
    expect(form.kind).toBe('registration');
    expect(form.agency_code).toBe('so-tu-phap');
    expect(form.initiatives.map((i) => i.title)).toEqual(['Một cửa điện tử', 'Hai']);
    expect(form.initiatives[0]).toMatchObject({
      summary: '- Dòng một.\n- Dòng hai.',
      start: '2021-10',
      end: '2021-12',
    });
    expect(form.initiatives[1]).toMatchObject({ necessity: null, notes: null });
  });

  it('splits labelled expected results into products, beneficiaries and benefits', () => {
    const form = understand(
      [
        ...header,
        p('1. Tên sáng kiến: A'),
        p('4. Dự kiến kết quả đạt được:'),
        p('+ Sản phẩm: Phần mềm.'),
        p('+ Đối tượng thụ hưởng: Người dân.'),
        p('+ Lợi ích: Nhanh hơn.'),
      ],
      registry2021,
    );
    expect(form.initiatives[0]).toMatchObject({
      expected_results: '+ Sản phẩm: Phần mềm.\n+ Đối tượng thụ hưởng: Người dân.\n+ Lợi ích: Nhanh hơn.',
      products: 'Phần mềm.',
      beneficiaries: 'Người dân.',
      benefits: 'Nhanh hơn.',
    });
  });

  it('calls a document without items not a form, with no agency and no year', () => {
    const form = understand(
      [...header, p('Kính gửi: Sở Nội vụ.'), p('Sở Tư pháp gửi kèm biểu đăng ký.')],
      registry2021,
    );
    expect(form).toMatchObject({
      kind: 'not_a_form',
      agency_code: null,
      year: null,
      initiatives: [],
      results: [],
    });
  });
});
