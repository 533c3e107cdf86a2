import { type ParseOptions, type ParseOutcome, parseForm } from './parse-form.js';

// The task a pool thread runs: one parse, bytes in, outcome out.
export interface ParseTask {
  bytes: Uint8Array;
  filename: string;
  options: ParseOptions;
}

export default function parseTask(task: ParseTask): Promise<ParseOutcome> {
  return parseForm(
    Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength),
    task.filename,
    task.options,
  );
}
