import { planReminders, sendReminders } from '../registry/letters/reminders.js';
import type { JobDeps } from './job-deps.js';

export { planReminders };

/** The scheduled reminder job: today's reminders, each once (the operation's dedupe keys). */
export async function sendRemindersJob(deps: JobDeps, now = deps.clock.now()): Promise<{ queued: number }> {
  return sendReminders(deps, now);
}
