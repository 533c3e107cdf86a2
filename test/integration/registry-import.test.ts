import { writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaffAddress, findAgencyByAddress } from '../../src/db/agency.repository.js';
import { cli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixture } from '../helpers/paths.js';

async function counts(t: TestDatabase) {
  const n = async (table: 'agencies' | 'agency_addresses' | 'campaigns' | 'campaign_quotas') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    agencies: await n('agencies'),
    addresses: await n('agency_addresses'),
    campaigns: await n('campaigns'),
    quotas: await n('campaign_quotas'),
  };
}

describe('agency registry and campaign import', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('registry');
    dir = await mkdtemp(join(tmpdir(), 'reform-registry-'));
  });
  afterAll(() => t.drop());

  it('imports the registry and the campaign, and a second import changes nothing', async () => {
    const first = await cli(t.url, 'agencies', 'import', fixture('agencies-hanoi-2021.csv'), '--json');
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ rows: 52, created: 52, addressesAdded: 52 });
    const campaignFile = join(dir, 'campaign.yaml');
    writeFileSync(
      campaignFile,
      [
        'code: hanoi-2021',
        'year: 2021',
        'name: Sáng kiến CCHC 2021',
        'inbox_address: phongcchc_sonv@hanoi.gov.vn',
        'registration_deadline: 31/07/2021',
        'results_deadline: 30/11/2021',
        'quotas: { department: 1, district: 2 }',
      ].join('\n'),
    );
    expect((await cli(t.url, 'campaign', 'load', campaignFile, '--json')).stdout).toContain('"changed":true');
    const after1 = await counts(t);

    const second = await cli(t.url, 'agencies', 'import', fixture('agencies-hanoi-2021.csv'), '--json');
    expect(JSON.parse(second.stdout)).toMatchObject({
      rows: 52,
      created: 0,
      updated: 0,
      unchanged: 52,
      addressesAdded: 0,
    });
    expect((await cli(t.url, 'campaign', 'load', campaignFile, '--json')).stdout).toContain(
      '"changed":false',
    );
    expect(await counts(t)).toEqual(after1);
    expect(after1).toEqual({ agencies: 52, addresses: 52, campaigns: 1, quotas: 2 });

    const sender = await findAgencyByAddress(t.db, 'VanThu_SoTP@hanoi.gov.vn');
    expect(sender).toMatchObject({ code: 'so-tu-phap', name: 'Sở Tư pháp', kind: 'department' });

    const list = JSON.parse((await cli(t.url, 'campaign', 'list', '--json')).stdout);
    expect(list).toEqual([
      expect.objectContaining({
        code: 'hanoi-2021',
        registration_deadline: '2021-07-31',
        results_deadline: '2021-11-30',
        quotas: { department: 1, district: 2 },
      }),
    ]);
  });

  it('updates a changed campaign: its deadlines and its quotas follow the file', async () => {
    const file = join(dir, 'campaign-2.json');
    writeFileSync(
      file,
      JSON.stringify({
        code: 'hanoi-2021',
        year: 2021,
        name: 'Sáng kiến CCHC 2021',
        inbox_address: 'phongcchc_sonv@hanoi.gov.vn',
        registration_deadline: '2021-08-15',
        results_deadline: '2021-11-30',
        quotas: { department: 2 },
      }),
    );
    expect((await cli(t.url, 'campaign', 'load', file)).stdout).toContain('loaded');
    const [c] = JSON.parse((await cli(t.url, 'campaign', 'list', '--json')).stdout);
    expect(c.registration_deadline).toBe('2021-08-15');
    expect(c.quotas).toEqual({ department: 2 });
  });

  it('imports nothing from a CSV with a bad row, and names the line', async () => {
    const before = await counts(t);
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      'code,name,kind,quota,email\r\nxa-moi,UBND xã Mới,commune,2,xamoi@hanoi.gov.vn\r\nphuong-x,UBND phường X,ward,2,not-an-email\r\n',
    );
    const r = await cli(t.url, 'agencies', 'import', bad);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('line 3');
    expect(r.stderr).toContain('email');
    expect(r.stderr.split('\n')).toHaveLength(1);
    expect(await counts(t)).toEqual(before);
    expect(await findAgencyByAddress(t.db, 'xamoi@hanoi.gov.vn')).toBeUndefined();
  });

  it('reports a missing file and a bad campaign file without touching the database', async () => {
    const before = await counts(t);
    expect((await cli(t.url, 'agencies', 'import', join(dir, 'nope.csv'))).stderr).toContain('cannot read');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'year: 2021\nname: x\n');
    const r = await cli(t.url, 'campaign', 'load', bad);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('inbox_address');
    expect(await counts(t)).toEqual(before);
  });

  it('moves an address to the agency the newer registry lists it under', async () => {
    const moved = join(dir, 'moved.csv');
    writeFileSync(
      moved,
      'code,name,kind,quota,email\nso-noi-vu,Sở Nội vụ,department,1,vanthu_sotp@hanoi.gov.vn\n',
    );
    const r = JSON.parse((await cli(t.url, 'agencies', 'import', moved, '--json')).stdout);
    expect(r).toMatchObject({ unchanged: 1, addressesMoved: 1 });
    expect(await findAgencyByAddress(t.db, 'vanthu_sotp@hanoi.gov.vn')).toMatchObject({ code: 'so-noi-vu' });
  });

  it('keeps what staff added on a new import, and takes out what the file no longer holds only with --prune', async () => {
    // The full registry again (the test before moved an address), then an address a person remembered.
    await cli(t.url, 'agencies', 'import', fixture('agencies-hanoi-2021.csv'));
    const gialam = await t.db
      .selectFrom('agencies')
      .select('id')
      .where('code', '=', 'huyen-gia-lam')
      .executeTakeFirstOrThrow();
    await addStaffAddress(t.db, gialam.id, 'hoangmai.gialam@gmail.com', 'Nguyễn Thị Hoa');
    const two = join(dir, 'two.csv');
    writeFileSync(
      two,
      'code,name,kind,quota,email\nso-noi-vu,Sở Nội vụ,department,1,vanthu_sonv@hanoi.gov.vn\n' +
        'huyen-gia-lam,UBND huyện Gia Lâm,district,2,vanthu_gialam@hanoi.gov.vn\n',
    );
    const kept = JSON.parse((await cli(t.url, 'agencies', 'import', two, '--json')).stdout);
    expect(kept).toMatchObject({ rows: 2, pruned: null });
    expect(await findAgencyByAddress(t.db, 'hoangmai.gialam@gmail.com')).toMatchObject({
      code: 'huyen-gia-lam',
    });
    expect(await findAgencyByAddress(t.db, 'vanthu_sotp@hanoi.gov.vn')).toMatchObject({ code: 'so-tu-phap' });

    const r = await cli(t.url, 'agencies', 'import', two, '--prune');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /pruned: 51 address\(es\) removed \(1 added by staff\), 50 agenc\(ies\) made inactive/,
    );
    expect(await findAgencyByAddress(t.db, 'hoangmai.gialam@gmail.com')).toBeUndefined();
    expect(await findAgencyByAddress(t.db, 'vanthu_sonv@hanoi.gov.vn')).toMatchObject({ code: 'so-noi-vu' });
    const active = await t.db
      .selectFrom('agencies')
      .select('code')
      .where('active', '=', true)
      .orderBy('code')
      .execute();
    expect(active.map((a) => a.code)).toEqual(['huyen-gia-lam', 'so-noi-vu']);
    // Inactive, not deleted: an agency the file lists again comes back.
    await cli(t.url, 'agencies', 'import', fixture('agencies-hanoi-2021.csv'));
    expect(
      await t.db.selectFrom('agencies').select('code').where('active', '=', true).execute(),
    ).toHaveLength(52);
  });
});
