import { asError } from '../errors.js';
import type { JobDeps } from './job-deps.js';

/** Run `fn` now and then every `ms`, logging (not throwing) a failed run; returns the stop function. */
export function every(
  ms: number,
  deps: Pick<JobDeps, 'log'>,
  what: string,
  fn: () => Promise<void>,
  now = false,
): () => void {
  const run = () =>
    fn().catch((err: unknown) => {
      deps.log.warn({ err: asError(err) }, `${what} failed`);
    });
  if (now) void run();
  const timer = setInterval(() => void run(), ms);
  return () => clearInterval(timer);
}
