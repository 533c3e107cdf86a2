import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_STORED_ATTACHMENTS } from '../../src/domain/intake-limits.js';
import { stopProcess } from '../helpers/child-process.js';
import { folderCounts } from '../helpers/imap.js';
import { fixture, projectDir } from '../helpers/paths.js';
import { PipelineEnv } from '../helpers/pipeline-env.js';
import {
  deeplyNestedMail,
  mailWithFiles,
  mailWithManyFiles,
  tnefWithFiles,
  tnefWithTruncatedPropertyList,
} from '../helpers/poison-mail.js';
import { waitFor } from '../helpers/wait-for.js';

/** A worker process whose JSON log lines are kept, to look for fatal (level 60) ones. */
function spawnLogged(name: 'poller' | 'parser' | 'mailer', env: Record<string, string>) {
  const child = spawn('node', ['--import', 'tsx', `workers/${name}.ts`], {
    cwd: projectDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      ...env,
      LOG_PRETTY: 'false',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: { level: number; msg?: string; [k: string]: unknown }[] = [];
  // pino writes JSON lines to stderr; anything else (a crash's stack) is kept as a line of level 0.
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts.filter((l) => l.trim())) {
        try {
          lines.push(JSON.parse(line));
        } catch {
          lines.push({ level: 0, msg: line });
        }
      }
    });
  }
  return { name, child, lines };
}

const sender = 'vanthu@example.org';
const id = (n: string) => `<poison-${n}@example.org>`;
const tnef = 'application/ms-tnef';

