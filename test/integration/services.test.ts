import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { Redis } from 'ioredis';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { alive, PrivateServices } from '../helpers/private-services.js';

// A second, private set of services on other ports and in another folder, so this test can start them from
// nothing and stop them again while the suite's own services keep running.
const services = new PrivateServices({ pg: 54339, redis: 6391, imap: 1144, smtp: 2526 });
const { ports, dir } = services;
const NAMES = ['pg', 'redis', 'dovecot', 'smtp'] as const;

describe('local services script', () => {
  const pids: number[] = [];
  afterAll(() => services.destroy());

  it('brings every service up from nothing, and running it twice is fine', async () => {
    await services.run('up');
    await services.run('up');
    for (const name of NAMES) pids.push(services.pidOf(name));
    expect(pids.every(alive)).toBe(true);
    const status = await services.run('status');
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

  it('captures what is sent over SMTP as an .eml file a person can read, with its envelope', async () => {
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
    const envelopes = readFileSync(join(dir, 'smtp/outbox/envelopes.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const envelope = envelopes.find((e) => e.file === eml);
    expect(envelope?.from).toBe('phongcchc_sonv@hanoi.gov.vn');
    expect(envelope?.to).toEqual(['vanthu_sotp@hanoi.gov.vn']);
    expect(readFileSync(join(dir, 'smtp/outbox', String(eml)), 'utf8')).toContain('Subject:');
  });

  it('brings everything down, leaving no process behind', async () => {
    await services.run('down');
    expect(pids.filter(alive)).toEqual([]);
    await expect(services.run('status')).rejects.toMatchObject({ code: 3 });
  });

  it('brings PostgreSQL up alone, as the operations tier needs it, and takes it down alone', async () => {
    await services.run('up', 'pg');
    const pid = services.pidOf('pg');
    expect(alive(pid)).toBe(true);
    expect((await services.run('status', 'pg')).stdout).toMatch(/^pg\s+running$/m);
    await expect(services.run('status')).rejects.toMatchObject({
      code: 3,
      stdout: expect.stringMatching(/redis\s+stopped[\s\S]*dovecot\s+stopped[\s\S]*smtp\s+stopped/),
    });
    await services.run('down', 'pg');
    expect(alive(pid)).toBe(false);
  });
});
