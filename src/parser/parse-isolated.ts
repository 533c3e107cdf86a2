import { Worker } from 'node:worker_threads';
import type { ParseOptions, ParseOutcome } from './parse-form.js';

export interface IsolationLimits {
  /** Wall-clock time a parse may take. */
  timeoutMs: number;
  /** Heap a parse may use, in MB. */
  maxHeapMb?: number;
}

// Built, the worker is plain .js. Under tsx or vitest the sources are .ts: the worker registers tsx first.
const fromSource = import.meta.url.endsWith('.ts');
const workerUrl = new URL(`./parse-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);
const workerScript: string | URL = fromSource
  ? `import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); });`
  : workerUrl;

/**
 * parseForm on a worker thread with a time limit and a memory cap: a file that makes the parser run away is
 * a `timeout` rejection (or `too_large` when it exhausts memory), and the calling process is never at risk.
 */
export function parseFormIsolated(
  bytes: Buffer,
  filename: string,
  options: ParseOptions,
  limits: IsolationLimits,
): Promise<ParseOutcome> {
  return new Promise((resolve) => {
    const worker = new Worker(workerScript, {
      eval: fromSource,
      workerData: { bytes, filename, options },
      resourceLimits: { maxOldGenerationSizeMb: limits.maxHeapMb ?? 512 },
    });
    let settled = false;
    const settle = (outcome: ParseOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        settle({
          ok: false,
          error: { code: 'timeout', message: `reading the file took longer than ${limits.timeoutMs} ms` },
        }),
      limits.timeoutMs,
    );
    worker.once('message', (outcome: ParseOutcome) => settle(outcome));
    worker.once('error', (err: Error & { code?: string }) =>
      settle({
        ok: false,
        error:
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { code: 'too_large', message: 'reading the file needed more memory than allowed' }
            : { code: 'corrupt_file', message: `the file could not be read: ${err.message}` },
      }),
    );
    worker.once('exit', (code) => {
      if (!settled)
        settle({ ok: false, error: { code: 'corrupt_file', message: `the reader stopped (exit ${code})` } });
    });
  });
}
