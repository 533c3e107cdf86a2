import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { AgencyAssessment } from '../../src/domain/assessment.js';
import { assessmentTable } from '../../src/reports/assessment-table.js';
import { addAssessmentSheet } from '../../src/reports/assessment-xlsx.js';

const due = { deadline: '2021-07-31', lastDay: '2021-08-02', first: null, onTime: false, forms: [] };
const agency: AgencyAssessment = {
  id: '1',
  code: 'so-y-te',
  name: 'Sở Y tế',
  kind: 'department',
  members: [],
  exempt: false,
  extension: { registration: '2021-08-16' },
  required: 1,
  registered: 0,
  quotaMet: false,
  registration: due,
  results: { ...due, deadline: '2021-11-30', lastDay: '2021-11-30', reported: 0, allReported: false },
  initiatives: { completed: 0, in_progress: 0, not_started: 0, unknown: 0, unreported: 0 },
  assessment: { effective: 0, not_effective: 0, not_assessed: 0 },
  lateForms: [],
  score: { total: 0, byFact: {} },
};
const campaign = { name: 'Đăng ký sáng kiến CCHC năm 2021', year: 2021, time_zone: 'Asia/Ho_Chi_Minh' };

describe('the report’s sheet "Đánh giá"', () => {
  const table = assessmentTable(
    {
      scoring: { points: { registered_on_time: 2, effective: 0.5, late_form: -0.25 }, max: 10 },
      agencies: [agency],
    },
    campaign,
    new Date('2021-12-05T03:00:00Z'),
  );

  it('says how the points are given in words: per what, a deduction as such, decimals with a comma', () => {
    expect(table.scoringNote).toBe(
      'Cách tính điểm (theo bảng chấm điểm của đợt): Đăng ký đúng hạn 2 điểm; Sáng kiến được đánh giá hiệu quả 0,5 điểm mỗi sáng kiến; Hồ sơ gửi sau hạn trừ 0,25 điểm mỗi hồ sơ; tối đa 10 điểm.',
    );
  });

  it('names the agency’s own terms and heads the counts of initiatives by what they count', async () => {
    expect(table.rows[0]).toContain('Gia hạn đăng ký đến 16/8/2021');
    const wb = new ExcelJS.Workbook();
    addAssessmentSheet(wb, table);
    const ws = wb.getWorksheet('Đánh giá');
    const cellsOf = (n: number) =>
      table.headers.map((_, c) => String(ws?.getRow(n).getCell(c + 1).value ?? ''));
    for (const g of table.groups)
      for (let k = 0; k < g.span; k++) expect(cellsOf(3)[g.from + k]).toBe(g.label);
    expect(cellsOf(3).slice(9, 16)).toEqual([
      ...Array(4).fill('Số sáng kiến theo kết quả thực hiện'),
      ...Array(3).fill('Số sáng kiến theo đánh giá hiệu quả'),
    ]);
    expect(cellsOf(4).slice(9, 16)).toEqual([
      'Đã hoàn thành',
      'Đang triển khai',
      'Chưa thực hiện, không xác định',
      'Chưa báo cáo',
      'Hiệu quả',
      'Chưa hiệu quả',
      'Chưa đánh giá',
    ]);
    expect(cellsOf(4)).toContain('Không giao số lượng tối thiểu, gia hạn');
  });
});
