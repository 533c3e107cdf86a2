import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { ParseOptions, ParseOutcome } from './parse-form.js';
import type { ParseTask } from './parse-pool-worker.js';

export interface ParserPoolOptions {
  /** Threads parsing at once. */
  threads: number;
  /** Wall-clock time one parse may take; past it the thread is terminated and the file is a `timeout`. */
  timeoutMs: number;
  /** Heap a thread may use, in MB; past it the thread dies and the file is `too_large`. */
  maxHeapMb?: number;
}

export interface ParserPool {
  parse(bytes: Buffer, filename: string, options: ParseOptions): Promise<ParseOutcome>;
  close(): Promise<void>;
}

// Built, the worker is plain .js; from the TypeScript sources it goes through a loader that registers tsx.
const fromSource = import.meta.url.endsWith('.ts');
const workerFile = fileURLToPath(
  new URL(fromSource ? './parse-pool-worker.dev.mjs' : './parse-pool-worker.js', import.meta.url),
);

/**
 * Parsing off the event loop, on a pool of reused worker threads: a file that makes the parser run away is
 * stopped by terminating its thread (a `timeout` or `too_large` rejection), and the process is never at risk.
 */
export function createParserPool(opts: ParserPoolOptions): ParserPool {
  const pool = new Piscina<ParseTask, ParseOutcome>({
    filename: workerFile,
    minThreads: 1,
    maxThreads: opts.threads,
    idleTimeout: 60_000,
    // A file that makes the parser eat memory kills its thread, not the process (V8's own young generation
    // sizing measured faster than a fixed one).
    resourceLimits: { maxOldGenerationSizeMb: opts.maxHeapMb ?? 512 },
  });
  return {
    async parse(bytes, filename, options) {
      try {
        // The thread gets its own copy of the file, moved to it rather than copied a second time.
        const copy = new Uint8Array(bytes);
        return await pool.run(
          { bytes: copy, filename, options },
          { signal: AbortSignal.timeout(opts.timeoutMs), transferList: [copy.buffer] },
        );
      } catch (err) {
        const e = err as Error & { code?: string };
        if (e.name === 'AbortError' || e.name === 'TimeoutError') {
          return {
            ok: false,
            error: { code: 'timeout', message: `reading the file took longer than ${opts.timeoutMs} ms` },
          };
        }
        if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
          return {
            ok: false,
            error: { code: 'too_large', message: 'reading the file needed more memory than allowed' },
          };
        }
        return {
          ok: false,
          error: { code: 'corrupt_file', message: `the file could not be read: ${e.message}` },
        };
      }
    },
    close: () => pool.destroy(),
  };
}
