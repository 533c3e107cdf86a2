import { parentPort, workerData } from 'node:worker_threads';
import { type ParseOptions, parseForm } from './parse-form.js';

// Runs parseForm on a worker thread, so the caller can enforce a time limit and a memory cap on it.
interface Input {
  bytes: Uint8Array;
  filename: string;
  options: ParseOptions;
}

const input = workerData as Input;
const outcome = await parseForm(Buffer.from(input.bytes), input.filename, input.options);
parentPort?.postMessage(outcome);
