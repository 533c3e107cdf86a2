import { existsSync, mkdirSync, statSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startParserWorkers } from '../../src/jobs/parser-workers.js';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS } from '../helpers/browser.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import { waitFor } from '../helpers/wait-for.js';

// A real browser (Debian's chromium) on the operators' dashboard and on the emails people receive.
const artifacts = ARTIFACTS;
const ARGS = CHROMIUM_ARGS;

describe('in a browser', () => {
  const env = new PipelineEnv('browser', { ADMIN_USER: 'operator', ADMIN_PASSWORD: 'correct-horse' });
  let server: Server;
  let base = '';
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    mkdirSync(artifacts, { recursive: true });
    await env.setUp();
    server = await listen(createOpsApp(env.runtime), '127.0.0.1', 0);
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => server?.close(r));
    await env.tearDown();
  });

  it('logs in to the queue dashboard, sees the queues, opens a failed job', async () => {
    // A job that fails for good: a parse job whose payload is not an attachment id.
    const workers = startParserWorkers(env.runtime.redis, env.runtime);
    await env.runtime.queues.parse.add(
      'parse',
      { attachmentId: 'not-a-number' },
      { jobId: 'broken-job', attempts: 1 },
    );
    await waitFor(async () => (await env.runtime.queues.parse.getFailedCount()) > 0, {
      what: 'the job to fail',
    });
    await workers.close();

    expect((await fetch(`${base}/admin/queues`)).status).toBe(401);

    const context = await browser.newContext({
      httpCredentials: { username: 'operator', password: 'correct-horse' },
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    await page.goto(`${base}/admin/queues`);
    for (const name of ['parse', 'acknowledge', 'schedule'])
      await page.getByText(name, { exact: true }).first().waitFor();
    await page.screenshot({ path: join(artifacts, 'bull-board-queues.png'), fullPage: true });

    await page.goto(`${base}/admin/queues/queue/parse?status=failed`);
    await page.getByText('broken-job').first().waitFor();
    await page.getByText('bad parse payload').first().waitFor();
    await page.screenshot({ path: join(artifacts, 'bull-board-failed-job.png'), fullPage: true });
    await context.close();
    expect(statSync(join(artifacts, 'bull-board-failed-job.png')).size).toBeGreaterThan(10_000);
  }, 60_000);

  it('renders each email legibly at phone and desktop widths', async () => {
    const { renderer } = env.runtime;
    const office = 'Sở Nội vụ Hà Nội - Phòng Cải cách hành chính';
    const mails = {
      acknowledgement: renderer.render('acknowledgement', {
        office,
        heading: 'Xác nhận đã nhận hồ sơ',
        agencyName: 'Sở Tư pháp',
        receivedAt: '09:14 26/07/2021',
        subjectLine: 'Đăng ký sáng kiến CCHC năm 2021 - Sở Tư pháp',
        documentName: 'Biểu đăng ký sáng kiến CCHC',
        reference: 'CCHC-2021-00001',
        files: [
          {
            filename: 'Biểu đăng ký sáng kiến CCHC 2021 - Sở Tư pháp.docx',
            outcome: 'registration',
            reference: 'CCHC-2021-00001',
            initiatives: [
              {
                title: 'Ứng dụng mã QR tra cứu tình trạng giải quyết hồ sơ cấp Phiếu lý lịch tư pháp',
                timeline: 'Tháng 8/2021 - tháng 11/2021',
              },
            ],
          },
          {
            filename: 'Biểu đăng ký (macro).docm',
            outcome: 'rejected',
            advice: 'Tệp có chứa macro (.docm) nên không được mở vì lý do an toàn.',
          },
        ],
        standing: {
          agencyName: 'Sở Tư pháp',
          campaignName: 'đợt đăng ký năm 2021',
          registered: 1,
          required: 1,
          shortBy: 0,
          met: true,
          deadline: '31/07/2021',
        },
        inboxAddress: 'phongcchc_sonv@hanoi.gov.vn',
      }),
      reminder: renderer.render('reminder', {
        office,
        heading: 'Nhắc hạn gửi hồ sơ sáng kiến CCHC',
        agencyName: 'UBND huyện Thanh Trì',
        kindLabel: 'UBND quận, huyện, thị xã',
        year: 2021,
        deadline: '31/07/2021',
        daysLeft: 7,
        required: 2,
        registered: 0,
        shortBy: 2,
        inboxAddress: 'phongcchc_sonv@hanoi.gov.vn',
      }),
      digest: renderer.render('digest', {
        office,
        heading: 'Tổng hợp tình hình sáng kiến CCHC năm 2021',
        today: '29/07/2021',
        year: 2021,
        inboxAddress: 'phongcchc_sonv@hanoi.gov.vn',
        deadlines: [{ label: 'Hạn đăng ký', date: '31/07/2021', daysLeft: 2, passed: false, overdueBy: -2 }],
        progress: [
          { label: 'Tất cả cơ quan, đơn vị', done: 9, total: 82, pct: 11, rest: 89, color: '#b91c1c' },
          { label: 'Sở, ban, ngành', done: 3, total: 22, pct: 14, rest: 86, color: '#b91c1c' },
        ],
        newSubmissions: [
          {
            reference: 'CCHC-2021-00001',
            agency: 'Sở Tư pháp',
            what: 'Biểu đăng ký, 1 sáng kiến',
            status: 'đã tiếp nhận',
          },
        ],
        review: {
          count: 1,
          messages: [
            {
              from: 'hoangmai.gialam@gmail.com',
              subject: 'Gửi biểu đăng ký',
              why: 'người gửi chưa có trong danh sách',
            },
          ],
          files: [],
          results: [],
        },
        agencies: [{ name: 'UBND huyện Ba Vì', quota: 2, registered: 0, reported: 0, shortBy: 2, last: '' }],
        short: 46,
        total: 52,
      }),
    };
    for (const [name, mail] of Object.entries(mails)) {
      for (const [label, width] of [
        ['phone', 390],
        ['desktop', 1280],
      ] as const) {
        const page = await browser.newPage({ viewport: { width, height: 900 } });
        await page.setContent(mail.html, { waitUntil: 'load' });
        // Nothing runs off the side of a phone screen.
        const overflow = await page.evaluate<number>(
          'document.documentElement.scrollWidth - window.innerWidth',
        );
        expect(overflow, `${name} at ${width}px`).toBeLessThanOrEqual(1);
        expect(await page.textContent('body')).toContain('Phòng Cải cách hành chính');
        await page.screenshot({ path: join(artifacts, `${name}-${label}.png`), fullPage: true });
        await page.close();
      }
    }
  }, 60_000);
});
