import { drawWithoutText, type ParseOptions, type ParseOutcome, parseForm } from './parse-form.js';

// A parser child process: started by the parser pool with a heap cap, it parses one file at a time for as long
// as the pool keeps it. The pool stops it (kills it) when a parse runs past its time or memory budget.

/** What the pool sends: one parse, bytes in. */
export interface ParseTask {
  id: number;
  bytes: Uint8Array;
  filename: string;
  options: ParseOptions;
}

/**
 * What the child answers: `ready` once loaded, then one outcome per task. A scan to draw is answered twice: its
 * reading (`read`) as soon as it is made, then the reading with its drawing (`done`) — a drawing stopped by the
 * pool's limits then costs only the drawing, never the reading.
 */
export type ChildMessage =
  | { type: 'ready' }
  | { type: 'read'; id: number; outcome: ParseOutcome }
  | { type: 'done'; id: number; outcome: ParseOutcome; rss: number };

const send = (message: ChildMessage) => process.send?.(message);
// The child's resident memory as it answers: what the pool weighs to keep it for the next file, told here so
// that the pool need not read it from /proc after every file.
const done = (id: number, outcome: ParseOutcome) =>
  send({ type: 'done', id, outcome, rss: process.memoryUsage.rss() });

async function run(task: ParseTask, bytes: Buffer): Promise<void> {
  const drawing = task.options.render === true;
  const outcome = await parseForm(bytes, task.filename, {
    ...task.options,
    ...(drawing ? { render: 'text' as const } : {}),
  });
  if (!drawing || !outcome.ok || outcome.rendered) {
    done(task.id, outcome);
    return;
  }
  send({ type: 'read', id: task.id, outcome });
  done(task.id, { ...outcome, rendered: await drawWithoutText(bytes, outcome.form) });
}

process.on('message', (task: ParseTask) => {
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  void run(task, bytes);
});
// The pool gone (its process ended or closed the channel): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
