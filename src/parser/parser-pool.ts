import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ParseOptions, ParseOutcome } from './parse-form.js';
import type { ChildMessage, ParseTask } from './parse-pool-worker.js';
import type { RenderedDocument } from './rendering.js';

export interface ParserPoolOptions {
  /** Files parsed at once, each in a child process of its own. */
  threads: number;
  /** Wall-clock time one parse may take from the moment a child starts it; past it the file is a `timeout`. */
  timeoutMs: number;
  /**
   * Resident memory one parse may use, in MB (the child's whole RSS); past it the file is `too_large`. The
   * parse's own `limits.memoryBudgetMb` (from the configuration) wins over this default.
   */
  memoryBudgetMb?: number;
  /** How often the children's memory is read, in ms. */
  watchEveryMs?: number;
  /** Share of the budget a child may still hold after a parse and be given the next one (default 0.6). */
  recycleAbove?: number;
}

export interface ParserPool {
  parse(bytes: Buffer, filename: string, options: ParseOptions): Promise<ParseOutcome>;
  /** Parses stopped so far, by why: past the time limit, over the memory budget, or the reader crashed. */
  stopped(): Readonly<Record<'timeout' | 'memory' | 'crash', number>>;
  close(): Promise<void>;
}

const DEFAULT_MEMORY_BUDGET_MB = 400;

// Built, the child is plain .js; from the TypeScript sources (tests, tsx) it is loaded through tsx.
const fromSource = import.meta.url.endsWith('.ts');
const childFile = fileURLToPath(
  new URL(fromSource ? './parse-pool-worker.ts' : './parse-pool-worker.js', import.meta.url),
);
// Resolved from here rather than from the working directory, which may be anywhere.
const tsxLoader = fromSource ? import.meta.resolve('tsx') : null;
const PAGE_BYTES = 4096;
const MAX_FAILED_STARTS = 3;
const RECYCLE_ABOVE = 0.6;

/** A child's resident memory in bytes, from /proc (Linux); null where it cannot be read. */
function residentBytes(pid: number): number | null {
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]);
    return Number.isFinite(pages) ? pages * PAGE_BYTES : null;
  } catch {
    return null;
  }
}

interface Job {
  task: Omit<ParseTask, 'id'>;
  resolve: (outcome: ParseOutcome) => void;
  reject: (err: Error) => void;
}

interface Child {
  process: ChildProcess;
  ready: boolean;
  job?: {
    id: number;
    job: Job;
    budgetMb: number;
    timer: NodeJS.Timeout;
    killedFor?: 'timeout' | 'memory';
    /** The reading, sent before the file's drawing: what stands if the drawing is stopped. */
    read?: ParseOutcome;
  };
  stderrTail: string;
  /** Killed while idle (kept too much memory): takes no more work while it exits. */
  retiring?: boolean;
}

/** A drawing stopped by the pool's limits: the file is shown as "cannot be displayed", its reading kept. */
const notDrawn = (): RenderedDocument => ({ rendering: { kind: 'none', why: 'not_drawable' }, images: [] });

const rejected = (code: 'timeout' | 'too_large' | 'corrupt_file', message: string): ParseOutcome => ({
  ok: false,
  error: { code, message },
});

/**
 * Parsing in a small pool of long-lived child processes, one file at a time each. A worker thread's heap cap
 * does not bound Buffer and ArrayBuffer memory, and a thread running out of heap can take the whole process
 * down with it; a child process can always be stopped. Each child runs with a heap cap and a watchdog on its
 * resident memory: a parse over its time or memory budget gets its child killed and replaced, and the file is
 * refused (`timeout`, `too_large`). The pool's own process never holds more than the bytes it hands over.
 */
