import { describe, expect, it } from 'vitest';
import { type AgencyCounts, agencyStanding, campaignStandingOf } from '../../src/domain/standing.js';

const agency = (o: Partial<AgencyCounts> & Pick<AgencyCounts, 'code' | 'kind'>): AgencyCounts => ({
  id: o.code,
  name: o.code,
  registryQuota: null,
  registered: 0,
  reported: 0,
  lastSubmissionAt: null,
  ...o,
});

// The 2021 rules: every department at least 1, every district at least 2.
const quotas = { department: 1, district: 2 } as const;

describe('an agency’s standing against its quota', () => {
  it('is short by what is missing, never by a negative number', () => {
    expect(agencyStanding(agency({ code: 'q', kind: 'district', registered: 1 }), quotas)).toMatchObject({
      required: 2,
      shortBy: 1,
      met: false,
    });
    expect(agencyStanding(agency({ code: 'q', kind: 'district', registered: 5 }), quotas)).toMatchObject({
      required: 2,
      shortBy: 0,
      met: true,
    });
  });

  it('takes the registry’s own number where the campaign sets none for the kind, else 0', () => {
    expect(agencyStanding(agency({ code: 'x', kind: 'commune', registryQuota: 3 }), quotas).required).toBe(3);
    expect(agencyStanding(agency({ code: 'y', kind: 'ward' }), quotas)).toMatchObject({
      required: 0,
      met: true,
    });
  });

  it('counts the registered initiatives still without a result in the results phase', () => {
    const s = agencyStanding(agency({ code: 's', kind: 'department', registered: 3, reported: 1 }), quotas);
    expect(s.unreported).toBe(2);
  });
});

describe('a campaign’s standing', () => {
  const counts = [
    agency({ code: 'so-a', kind: 'department', registered: 1, reported: 1 }),
    agency({ code: 'so-b', kind: 'department', registered: 0 }),
    agency({ code: 'so-c', kind: 'department', registered: 4, reported: 2 }),
    agency({ code: 'quan-a', kind: 'district', registered: 1 }),
    agency({ code: 'quan-b', kind: 'district', registered: 2, reported: 2 }),
    agency({ code: 'quan-c', kind: 'district', registered: 0 }),
  ];
  const s = campaignStandingOf(counts, quotas);

  it('lists the agencies still short first, by how much, then departments before districts', () => {
    expect(s.agencies.map((a) => [a.code, a.shortBy])).toEqual([
      ['quan-c', 2],
      ['so-b', 1],
      ['quan-a', 1],
      ['so-a', 0],
      ['so-c', 0],
      ['quan-b', 0],
    ]);
  });

  it('adds up the quotas, and an agency’s surplus does not make up another’s gap', () => {
    expect(s.total).toEqual({
      agencies: 6,
      met: 3,
      short: 3,
      required: 9,
      registered: 8,
      countedTowardQuota: 5,
      reported: 5,
    });
  });

  it('adds up per kind, departments first', () => {
    expect(
      s.byKind.map((k) => [k.kind, k.tally.countedTowardQuota, k.tally.required, k.tally.reported]),
    ).toEqual([
      ['department', 2, 3, 3],
      ['district', 3, 6, 2],
    ]);
  });
});

describe('communes and wards', () => {
  const counts = [
    agency({ code: 'huyen-a', kind: 'district', registered: 1 }),
    agency({ code: 'xa-1', kind: 'commune', registered: 1, reported: 1, parentId: 'huyen-a' }),
    agency({ code: 'phuong-2', kind: 'ward', registered: 2, parentId: 'huyen-a' }),
  ];
  it('count toward their district where the campaign has districts, and are listed under it', () => {
    const s = campaignStandingOf(counts, quotas);
    expect(s.agencies.map((a) => [a.code, a.registered, a.reported, a.required, a.met])).toEqual([
      ['huyen-a', 4, 1, 2, true],
    ]);
    expect(s.agencies[0]?.members.map((m) => [m.code, m.registered])).toEqual([
      ['xa-1', 1],
      ['phuong-2', 2],
    ]);
  });
  it('count for themselves where the campaign has no district level', () => {
    const s = campaignStandingOf(counts, { department: 1, commune: 1, ward: 1 });
    expect(s.agencies.map((a) => a.code).sort()).toEqual(['huyen-a', 'phuong-2', 'xa-1']);
    expect(s.agencies.find((a) => a.code === 'phuong-2')?.registered).toBe(2);
  });
});
