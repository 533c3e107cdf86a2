import { describe, expect, it } from 'vitest';
import { reachable } from '../helpers/module-graph.js';

// Each process loads at start only what it runs (docs/performance.md, "Memory"): a library loaded and never used
// is resident memory in every replica. Checked on the code itself, from each worker's entry.

const MIME_READER = 'mailparser';
const SMTP = 'nodemailer';
const DOCUMENT_READERS = ['mammoth', 'unpdf', 'word-extractor', 'cfb', 'saxes', '@napi-rs/canvas'];
const REPORT_WRITERS = ['exceljs', 'docx', 'csv-stringify'];
const QUEUE = ['bullmq', 'ioredis'];

describe('each worker loads only what it runs', () => {
  const atStart = (entry: string) => reachable(entry, { onFirstUse: false }).packages;

  it('the parser process: no MIME reader, no SMTP, no document reader (those are its parse processes’)', () => {
    const parser = atStart('workers/parser.ts');
    expect([MIME_READER, SMTP, ...DOCUMENT_READERS, ...REPORT_WRITERS].filter((p) => parser.has(p))).toEqual(
      [],
    );
    // It does answer mail: the acknowledgement's view and the database are there.
    expect(['kysely', 'bullmq', 'luxon'].every((p) => parser.has(p))).toBe(true);
  });

  it('the mailer: no MIME reader, no document reader, no queue (the outbox is its queue)', () => {
    const mailer = atStart('workers/mailer.ts');
    expect(
      [MIME_READER, ...DOCUMENT_READERS, ...REPORT_WRITERS, ...QUEUE].filter((p) => mailer.has(p)),
    ).toEqual([]);
    expect(['kysely', 'pg'].every((p) => mailer.has(p))).toBe(true);
  });

  it('the poller: no document reader, no report writer', () => {
    const poller = atStart('workers/poller.ts');
    expect([...DOCUMENT_READERS, ...REPORT_WRITERS].filter((p) => poller.has(p))).toEqual([]);
    expect(poller.has(MIME_READER)).toBe(true);
  });

  it('is checked on a graph that reaches what a worker loads on first use', () => {
    // The acknowledgement reads an old message's headers with the MIME reader, loaded when first needed.
    expect(reachable('workers/parser.ts', { onFirstUse: true }).packages.has(MIME_READER)).toBe(true);
  });
});
