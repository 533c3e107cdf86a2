import type { Router } from 'express';
import { correctField } from '../registry/decisions/correct-field.js';
import { unlinkResult } from '../registry/decisions/link-result.js';
import { restoreInitiative, withdrawInitiative } from '../registry/decisions/withdraw-initiative.js';
import { type ActionRunner, id, text } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';

/** What staff change on an agency's or a message's page: correct a field, withdraw or restore, unlink a result. */
export function registerInitiativeActions(
  router: Router,
  deps: ConsoleDeps,
  { actor, act }: ActionRunner,
): void {
  router.post('/initiatives/:id/correct', (req, res) =>
    act(
      res,
      'correct_field',
      async () => {
        await correctField(deps.db, actor(res), {
          initiativeId: id(req.params.id),
          field: text(req.body.field, 40),
          value: text(req.body.value),
          note: text(req.body.note).trim() || null,
        });
        return 'corrected';
      },
      text(req.body.back, 500) || '/',
      // The reasons a value is refused are written for people (Vietnamese) by the correction rules.
      (err) => (err.code === 'invalid_input' ? `Nội dung sửa chưa hợp lệ: ${err.message}` : undefined),
    ),
  );

  router.post('/initiatives/:id/withdraw', (req, res) =>
    act(
      res,
      'withdraw_initiative',
      async () => {
        await withdrawInitiative(deps.db, actor(res), {
          initiativeId: id(req.params.id),
          note: text(req.body.note),
        });
        return 'withdrawn';
      },
      text(req.body.back, 500) || '/',
    ),
  );

  router.post('/initiatives/:id/restore', (req, res) =>
    act(
      res,
      'restore_initiative',
      async () => {
        await restoreInitiative(deps.db, actor(res), {
          initiativeId: id(req.params.id),
          note: text(req.body.note).trim() || null,
        });
        return 'initiative_restored';
      },
      text(req.body.back, 500) || '/',
    ),
  );

  router.post('/results/:id/unlink', (req, res) =>
    act(
      res,
      'unlink_result',
      async () => {
        await unlinkResult(deps.db, actor(res), { resultId: id(req.params.id) });
        return 'unlinked';
      },
      text(req.body.back, 500) || '/',
    ),
  );
}
