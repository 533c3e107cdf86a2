import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataFiles } from '../../src/ops/project-root.js';
import { agencyById, campaignFor, parserRegistry } from '../../src/registry/reference/reference-data.js';
import { importAgencyRegistry, loadCampaignFile } from '../../src/registry/reference/registry-files.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

describe('the registry and campaigns the jobs read once a minute', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('reference_data');
    await importAgencyRegistry(t.db, defaultDataFiles().registry);
    await loadCampaignFile(t.db, defaultDataFiles().campaign);
  });
  afterAll(() => t.drop());

  it('still find an agency or a campaign imported after they were read', async () => {
    const july2021 = new Date('2021-07-20T03:00:00Z');
    expect((await campaignFor({ db: t.db }, 2021, july2021))?.year).toBe(2021);
    const before = (await parserRegistry(t.db)).length;
    expect(before).toBeGreaterThan(0);

    const added = await t.db
      .insertInto('agencies')
      .values({ code: 'so-moi', name: 'Sở Mới', kind: 'department' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const campaign2030 = await t.db
      .insertInto('campaigns')
      .values({
        code: 'test-2030',
        year: 2030,
        name: 'Sáng kiến CCHC 2030',
        inbox_address: 'cchc@hanoi.gov.vn',
        registration_deadline: '2030-07-31',
        results_deadline: '2030-11-30',
        reminder_offsets_days: [7, 1],
        overdue_offsets_days: [1],
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    expect((await agencyById({ db: t.db }, added.id))?.code).toBe('so-moi');
    expect((await campaignFor({ db: t.db }, 2030, july2021))?.id).toBe(campaign2030.id);
    // A form without a year still goes to the campaign of the year the mail arrived.
    expect((await campaignFor({ db: t.db }, null, july2021))?.year).toBe(2021);
  });
});