describe('poison mail: a batch of hostile messages never holds up the good one after it', () => {
  const env = new PipelineEnv('poison', { IMAP_POLL_INTERVAL_SECONDS: '1' });
  const processes: ReturnType<typeof spawnLogged>[] = [];
  const good = readFileSync(fixture('emails', '01-so-tu-phap-dang-ky.eml'));

  /** The UIDs of the mails delivered, the good one last. */
  let delivered: number[] = [];
  beforeAll(async () => {
    await env.setUp();
    const poison = [
      // A winmail.dat with sound checksums whose property list ends right after a string tag.
      mailWithFiles({ messageId: id('tnef'), from: sender }, [
        { filename: 'winmail.dat', contentType: tnef, content: tnefWithTruncatedPropertyList() },
      ]),
      // An encoded word in References that decodes to NUL.
      mailWithFiles(
        { messageId: id('nul'), headers: ['References: <a@example.org> =?UTF-8?Q?<x=00y@example.org>?='] },
        [{ filename: 'a.docx', content: Buffer.from('nul') }],
      ),
      // A date JavaScript reads and PostgreSQL cannot store.
      mailWithFiles({ messageId: id('date'), headers: ['Date: -010000-01-01T00:00:00Z'] }, [
        { filename: 'b.docx', content: Buffer.from('date') },
      ]),
      // Far too many parts for the MIME parser (it throws past 1,000).
      mailWithManyFiles({ messageId: id('parts') }, 1200),
      // More files than PostgreSQL has bind parameters for, inside one winmail.dat.
      mailWithFiles({ messageId: id('bind') }, [
        { filename: 'winmail.dat', contentType: tnef, content: tnefWithFiles(9000) },
      ]),
      // Parts nested far deeper than anyone writes.
      deeplyNestedMail({ messageId: id('deep') }, 60),
    ];
    delivered = await env.deliverAll([...poison, good]);
    processes.push(
      spawnLogged('poller', env.env),
      spawnLogged('parser', env.env),
      spawnLogged('mailer', env.env),
    );
  }, 60_000);
  afterAll(async () => {
    for (const p of processes) await stopProcess(p.child, 'SIGTERM');
    await env.tearDown();
  });

  const db = () => env.database.db;
  const message = (messageId: string) =>
    db().selectFrom('messages').selectAll().where('message_id', '=', messageId).executeTakeFirst();
  const files = async (messageId: string) => {
    const m = await message(messageId);
    return db()
      .selectFrom('attachments')
      .select(['filename', 'state', 'reason_code'])
      .where('message_id', '=', m?.id ?? '0')
      .orderBy('id')
      .execute();
  };

  it('stores, parses and acknowledges the good registration after the poison', async () => {
    const ack = await waitFor(() => env.smtp.inbox('vanthu_sotp@hanoi.gov.vn')[0], {
      timeoutMs: 90_000,
      what: 'the acknowledgement of the good registration',
    });
    expect(ack.parsed.inReplyTo).toBe('<1627265645.2231.stp@hanoi.gov.vn>');
    const [form] = await files('<1627265645.2231.stp@hanoi.gov.vn>');
    expect(form).toMatchObject({ state: 'parsed' });
  }, 120_000);

  it('stores every poison mail (or sets it aside), and takes them all out of the inbox', async () => {
    await env.settle(delivered, 120_000);
    const counts = await folderCounts(env.imap, ['INBOX', 'Processed', 'Needs review']);
    expect(counts.INBOX).toBe(0);
    expect((counts.Processed ?? 0) + (counts['Needs review'] ?? 0)).toBe(7);
    const setAside = await db().selectFrom('imap_failures').selectAll().execute();
    const stored = await db().selectFrom('messages').select('message_id').execute();
    expect(stored.length + setAside.filter((f) => f.set_aside_at).length).toBe(7);
  }, 150_000);

  it('keeps a winmail.dat it cannot unpack as one file, refused as unsupported', async () => {
    expect(await files(id('tnef'))).toEqual([
      { filename: 'winmail.dat', state: 'rejected', reason_code: 'unsupported_type' },
    ]);
  });

  it('stores headers without NUL and a sent date PostgreSQL cannot hold as none', async () => {
    const nul = await message(id('nul'));
    expect(nul?.references).toBe(`<a@example.org> <xy@example.org> ${id('nul')}`);
    const date = await message(id('date'));
    expect(date?.sent_at).toBeNull();
    expect(date?.received_at).toBeInstanceOf(Date);
  });

  it('reads a mail of too many parts up to the limit and keeps the rest unparsed, saying why', async () => {
    const m = await message(id('parts'));
    expect(m?.review_reasons).toEqual(expect.arrayContaining(['too_many_attachments', 'too_many_parts']));
    expect(m?.unlisted_parts).toBe(1202 - 500);
    const rows = await files(id('parts'));
    expect(rows).toHaveLength(498);
    expect(
      rows.filter((r) => r.state === 'skipped' && r.reason_code === 'too_many_attachments'),
    ).toHaveLength(448);
    expect(rows.filter((r) => r.state === 'pending')).toHaveLength(0);
  });

  it('stores at most the hard cap of files for a winmail.dat of thousands, counting the rest', async () => {
    const m = await message(id('bind'));
    expect(m?.unlisted_parts).toBe(9000 + 1 - MAX_STORED_ATTACHMENTS);
    const rows = await files(id('bind'));
    expect(rows).toHaveLength(MAX_STORED_ATTACHMENTS);
    expect(rows[0]).toMatchObject({ filename: 'winmail.dat', state: 'skipped', reason_code: null });
    expect(rows.filter((r) => r.reason_code === 'too_many_attachments')).toHaveLength(
      MAX_STORED_ATTACHMENTS - 1 - 50,
    );
  });

  it('reads a deeply nested mail down to the limit', async () => {
    const m = await message(id('deep'));
    expect(m?.review_reasons).toContain('too_deeply_nested');
    expect((await files(id('deep'))).map((f) => f.filename)).toEqual(['dau.docx']);
  });

  it('keeps every process running, with no fatal log line and no pass given up', () => {
    for (const p of processes) {
      expect({ name: p.name, exitCode: p.child.exitCode, signal: p.child.signalCode }).toEqual({
        name: p.name,
        exitCode: null,
        signal: null,
      });
      expect(p.lines.filter((l) => l.level >= 60)).toEqual([]);
    }
    const poller = processes[0]?.lines ?? [];
    expect(poller.filter((l) => l.msg === 'mailbox pass failed; reconnecting')).toEqual([]);
    expect(poller.filter((l) => l.msg === 'message stored in part').map((l) => l.warnings)).toEqual(
      expect.arrayContaining([
        ['date_out_of_range'],
        ['too_many_parts'],
        ['too_many_attachments'],
        ['too_deeply_nested'],
      ]),
    );
  });
});
