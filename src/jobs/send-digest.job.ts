import { buildDigest, sendDigest } from '../registry/letters/digest.js';
import type { JobDeps } from './job-deps.js';

export { buildDigest };

/** The scheduled digest job: today's digest, once per day (the operation's dedupe key). */
export async function sendDigestJob(
  deps: JobDeps,
  now = deps.clock.now(),
  key?: string,
): Promise<{ queued: boolean }> {
  return sendDigest(deps, now, key);
}
