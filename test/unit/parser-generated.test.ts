import { describe, expect, it } from 'vitest';
import { encodeTcvn3, encodeVni } from '../../src/parser/legacy-encoding.js';
import { parseForm } from '../../src/parser/parse-form.js';
import { buildDocx, header } from '../helpers/form-builder.js';
import { parserOptions } from '../helpers/parser.js';

// Forms the sample folder does not have, built here, filled in other ways: the parser's rules must hold for them.

async function parse(blocks: Parameters<typeof buildDocx>[0]) {
  const outcome = await parseForm(await buildDocx(blocks), 'bieu.docx', parserOptions);
  if (!outcome.ok) throw new Error(`${outcome.error.code}: ${outcome.error.message}`);
  return outcome.form;
}

describe('forms filled in other ways', () => {
  it('reads a form typed in VNI fonts', async () => {
    const vni = (text: string) => ({ text: encodeVni(text), font: 'VNI-Times' });
    const form = await parse([
      ...header(['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022'),
      { p: [vni('1. Tên sáng kiến: Đặt lịch khám bệnh trực tuyến')] },
      { p: [vni('2. Mô tả tóm tắt: Người dân đặt lịch qua Cổng dịch vụ công.')] },
      { p: [vni('3. Sự cần thiết: Giảm thời gian chờ đợi tại bệnh viện.')] },
      { p: [vni('4. Dự kiến kết quả: 50% lượt khám được đặt trước.')] },
      { p: [vni('5. Thời gian thực hiện: Quý II/2022')] },
    ]);
    expect(form).toMatchObject({ kind: 'registration', agency_code: 'so-y-te', year: 2022 });
    expect(form.initiatives).toEqual([
      expect.objectContaining({
        title: 'Đặt lịch khám bệnh trực tuyến',
        summary: 'Người dân đặt lịch qua Cổng dịch vụ công.',
        necessity: 'Giảm thời gian chờ đợi tại bệnh viện.',
        expected_results: '50% lượt khám được đặt trước.',
        start: '2022-04',
        end: '2022-06',
        lead_unit: null,
        notes: null,
      }),
    ]);
  });

  it('reads TCVN3 text whose font name was lost, from its characters', async () => {
    const form = await parse([
      ...header(['UBND QUẬN HOÀN KIẾM'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2022'),
      { p: [encodeTcvn3('Tên sáng kiến: Bộ phận một cửa không giấy tờ')] },
      { p: [encodeTcvn3('Mô tả tóm tắt: Số hóa toàn bộ hồ sơ ngay khi tiếp nhận tại quận.')] },
      { p: [encodeTcvn3('Thời gian thực hiện: Năm 2022')] },
    ]);
    expect(form.agency_code).toBe('quan-hoan-kiem');
    expect(form.initiatives[0]).toMatchObject({
      title: 'Bộ phận một cửa không giấy tờ',
      summary: 'Số hóa toàn bộ hồ sơ ngay khi tiếp nhận tại quận.',
      start: '2022-01',
      end: '2022-12',
    });
  });

  it('reads a key-value table whose expected results are split into sub-rows under a merged label', async () => {
    const form = await parse([
      ...header(['ỦY BAN NHÂN DÂN', 'HUYỆN ĐÔNG ANH'], 'ĐĂNG KÝ SÁNG KIẾN, GIẢI PHÁP NĂM 2022'),
      {
        table: [
          [{ lines: [['Tên giải pháp']], span: 2 }, 'Xe lưu động trả kết quả hồ sơ đất đai'],
          [{ lines: [['Nội dung tóm tắt']], span: 2 }, 'Mỗi tuần xe đến các xã trả kết quả.'],
          [{ lines: [['Lý do đề xuất']], span: 2 }, 'Người dân ở xa trụ sở huyện.'],
          [{ lines: [['Kết quả dự kiến']], vMerge: 'restart' }, 'Sản phẩm', 'Lịch xe hằng tuần'],
          [{ lines: [[]], vMerge: 'continue' }, 'Đối tượng thụ hưởng', 'Người dân 23 xã'],
          [{ lines: [[]], vMerge: 'continue' }, 'Lợi ích', 'Không phải đi lại nhiều lần'],
          [{ lines: [['Tiến độ']], span: 2 }, '6 tháng đầu năm 2022'],
          [{ lines: [['Cơ quan chủ trì']], span: 2 }, 'Văn phòng Đăng ký đất đai'],
        ],
      },
    ]);
    expect(form.agency_code).toBe('huyen-dong-anh');
    expect(form.initiatives).toEqual([
      expect.objectContaining({
        title: 'Xe lưu động trả kết quả hồ sơ đất đai',
        summary: 'Mỗi tuần xe đến các xã trả kết quả.',
        necessity: 'Người dân ở xa trụ sở huyện.',
        products: 'Lịch xe hằng tuần',
        beneficiaries: 'Người dân 23 xã',
        benefits: 'Không phải đi lại nhiều lần',
        expected_results: 'Lịch xe hằng tuần\nNgười dân 23 xã\nKhông phải đi lại nhiều lần',
        start: '2022-01',
        end: '2022-06',
        lead_unit: 'Văn phòng Đăng ký đất đai',
        notes: null,
      }),
    ]);
  });

  it('reads a row table without STT whose header is reworded and whose rows skip empty lines', async () => {
    const form = await parse([
      ...header(['UBND THÀNH PHỐ HÀ NỘI', 'SỞ XÂY DỰNG'], 'ĐĂNG KÝ SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022'),
      {
        table: [
          [
            'TÊN SÁNG KIẾN',
            'TÓM TẮT NỘI DUNG',
            'TÍNH CẤP THIẾT',
            'KẾT QUẢ MONG ĐỢI',
            'LỘ TRÌNH',
            'ĐƠN VỊ THỰC HIỆN',
          ],
          [
            'Cấp phép xây dựng trực tuyến',
            'Nộp hồ sơ qua mạng',
            'Giảm đi lại',
            'Rút ngắn 5 ngày',
            'Tháng 4 - 9/2022',
            'Phòng Cấp phép',
          ],
          ['', '', '', '', '', ''],
          [
            'Tra cứu quy hoạch bằng bản đồ số',
            'Công khai bản đồ',
            'Minh bạch',
            'Người dân tự tra cứu',
            'Năm 2022',
            'Viện Quy hoạch',
          ],
        ],
      },
    ]);
    expect(form.agency_code).toBe('so-xay-dung');
    expect(form.initiatives.map((i) => [i.title, i.start, i.end, i.lead_unit])).toEqual([
      ['Cấp phép xây dựng trực tuyến', '2022-04', '2022-09', 'Phòng Cấp phép'],
      ['Tra cứu quy hoạch bằng bản đồ số', '2022-01', '2022-12', 'Viện Quy hoạch'],
    ]);
  });

  it('reads a results report whose status is an x in one of several sub-columns', async () => {
    const form = await parse([
      ...header(
        ['UBND THÀNH PHỐ HÀ NỘI', 'SỞ Y TẾ'],
        'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022',
      ),
      {
        table: [
          [
            { lines: [['STT']], vMerge: 'restart' },
            { lines: [['Tên sáng kiến']], vMerge: 'restart' },
            { lines: [['Kết quả thực hiện']], span: 3 },
            { lines: [['Hiệu quả đạt được']], vMerge: 'restart' },
          ],
          [
            { lines: [[]], vMerge: 'continue' },
            { lines: [[]], vMerge: 'continue' },
            'Hoàn thành',
            'Đang thực hiện',
            'Chưa thực hiện',
            { lines: [[]], vMerge: 'continue' },
          ],
          ['1', 'Đặt lịch khám bệnh trực tuyến', '', 'x', '', '30% lượt khám đặt trước'],
          ['2', 'Bệnh án điện tử', 'x', '', '', 'Toàn bộ bệnh viện tuyến thành phố'],
        ],
      },
    ]);
    expect(form.kind).toBe('results_report');
    expect(form.results).toEqual([
      { title: 'Đặt lịch khám bệnh trực tuyến', status: 'in_progress', outcome: '30% lượt khám đặt trước' },
      { title: 'Bệnh án điện tử', status: 'completed', outcome: 'Toàn bộ bệnh viện tuyến thành phố' },
    ]);
  });

  it('reads the commune and ward registry of the two-tier local government', async () => {
    const options = {
      ...parserOptions,
      registry: [
        ...parserOptions.registry,
        { code: 'phuong-hoan-kiem', name: 'UBND phường Hoàn Kiếm', kind: 'ward' },
      ],
    };
    const bytes = await buildDocx([
      ...header(['ỦY BAN NHÂN DÂN', 'PHƯỜNG HOÀN KIẾM'], 'BIỂU ĐĂNG KÝ SÁNG KIẾN NĂM 2026'),
      { p: ['Tên sáng kiến: Một cửa phường không chờ đợi'] },
      { p: ['Mô tả tóm tắt: Hẹn giờ qua Zalo.'] },
    ]);
    const outcome = await parseForm(bytes, 'bieu.docx', options);
    expect(outcome).toMatchObject({ ok: true, form: { agency_code: 'phuong-hoan-kiem', year: 2026 } });
  });

  it('reads a results report written as numbered prose', async () => {
    const form = await parse([
      ...header(
        ['ỦY BAN NHÂN DÂN', 'QUẬN ĐỐNG ĐA'],
        'BÁO CÁO KẾT QUẢ THỰC HIỆN SÁNG KIẾN CẢI CÁCH HÀNH CHÍNH NĂM 2022',
      ),
      { p: ['I. SÁNG KIẾN THỨ NHẤT'] },
      { p: ['1. Tên sáng kiến: Tổ công nghệ số cộng đồng'] },
      { p: ['2. Kết quả thực hiện: Đã hoàn thành'] },
      { p: ['3. Hiệu quả đạt được:'] },
      { p: ['- 21/21 phường có tổ công nghệ số.'] },
      { p: ['- 1.200 người dân được hướng dẫn dịch vụ công trực tuyến.'] },
      { p: ['II. SÁNG KIẾN THỨ HAI'] },
      { p: ['1. Tên sáng kiến: Chatbot một cửa'] },
      { p: ['2. Kết quả thực hiện: Chưa triển khai'] },
    ]);
    expect(form).toMatchObject({ kind: 'results_report', agency_code: 'quan-dong-da', year: 2022 });
    expect(form.results).toEqual([
      {
        title: 'Tổ công nghệ số cộng đồng',
        status: 'completed',
        outcome:
          '- 21/21 phường có tổ công nghệ số.\n- 1.200 người dân được hướng dẫn dịch vụ công trực tuyến.',
      },
      { title: 'Chatbot một cửa', status: 'not_started', outcome: null },
    ]);
  });
});
