import { type ParseOptions, type ParseOutcome, parseForm } from './parse-form.js';

// A parser child process: started by the parser pool with a heap cap, it parses one file at a time for as long
// as the pool keeps it. The pool stops it (kills it) when a parse runs past its time or memory budget.

/** What the pool sends: one parse, bytes in. */
export interface ParseTask {
  id: number;
  bytes: Uint8Array;
  filename: string;
  options: ParseOptions;
}

/** What the child answers: `ready` once loaded, then one outcome per task. */
export type ChildMessage = { type: 'ready' } | { type: 'done'; id: number; outcome: ParseOutcome };

const send = (message: ChildMessage) => process.send?.(message);

process.on('message', (task: ParseTask) => {
  const bytes = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength);
  void parseForm(bytes, task.filename, task.options).then((outcome) =>
    send({ type: 'done', id: task.id, outcome }),
  );
});
// The pool gone (its process ended or closed the channel): nothing is left to answer.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready' });
