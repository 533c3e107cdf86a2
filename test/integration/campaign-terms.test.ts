import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { defaultDataFiles } from '../../src/ops/project-root.js';
import { planReminders } from '../../src/registry/letters/reminders.js';
import { cli } from '../helpers/cli.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { fixture } from '../helpers/paths.js';

// The campaign file's calendar, extensions and exemptions, loaded through the CLI as staff load them.

describe('a campaign file with its calendar, extensions and exemptions', () => {
  let t: TestDatabase;
  let file: string;
  beforeAll(async () => {
    t = await createTestDatabase('campaign_terms');
    expect((await cli(t.url, 'agencies', 'import', fixture('agencies-hanoi-2021.csv'))).code).toBe(0);
    file = join(await mkdtemp(join(tmpdir(), 'reform-terms-')), 'campaign.yaml');
    writeFileSync(
      file,
      readFileSync(defaultDataFiles().campaign, 'utf8')
        .replace(
          /^extensions: \{\}$/m,
          'extensions:\n  so-y-te: { registration: 16/08/2021, results: 2021-12-15 }',
        )
        .replace(/^exempt: \[\]$/m, 'exempt: [huyen-ba-vi, so-ngoai-vu]'),
    );
  });
  afterAll(() => t.drop());

  const campaignRow = () =>
    t.db.selectFrom('campaigns').select(['calendar', 'agency_terms', 'updated_at']).executeTakeFirstOrThrow();

  it('keeps the holidays, the extensions and the exemptions, and a second load changes nothing', async () => {
    expect((await cli(t.url, 'campaign', 'load', file, '--json')).stdout).toContain('"changed":true');
    const first = await campaignRow();
    expect(first.calendar).toEqual({
      holidays: [
        '2021-01-01',
        '2021-02-10',
        '2021-02-11',
        '2021-02-12',
        '2021-02-13',
        '2021-02-14',
        '2021-02-15',
        '2021-02-16',
        '2021-04-21',
        '2021-04-30',
        '2021-05-01',
        '2021-05-03',
        '2021-09-02',
        '2021-09-03',
      ],
      working_saturdays: [],
      extend_to_next_working_day: true,
    });
    expect(first.agency_terms).toEqual({
      'so-y-te': { registration: '2021-08-16', results: '2021-12-15' },
      'huyen-ba-vi': { exempt: true },
      'so-ngoai-vu': { exempt: true },
    });

    expect((await cli(t.url, 'campaign', 'load', file, '--json')).stdout).toContain('"changed":false');
    expect(await campaignRow()).toEqual(first);
    const list = JSON.parse((await cli(t.url, 'campaign', 'list', '--json')).stdout);
    expect(list[0]).toMatchObject({ agency_terms: first.agency_terms, calendar: first.calendar });
  });

  it('requires nothing of an exempt agency and says so in the status', async () => {
    const status = JSON.parse((await cli(t.url, 'status', '--json')).stdout);
    const of = (code: string) => status.agencies.find((a: { agency: string }) => a.agency === code);
    expect(of('huyen-ba-vi')).toMatchObject({ quota: 0, short_by: 0, exempt: true });
    expect(of('huyen-dong-anh')).toMatchObject({ quota: 2, short_by: 2, exempt: false, late: 0 });
    const text = (await cli(t.url, 'status')).stdout;
    expect(text).toContain('registration by 31/7/2021 (a day off: on time until 02/8/2021)');
    expect(text).toMatch(/UBND huyện Ba Vì\s+district\s+exempt/);
  });

  it('reminds an agency with an extension on its own dates, and no exempt agency at all', async () => {
    const deps = { db: t.db, config: loadConfig({ DATABASE_URL: t.url, LOG_LEVEL: 'silent' }) };
    const on = (day: string) => planReminders(deps, new Date(`${day}T09:00:00+07:00`));
    // Sunday 1/8 is a day off, and registrations are on time until the end of Monday 2/8 (31/7 was a Saturday):
    // the campaign's overdue notice goes out on Tuesday 3/8, while so-y-te is still reminded of its own 16/8.
    expect(await on('2021-08-01')).toEqual([]);
    expect((await on('2021-08-02')).find((p) => p.agency === 'so-tu-phap')).toBeUndefined();
    expect((await on('2021-08-02')).find((p) => p.agency === 'so-y-te')).toMatchObject({
      kind: 'reminder',
      offset: 14,
      deadline: '2021-08-16',
    });
    const third = await on('2021-08-03');
    expect(third.find((p) => p.agency === 'so-tu-phap')).toMatchObject({ kind: 'overdue' });
    expect(third.find((p) => p.agency === 'so-y-te')).toMatchObject({ kind: 'reminder', offset: 14 });
    expect(third.find((p) => p.agency === 'huyen-ba-vi')).toBeUndefined();
    expect((await on('2021-08-17')).find((p) => p.agency === 'so-y-te')).toMatchObject({
      kind: 'overdue',
      deadline: '2021-08-16',
    });
  });

  it('refuses a file whose extension names a date that does not exist, naming the field', async () => {
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(/^( {2}so-y-te: \{ registration: )16\/08\/2021/m, '$132/08/2021'),
    );
    const r = await cli(t.url, 'campaign', 'load', file);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('extensions.so-y-te.registration');
  });
});
