import type { Router } from 'express';
import { z } from 'zod';
import { clearBounce } from '../registry/intake/bounces.js';
import { type ActionRunner, action } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';
import { field } from './request-input.js';

const ClearBounce = action({
  what: 'clear_bounce',
  form: z.object({ email: field.text(320), note: field.note(), back: field.back() }),
  back: '/review',
});

/** An agency's addresses: one that bounced marked as working again (on the review list and the agency's page). */
export function registerAddressActions(router: Router, deps: ConsoleDeps, { act }: ActionRunner): void {
  router.post('/addresses/clear-bounce', (req, res) =>
    act(req, res, ClearBounce, async (f, by) => {
      await clearBounce(deps.db, by, { email: f.email, note: f.note });
      return 'bounce_cleared';
    }),
  );
}
