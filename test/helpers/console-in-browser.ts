import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createOpsApp, listen } from '../../src/ops/http/server.js';
import { addStaffAccount } from '../../src/staff/staff-accounts.js';
import { ARTIFACTS, CHROMIUM, CHROMIUM_ARGS } from './browser.js';
import { fixture } from './paths.js';
import { PipelineEnv } from './pipeline-env.js';

/** A clerk with an account on the console. */
interface Clerk {
  username: string;
  displayName: string;
  password: string;
}

const LAN: Clerk = { username: 'lan', displayName: 'Nguyễn Thị Lan', password: 'mật khẩu của Lan' };

/**
 * The staff console on a running pipeline, in a real browser (Debian's chromium): `start` runs the pipeline (mail
 * is delivered between `start` and `open`), `open` adds the clerk's account, serves the console and starts the
 * browser, `close` stops everything.
 */
export class ConsoleInBrowser {
  readonly env: PipelineEnv;
  base = '';
  browser!: Browser;
  private server?: Server;

  constructor(
    name: string,
    readonly clerk: Clerk = LAN,
  ) {
    this.env = new PipelineEnv(name);
  }

  /**
   * Start the pipeline, let it take in the test's mail — fixture mails by name (`test/fixtures/emails`), or what
   * `deliver` puts in the inbox — once all of it is handled, open the console and the browser.
   */
  async start(mail: readonly string[] | ((env: PipelineEnv) => Promise<void>)): Promise<void> {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (.ci/run does)`);
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.env.start();
    if (typeof mail === 'function') await mail(this.env);
    else
      await this.env.deliverAllAndSettle(
        mail.map((name) => readFileSync(fixture('emails', name))),
        90_000,
      );
    await addStaffAccount(this.env.database.db, this.clerk);
    this.server = await listen(createOpsApp(this.env.runtime), '127.0.0.1', 0);
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }

  async close(): Promise<void> {
    await this.browser?.close();
    const server = this.server;
    if (server) await new Promise((r) => server.close(r));
    await this.env.tearDown();
  }

  /** Signs the clerk in on this page, from wherever it is. */
  async signIn(page: Page): Promise<void> {
    await page.goto(`${this.base}/login`);
    await page.getByLabel('Tên đăng nhập').fill(this.clerk.username);
    await page.getByLabel('Mật khẩu').fill(this.clerk.password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByRole('heading', { name: /Tổng quan/ }).waitFor();
  }

  /** A phone's screen (390×844, touch), the clerk signed in. */
  async onPhone(): Promise<Page> {
    const context = await this.browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'vi-VN',
    });
    const page = await context.newPage();
    await this.signIn(page);
    return page;
  }

  /** A new browser window of this size, the clerk signed in. */
  async signedIn(width = 1366, height = 768): Promise<Page> {
    const context = await this.browser.newContext({ viewport: { width, height }, locale: 'vi-VN' });
    const page = await context.newPage();
    await this.signIn(page);
    return page;
  }
}
