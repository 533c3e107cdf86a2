import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DataFileError } from '../../src/errors.js';
import { parseAgencyCsv, parseCampaignFile } from '../../src/registry/reference/data-files.js';
import { fixture } from '../helpers/paths.js';

function dataError(fn: () => unknown): DataFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataFileError) return err;
    throw err;
  }
  throw new Error('expected a DataFileError');
}

const HEADER = 'code,name,kind,quota,email\r\n';

describe('agency registry CSV', () => {
  it('reads the 2021 Hanoi registry: 22 departments and 30 districts', () => {
    const rows = parseAgencyCsv(readFileSync(fixture('agencies-hanoi-2021.csv'), 'utf8'));
    expect(rows).toHaveLength(52);
    expect(rows.filter((r) => r.kind === 'department')).toHaveLength(22);
    expect(rows.filter((r) => r.kind === 'district')).toHaveLength(30);
    expect(rows.find((r) => r.code === 'so-tu-phap')).toEqual({
      code: 'so-tu-phap',
      name: 'Sở Tư pháp',
      kind: 'department',
      quota: 1,
      parent: null,
      emails: ['vanthu_sotp@hanoi.gov.vn'],
    });
  });

  it('accepts a BOM, upper-case addresses, several addresses and an empty quota', () => {
    const rows = parseAgencyCsv(
      `\uFEFF${HEADER}xa-a,UBND xã A,commune,,VanThu@XaA.gov.vn; ub@xaa.gov.vn\r\n`,
    );
    expect(rows[0]).toMatchObject({ quota: null, emails: ['vanthu@xaa.gov.vn', 'ub@xaa.gov.vn'] });
  });

  it('names the line of every bad row and accepts none of the file', () => {
    const err = dataError(() =>
      parseAgencyCsv(
        `${HEADER}so-a,Sở A,department,1,a@x.vn\r\nSo B,Sở B,department,1,b@x.vn\r\nso-c,Sở C,province,x,c@x.vn\r\n`,
      ),
    );
    expect(err.code).toBe('invalid_csv');
    expect(err.message).toMatch(/line 3: code/);
    expect(err.message).toMatch(/line 4: .*kind/);
    expect(err.message).toMatch(/line 4: .*quota/);
    expect(err.message).not.toMatch(/line 2/);
  });

  it('refuses a code or an address used twice', () => {
    const err = dataError(() =>
      parseAgencyCsv(`${HEADER}so-a,Sở A,department,1,a@x.vn\r\nso-a,Sở B,department,1,a@x.vn\r\n`),
    );
    expect(err.message).toContain('line 3: code so-a already used on line 2');
    expect(err.message).toContain('email a@x.vn already used on line 2');
  });

  it('refuses a file without the required columns or with a broken quote', () => {
    expect(dataError(() => parseAgencyCsv('code,name\r\nso-a,Sở A\r\n')).message).toMatch(
      /missing column.*kind/,
    );
    expect(dataError(() => parseAgencyCsv(`${HEADER}so-a,"Sở A,department,1,a@x.vn\r\n`)).code).toBe(
      'invalid_csv',
    );
    expect(dataError(() => parseAgencyCsv(HEADER)).message).toContain('no agency rows');
  });
});

describe('campaign file', () => {
  const base = {
    code: 'hcm-2030',
    year: 2030,
    name: 'Campaign',
    inbox_address: 'cchc@example.vn',
    registration_deadline: '15/03/2030',
    results_deadline: '2030-10-01',
    quotas: { department: 3, ward: 1 },
  };

  it('reads Vietnamese and ISO dates and defaults the time zone and reminders', () => {
    const c = parseCampaignFile(JSON.stringify(base));
    expect(c.registration_deadline).toBe('2030-03-15');
    expect(c.results_deadline).toBe('2030-10-01');
    expect(c.time_zone).toBe('Asia/Ho_Chi_Minh');
    expect(c.reminders).toEqual({ before_days: [14, 7, 3, 1], after_days: [1] });
    expect(c.quotas).toEqual({ department: 3, ward: 1 });
  });

  it('reads the shipped 2021 Hanoi campaign', () => {
    const c = parseCampaignFile(
      readFileSync(new URL('../../data/campaign-hanoi-2021.yaml', import.meta.url), 'utf8'),
    );
    expect(c).toMatchObject({
      code: 'hanoi-2021',
      year: 2021,
      registration_deadline: '2021-07-31',
      results_deadline: '2021-11-30',
      quotas: { department: 1, district: 2 },
      reminders: { before_days: [14, 7, 3, 1], after_days: [1] },
    });
  });

  it('names each bad field', () => {
    const err = dataError(() =>
      parseCampaignFile(
        JSON.stringify({ ...base, registration_deadline: '31/02/2030', quotas: { province: 1 }, extra: 1 }),
      ),
    );
    expect(err.code).toBe('invalid_campaign');
    expect(err.message).toContain('registration_deadline');
    expect(err.message).toContain('quotas');
    expect(err.message).toContain('extra');
  });

  it('refuses deadlines in the wrong order and text that is not YAML', () => {
    expect(
      dataError(() => parseCampaignFile(JSON.stringify({ ...base, results_deadline: '2030-01-01' }))).message,
    ).toContain('results_deadline');
    expect(dataError(() => parseCampaignFile('year: [')).message).toContain('not valid YAML');
  });
});

describe('parents in the registry', () => {
  const head = 'code,name,kind,quota,email,parent\n';
  it('reads a commune’s district', () => {
    const rows = parseAgencyCsv(
      `${head}huyen-dong-anh,UBND huyện Đông Anh,district,2,a@x.vn,\nxa-van-noi,UBND xã Vân Nội,commune,,b@x.vn,huyen-dong-anh\n`,
    );
    expect(rows.map((r) => [r.code, r.parent])).toEqual([
      ['huyen-dong-anh', null],
      ['xa-van-noi', 'huyen-dong-anh'],
    ]);
  });
  it('takes a parent already in the registry', () => {
    const rows = parseAgencyCsv(
      `${head}xa-van-noi,UBND xã Vân Nội,commune,,b@x.vn,huyen-dong-anh\n`,
      'f',
      new Map([['huyen-dong-anh', 'district']]),
    );
    expect(rows[0]?.parent).toBe('huyen-dong-anh');
  });
  it('refuses an unknown parent, or one that is not a district, with the line number', () => {
    expect(() =>
      parseAgencyCsv(`${head}xa-van-noi,UBND xã Vân Nội,commune,,b@x.vn,huyen-khong-co\n`),
    ).toThrow(/line 2: parent huyen-khong-co is not an agency/);
    expect(() =>
      parseAgencyCsv(`${head}so-a,Sở A,department,1,a@x.vn,\nxa-b,UBND xã B,commune,,b@x.vn,so-a\n`),
    ).toThrow(/line 3: parent so-a is a department, not a district/);
  });
});
