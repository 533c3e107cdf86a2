import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { itemsForReview } from '../../src/registry/views/review.js';
import { OperationsEnv } from '../helpers/operations-env.js';
import { fixture } from '../helpers/paths.js';

// The review list is always true: an item leaves it as soon as nothing is left to do.

const email = (name: string) => readFileSync(fixture('emails', name));
const REPORT = '10-so-tu-phap-bao-cao-ket-qua.eml';
const REGISTRATION = '01-so-tu-phap-dang-ky.eml';

describe('a results report and the registration it reports on', () => {
  let env: OperationsEnv;
  beforeEach(async () => {
    env = new OperationsEnv('review-list');
    await env.setUp();
  });
  afterEach(() => env.tearDown());

  const itemsOf = async (reference: string | undefined) => {
    const report = await env.db
      .selectFrom('messages')
      .select('id')
      .where('message_id', '=', reference ?? '')
      .executeTakeFirstOrThrow();
    return (await itemsForReview(env.db)).filter(
      (i) => i.messageId === report.id || (i.kind === 'result' && i.from === 'Sở Tư pháp'),
    );
  };
  const messageIdOf = (name: string) =>
    /^Message-ID:\s*(<[^>]+>)/im.exec(email(name).toString('latin1'))?.[1];

  it('leaves the list once a later registration matches the report’s rows', async () => {
    await env.receive(email(REPORT));
    const waiting = await itemsOf(messageIdOf(REPORT));
    expect(waiting.map((i) => i.kind).sort()).toEqual(['message', 'result']);
    expect(waiting.find((i) => i.kind === 'message')?.reasons).toContain('unmatched_result');

    await env.receive(email(REGISTRATION));
    expect(await itemsOf(messageIdOf(REPORT))).toEqual([]);
    const report = await env.db
      .selectFrom('messages')
      .select(['state', 'review_reasons'])
      .where('message_id', '=', messageIdOf(REPORT) ?? '')
      .executeTakeFirstOrThrow();
    expect(report).toEqual({ state: 'processed', review_reasons: [] });
  });

  it('never enters it when the registration came first', async () => {
    await env.receive(email(REGISTRATION));
    await env.receive(email(REPORT));
    expect(await itemsOf(messageIdOf(REPORT))).toEqual([]);
  });
});