export function createParserPool(opts: ParserPoolOptions): ParserPool {
  const defaultBudgetMb = opts.memoryBudgetMb ?? DEFAULT_MEMORY_BUDGET_MB;
  const budgetOf = (job: Job) => job.task.options.limits.memoryBudgetMb ?? defaultBudgetMb;
  const children = new Set<Child>();
  const queue: Job[] = [];
  let nextId = 1;
  const stopped = { timeout: 0, memory: 0, crash: 0 };
  let closed = false;
  let watchdog: NodeJS.Timeout | undefined;
  // Children that died before they were ready, in a row: a child that cannot start (a broken install) must not
  // be restarted in a tight loop.
  let failedStarts = 0;

  const spawnChild = (budgetMb: number): Child => {
    // The heap alone may not outgrow the whole budget; the watchdog holds the rest (buffers) to it.
    const proc = fork(childFile, [], {
      execArgv: [...(tsxLoader ? ['--import', tsxLoader] : []), `--max-old-space-size=${budgetMb}`],
      serialization: 'advanced',
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const child: Child = { process: proc, ready: false, stderrTail: '' };
    children.add(child);
    // Kept only to tell a heap exhaustion from another crash; the tail is enough.
    proc.stderr?.on('data', (chunk: Buffer) => {
      child.stderrTail = (child.stderrTail + chunk.toString('utf8')).slice(-4096);
    });
    proc.on('message', (message: ChildMessage) => {
      if (message.type === 'ready') {
        child.ready = true;
        failedStarts = 0;
      } else if (message.type === 'read') {
        // The reading is made; the drawing goes on under the same limits, and only it is lost if they stop it.
        if (child.job?.id === message.id) child.job.read = message.outcome;
        return;
      } else if (child.job?.id === message.id) finish(child, message.outcome, message.rss);
      dispatch();
      if (!child.job) idle(child);
    });
    proc.on('error', () => {
      child.retiring = true;
      proc.kill('SIGKILL');
    });
    proc.on('exit', (code, signal) => {
      children.delete(child);
      const running = child.job;
      if (running) {
        clearTimeout(running.timer);
        child.job = undefined;
        // Stopped by close(): not the file's fault, so no verdict on it (the job is retried elsewhere).
        if (closed) running.job.reject(new Error('the parser pool was closed during the parse'));
        else if (running.read?.ok) running.job.resolve({ ...running.read, rendered: notDrawn() });
        else
          running.job.resolve(
            crashOutcome(running.killedFor, running.budgetMb, code, signal, child.stderrTail),
          );
      }
      if (!closed && !child.ready && !running && ++failedStarts >= MAX_FAILED_STARTS) {
        failedStarts = 0;
        const err = new Error(`a parser child could not start: ${child.stderrTail.trim().slice(-500)}`);
        for (const job of queue.splice(0)) job.reject(err);
      }
      if (!closed) dispatch();
    });
    // Started for a waiting file, it keeps the process alive until it is idle.
    return child;
  };

  const crashOutcome = (
    killedFor: 'timeout' | 'memory' | undefined,
    budgetMb: number,
    code: number | null,
    signal: NodeJS.Signals | null,
    stderr: string,
  ): ParseOutcome => {
    const heapExhausted = /heap out of memory|Allocation failed/i.test(stderr);
    stopped[killedFor ?? (heapExhausted ? 'memory' : 'crash')]++;
    if (killedFor === 'timeout')
      return rejected('timeout', `reading the file took longer than ${opts.timeoutMs} ms`);
    if (killedFor === 'memory' || heapExhausted)
      return rejected('too_large', `reading the file needed more than ${budgetMb} MB of memory`);
    return rejected(
      'corrupt_file',
      `the file could not be read: the reader stopped (${signal ?? `exit code ${code}`})`,
    );
  };

  // An idle child must not keep the process alive on its own; a busy one must.
  const idle = (child: Child) => {
    child.process.unref();
    child.process.channel?.unref();
  };
  const busy = (child: Child) => {
    child.process.ref();
    child.process.channel?.ref();
  };

  // `rss`: the child's resident memory as it answered (it tells it with its outcome).
  const finish = (child: Child, outcome: ParseOutcome, rss: number) => {
    const running = child.job;
    if (!running) return;
    clearTimeout(running.timer);
    child.job = undefined;
    idle(child);
    running.job.resolve(outcome);
    // A child that kept much of what a large file needed would start the next file with less of the budget: it
    // is replaced (it has no job, so its exit only makes room for a new one).
    if (rss > running.budgetMb * 1024 * 1024 * (opts.recycleAbove ?? RECYCLE_ABOVE)) {
      child.retiring = true;
      child.process.kill('SIGKILL');
    }
  };

  const kill = (child: Child, reason: 'timeout' | 'memory') => {
    if (child.job) child.job.killedFor ??= reason;
    child.process.kill('SIGKILL');
  };

  const watch = () => {
    let anyBusy = false;
    for (const child of children) {
      if (!child.job || child.process.pid === undefined) continue;
      anyBusy = true;
      const rss = residentBytes(child.process.pid);
      if (rss !== null && rss > child.job.budgetMb * 1024 * 1024) kill(child, 'memory');
    }
    if (!anyBusy && watchdog) {
      clearInterval(watchdog);
      watchdog = undefined;
    }
  };

  const dispatch = () => {
    if (closed) return;
    while (queue.length > 0) {
      const free = [...children].find((c) => c.ready && !c.job && !c.retiring);
      if (!free) {
        // A new child when below the pool's size and none is already starting for the waiting files; it takes
        // work once it says it is ready.
        // A retiring child does not count: the files must not wait for its exit, which an idle (unreferenced)
        // child's is not guaranteed to be seen before the process runs out of other work.
        let starting = [...children].filter((c) => !c.ready).length;
        const working = () => [...children].filter((c) => !c.retiring).length;
        while (working() < opts.threads && starting < queue.length) {
          spawnChild(budgetOf(queue[starting] as Job));
          starting++;
        }
        return;
      }
      const job = queue.shift() as Job;
      const id = nextId++;
      // The clock starts now, when a child starts the work: time spent waiting for a free child is not counted.
      const timer = setTimeout(() => kill(free, 'timeout'), opts.timeoutMs);
      free.job = { id, job, budgetMb: budgetOf(job), timer };
      busy(free);
      free.process.send({ id, ...job.task } satisfies ParseTask);
      watchdog ??= setInterval(watch, opts.watchEveryMs ?? 50);
    }
  };

  return {
    parse(bytes, filename, options) {
      if (closed) return Promise.reject(new Error('the parser pool is closed'));
      return new Promise<ParseOutcome>((resolve, reject) => {
        queue.push({ task: { bytes, filename, options }, resolve, reject });
        dispatch();
      });
    },
    stopped: () => ({ ...stopped }),
    async close() {
      closed = true;
      if (watchdog) clearInterval(watchdog);
      for (const job of queue.splice(0)) job.reject(new Error('the parser pool was closed'));
      const exits = [...children].map(
        (child) => new Promise<void>((resolve) => child.process.once('exit', () => resolve())),
      );
      for (const child of children) {
        busy(child); // waited for below: an idle child's exit must keep the process alive until it comes
        child.process.kill('SIGKILL');
      }
      await Promise.all(exits);
    },
  };
}
