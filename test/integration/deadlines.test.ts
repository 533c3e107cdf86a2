import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDataFiles } from '../../src/ops/project-root.js';
import { resolveCampaign } from '../../src/registry/reference/campaigns.js';
import { loadCampaignFile } from '../../src/registry/reference/registry-files.js';
import { campaignStanding } from '../../src/registry/views/campaign-standing.js';
import { reportFile } from '../../src/registry/views/report.js';
import { cli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';

// On time or late, through the real poller, parser and workers, with the shipped 2021 Hanoi campaign: its
// registration deadline, Saturday 31/7/2021, ends with Monday 2/8/2021 (Civil Code art. 148).

const email = (name: string) => readFileSync(fixture('emails', name));
/** A moment given as local time in Hanoi (UTC+7). */
const hanoi = (iso: string) => new Date(`${iso}+07:00`);

describe('forms received after their deadline', () => {
  // The mails arrive (IMAP INTERNALDATE) in 2021: acknowledge them all the same.
  const env = new PipelineEnv('deadlines', { IMAP_MAX_ACK_AGE_DAYS: '100000' });
  const db = () => env.database.db;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'reform-deadlines-'));
    await env.start();
    // Sở Tư pháp one minute after the deadline; Sở TT&TT at 23:59 on the Monday, still on time.
    const uids = [
      await env.deliver(email('01-so-tu-phap-dang-ky.eml'), hanoi('2021-08-03T00:01:00')),
      await env.deliver(email('08-so-tttt-dang-ky.eml'), hanoi('2021-08-02T23:59:00')),
    ];
    await env.settle(uids);
  }, 120_000);
  afterAll(() => env.tearDown());

  const submissionOf = (code: string) =>
    db()
      .selectFrom('submissions')
      .innerJoin('agencies', 'agencies.id', 'submissions.agency_id')
      .select(['submissions.status', 'submissions.late', 'submissions.received_at'])
      .where('agencies.code', '=', code)
      .executeTakeFirstOrThrow();

  it('marks a registration one minute after the deadline late, and one at 23:59 on the Monday on time', async () => {
    expect(await submissionOf('so-tu-phap')).toMatchObject({ status: 'active', late: true });
    expect(await submissionOf('so-thong-tin-truyen-thong')).toMatchObject({ status: 'active', late: false });
  });

  it('still counts the late form toward the quota, and shows it late in the status and the report', async () => {
    const campaign = await resolveCampaign(db());
    const standing = await campaignStanding(db(), campaign.id);
    expect(standing.agencies.find((a) => a.code === 'so-tu-phap')).toMatchObject({
      registered: 1,
      met: true,
      late: 1,
    });
    const status = JSON.parse((await cli(env.database.url, 'status', '--json')).stdout);
    expect(status.agencies.find((a: { agency: string }) => a.agency === 'so-tu-phap')).toMatchObject({
      registered: 1,
      late: 1,
    });
    const { bytes } = await reportFile(db(), campaign, 'xlsx', new Date());
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const cells: string[][] = [];
    wb.getWorksheet('Sáng kiến')?.eachRow((row) => {
      cells.push((row.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    const header = cells.find((r) => r[0] === 'STT') ?? [];
    const column = header.indexOf('Thời hạn gửi');
    expect(column).toBeGreaterThan(0);
    expect(cells.filter((r) => /^\d+$/.test(r[0] ?? '')).map((r) => [r[1], r[column]])).toEqual(
      expect.arrayContaining([
        ['Sở Tư pháp', 'Gửi sau hạn'],
        ['Sở Thông tin và Truyền thông', 'Đúng hạn'],
      ]),
    );
  });

  it('tells the late sender the form came after the deadline and still counts', async () => {
    const [ack] = env.smtp.inbox('vanthu_sotp@hanoi.gov.vn');
    expect(ack?.parsed.text).toContain('Biểu đăng ký được gửi sau hạn (thời hạn: chậm nhất ngày 31/7/2021)');
    expect(ack?.parsed.text).toContain('vẫn tiếp nhận và tính vào số lượng đăng ký');
    expect(ack?.parsed.html).toContain('được gửi sau hạn');
    const [onTime] = env.smtp.inbox('vanthu_sotttt@hanoi.gov.vn');
    expect(onTime?.parsed.text).toBeTruthy();
    expect(onTime?.parsed.text).not.toContain('sau thời hạn');
  });

  it('decides the forms again when a changed campaign file gives the agency an extension', async () => {
    const shipped = readFileSync(defaultDataFiles().campaign, 'utf8');
    const file = join(dir, 'campaign.yaml');
    writeFileSync(
      file,
      shipped.replace(/^extensions: \{\}$/m, 'extensions:\n  so-tu-phap: { registration: 05/08/2021 }'),
    );
    expect(await loadCampaignFile(db(), file)).toMatchObject({ changed: true });
    expect(await submissionOf('so-tu-phap')).toMatchObject({ status: 'active', late: false });
    const campaign = await resolveCampaign(db());
    expect(
      (await campaignStanding(db(), campaign.id)).agencies.find((a) => a.code === 'so-tu-phap')?.late,
    ).toBe(0);
    // The shipped file again: the extension is gone and the form is late once more.
    expect(await loadCampaignFile(db(), defaultDataFiles().campaign)).toMatchObject({ changed: true });
    expect(await submissionOf('so-tu-phap')).toMatchObject({ late: true });
  });
});
