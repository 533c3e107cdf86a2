import { describe, expect, it } from 'vitest';
import {
  columnOf,
  EXPECTED_PARTS,
  INITIATIVE_FIELDS,
  type InitiativeValues,
  toColumns,
  WRITTEN_FIELDS,
} from '../../src/domain/initiative-fields.js';
import { REPORT_COLUMNS } from '../../src/reports/consolidated-report.js';

const values: InitiativeValues = {
  title: 'Số hóa hồ sơ lý lịch tư pháp',
  summary: 'Số hóa toàn bộ hồ sơ',
  necessity: null,
  expected_results: 'Cơ sở dữ liệu dùng chung',
  products: null,
  beneficiaries: null,
  benefits: null,
  timeline: 'Tháng 8/2021 - tháng 11/2021',
  start: '2021-08',
  end: '2021-11',
  lead_unit: 'Phòng Hành chính tư pháp',
  notes: null,
};

describe('the fields of an initiative', () => {
  it('map to their columns and back without loss', () => {
    const row = toColumns(values);
    expect(row.start_month).toBe('2021-08');
    expect(row).not.toHaveProperty('start');
    for (const f of INITIATIVE_FIELDS) expect(row[f.column as keyof typeof row]).toBe(values[f.name]);
    expect(Object.keys(row)).toHaveLength(INITIATIVE_FIELDS.length);
    expect(columnOf('end')).toBe('end_month');
  });

  it('give every field the form writes a column of the report, the expected results as its parts', () => {
    const headers = REPORT_COLUMNS.map((c) => c.header);
    for (const f of INITIATIVE_FIELDS) {
      if ('month' in f || f.name === 'expected_results') expect(headers).not.toContain(f.label);
      else expect(headers).toContain(f.label);
    }
    const grouped = REPORT_COLUMNS.filter((c) => c.group);
    expect(grouped.map((c) => c.header)).toEqual(
      EXPECTED_PARTS.map((p) => INITIATIVE_FIELDS.find((f) => f.name === p)?.label),
    );
    expect(new Set(grouped.map((c) => c.group))).toEqual(new Set(['Dự kiến kết quả đạt được']));
  });

  it('name each field once, in the form’s words, months apart from what the form writes', () => {
    expect(new Set(INITIATIVE_FIELDS.map((f) => f.name)).size).toBe(INITIATIVE_FIELDS.length);
    expect(new Set(INITIATIVE_FIELDS.map((f) => f.label)).size).toBe(INITIATIVE_FIELDS.length);
    expect(WRITTEN_FIELDS).not.toContain('start');
    expect(WRITTEN_FIELDS[0]).toBe('title');
  });
});
