import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueMail } from '../../src/registry/letters/send-due-mail.js';
import { mailWith, registrationDocx } from '../helpers/form-mail.js';
import { OperationsEnv } from '../helpers/operations-env.js';

// Every statement a message costs is a round trip that wakes PostgreSQL on a machine whose cores are busy: under a
// flood, the pipeline's pace is set by them as much as by the parse (docs/performance.md, "Work per mail"). The
// counts here are the ones that page gives; a change that adds a statement to every message shows here.

const HANOI = 'UBND THÀNH PHỐ HÀ NỘI';

describe('the statements one message costs', () => {
  const env = new OperationsEnv('statements-per-message');
  beforeAll(() => env.setUp());
  afterAll(() => env.tearDown());

  /**
   * Counts the statements sent to PostgreSQL while `step` runs, on every connection: each ends with a Sync (the
   * extended protocol: every statement with values) or is one simple Query (begin, commit).
   */
  async function statements(step: () => Promise<unknown>): Promise<number> {
    const proto = (
      pg as unknown as {
        Connection: { prototype: Record<'sync' | 'query', (...args: unknown[]) => unknown> };
      }
    ).Connection.prototype;
    const real = { sync: proto.sync, query: proto.query };
    let n = 0;
    for (const key of ['sync', 'query'] as const)
      proto[key] = function (this: unknown, ...args: unknown[]) {
        n++;
        return real[key]?.apply(this, args);
      };
    try {
      await step();
    } finally {
      Object.assign(proto, real);
    }
    return n;
  }

  let mails = 0;
  async function oneMessage(agencyLines: string[]) {
    mails++;
    const raw = mailWith({
      from: 'vanthu_sodl@hanoi.gov.vn',
      subject: 'Đăng ký sáng kiến CCHC năm 2021',
      id: `statements-${mails}`,
      files: [
        {
          name: 'dang-ky.docx',
          bytes: await registrationDocx(agencyLines, [
            { title: `Sáng kiến số ${mails}` },
            { title: 'Một cửa số' },
          ]),
        },
      ],
    });
    const store = await statements(() => env.store(raw));
    const parseAndAnswer = await statements(() => env.runJobs());
    const [mail] = (await env.outbox()).filter((o) => o.status === 'pending');
    if (!mail) throw new Error('no acknowledgement in the outbox');
    const deps = {
      ...env.deps,
      transport: { send: async () => ({ messageId: '<sent@test>' }), close: () => undefined },
    };
    const send = await statements(() => sendDueMail(deps, 10));
    return { store, parseAndAnswer, send };
  }

  it('takes in, reads, answers and sends a form held for review in 7 statements', async () => {
    await oneMessage([HANOI, 'SỞ DU LỊCH']); // the registry and campaigns read once, as a worker does
    // The form names another agency than its sender's: held for a person, what the bench's mail mostly is.
    const held = await oneMessage([HANOI, 'SỞ Y TẾ']);
    expect(held).toEqual({ store: 1, parseAndAnswer: 4, send: 2 });
  });

  it('takes in, reads, counts, answers and sends a registration in 20 statements', async () => {
    const counted = await oneMessage([HANOI, 'SỞ DU LỊCH']);
    // Its recording rebuilds the agency's registry (a second registration: the first one's rows are replaced).
    expect(counted).toEqual({ store: 1, parseAndAnswer: 17, send: 2 });
  });
});
