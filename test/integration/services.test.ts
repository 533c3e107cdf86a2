import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ImapFlow } from 'imapflow';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { servicesScript } from '../helpers/paths.js';

const run = promisify(execFile);

// A second, private set of services on other ports and in another folder, so this test can start them from
// nothing and stop them again while the suite's own services keep running.
const dir = mkdtempSync('/var/tmp/reform-services-test-');
const ports = { pg: 54339, redis: 6391, imap: 1144, smtp: 2526 };
const env = {
  ...process.env,
  REFORM_DATA_DIR: dir,
  REFORM_PG_PORT: String(ports.pg),
  REFORM_REDIS_PORT: String(ports.redis),
  REFORM_IMAP_PORT: String(ports.imap),
  REFORM_SMTP_PORT: String(ports.smtp),
};
const services = (cmd: string) => run('bash', [servicesScript, cmd], { env });

function pidFiles(): string[] {
  return [
    join(dir, 'postgres/data/postmaster.pid'),
    join(dir, 'redis/redis.pid'),
    join(dir, 'dovecot/run/master.pid'),
    join(dir, 'smtp/sink.pid'),
  ];
}
function alive(pid: number): boolean {
  try {
    // A zombie waiting to be reaped has stopped: read its state rather than trusting kill(0).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) Z/.test(stat);
  } catch {
    return false;
  }
}

describe('local services script', () => {
  const pids: number[] = [];
  afterAll(async () => {
    await services('down').catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('brings every service up from nothing, and running it twice is fine', async () => {
    await services('up');
    await services('up');
    for (const f of pidFiles()) pids.push(Number(readFileSync(f, 'utf8').split('\n')[0]));
    expect(pids.every(alive)).toBe(true);
    const status = await services('status');
    expect(status.stdout).toMatch(
      /pg\s+running[\s\S]*redis\s+running[\s\S]*dovecot\s+running[\s\S]*smtp\s+running/,
    );
  });

  it('answers SQL on PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: `postgres://reform@127.0.0.1:${ports.pg}/reform` });
    await client.connect();
    const r = await client.query('select 1 + 1 as two');
    await client.end();
    expect(r.rows[0].two).toBe(2);
  });

  it('answers PING on Redis', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: ports.redis, maxRetriesPerRequest: null });
    expect(await redis.ping()).toBe('PONG');
    await redis.quit();
  });

  it('lets the reform inbox log in over IMAP, take a message and give it back', async () => {
    const client = new ImapFlow({
      host: '127.0.0.1',
      port: ports.imap,
      secure: false,
      doSTARTTLS: false,
      auth: { user: 'phongcchc_sonv', pass: 'reform-dev' },
      logger: false,
    });
    await client.connect();
    const raw =
      'From: vanthu_sotp@hanoi.gov.vn\r\nTo: phongcchc_sonv@hanoi.gov.vn\r\nSubject: Dang ky\r\nMessage-ID: <t1@test>\r\n\r\nXin gui.\r\n';
    const appended = await client.append('INBOX', raw);
    const uid = appended ? appended.uid : 0;
    expect(uid).toBeGreaterThan(0);
    const lock = await client.getMailboxLock('INBOX');
    try {
      const msg = await client.fetchOne(String(uid), { envelope: true, source: true }, { uid: true });
      expect(msg ? msg.envelope?.subject : undefined).toBe('Dang ky');
      expect(msg ? msg.source?.toString() : undefined).toContain('Xin gui.');
    } finally {
      lock.release();
    }
    const folders = (await client.list()).map((f) => f.path);
    expect(folders).toEqual(expect.arrayContaining(['INBOX', 'Processed', 'Needs review']));
    await client.logout();
  });

  it('captures what is sent over SMTP as an .eml file a person can read', async () => {
    const transport = nodemailer.createTransport({
      host: '127.0.0.1',
      port: ports.smtp,
      secure: false,
      ignoreTLS: true,
    });
    await transport.sendMail({
      from: 'phongcchc_sonv@hanoi.gov.vn',
      to: 'vanthu_sotp@hanoi.gov.vn',
      subject: 'Xác nhận đã nhận biểu đăng ký',
      text: 'Phòng CCHC đã nhận được biểu đăng ký.',
    });
    transport.close();
    const files = readdirSync(join(dir, 'smtp/outbox'));
    const eml = files.find((f) => f.endsWith('.eml'));
    expect(eml).toBeDefined();
    expect(files).toContain(eml?.replace(/\.eml$/, '.json'));
    const envelope = JSON.parse(
      readFileSync(join(dir, 'smtp/outbox', String(eml).replace(/\.eml$/, '.json')), 'utf8'),
    );
    expect(envelope.to).toEqual(['vanthu_sotp@hanoi.gov.vn']);
    expect(readFileSync(join(dir, 'smtp/outbox', String(eml)), 'utf8')).toContain('Subject:');
  });

  it('brings everything down, leaving no process behind', async () => {
    await services('down');
    expect(pids.filter(alive)).toEqual([]);
    await expect(services('status')).rejects.toMatchObject({ code: 3 });
  });
});
