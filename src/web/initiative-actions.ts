import type { Router } from 'express';
import { z } from 'zod';
import { unlinkResult } from '../registry/decisions/link-result.js';
import { restoreInitiative, withdrawInitiative } from '../registry/decisions/withdraw-initiative.js';
import { type ActionRunner, action } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';
import { field } from './request-input.js';

// `id` is the path's: /initiatives/:id/… and /results/:id/….
const Withdraw = action({
  what: 'withdraw_initiative',
  form: z.object({ id: field.id('sáng kiến'), note: field.text(), back: field.back() }),
  back: '/',
});

const Restore = action({
  what: 'restore_initiative',
  form: z.object({ id: field.id('sáng kiến'), note: field.note(), back: field.back() }),
  back: '/',
});

const Unlink = action({
  what: 'unlink_result',
  form: z.object({ id: field.id('kết quả'), back: field.back() }),
  back: '/',
});

/** What staff change on an agency's or a message's page besides corrections: withdraw or restore, unlink a result. */
export function registerInitiativeActions(router: Router, deps: ConsoleDeps, { act }: ActionRunner): void {
  router.post('/initiatives/:id/withdraw', (req, res) =>
    act(req, res, Withdraw, async (f, by) => {
      await withdrawInitiative(deps.db, by, { initiativeId: f.id, note: f.note });
      return { done: 'withdrawn', undo: { what: 'restore_initiative', subject: f.id } };
    }),
  );

  router.post('/initiatives/:id/restore', (req, res) =>
    act(req, res, Restore, async (f, by) => {
      await restoreInitiative(deps.db, by, { initiativeId: f.id, note: f.note });
      return 'initiative_restored';
    }),
  );

  router.post('/results/:id/unlink', (req, res) =>
    act(req, res, Unlink, async (f, by) => {
      await unlinkResult(deps.db, by, { resultId: f.id });
      return 'unlinked';
    }),
  );
}
