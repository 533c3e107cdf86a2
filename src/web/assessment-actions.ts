import type { Router } from 'express';
import { z } from 'zod';
import { ASSESSMENT_VERDICTS } from '../domain/kinds.js';
import { assessInitiative, undoAssessment } from '../registry/decisions/assess-initiative.js';
import { type ActionRunner, action } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';
import { field } from './request-input.js';

// `id` is the path's: /initiatives/:id/assess and /initiatives/:id/unassess.
const Assess = action({
  what: 'assess_initiative',
  form: z.object({
    id: field.id('sáng kiến'),
    verdict: field.oneOf(ASSESSMENT_VERDICTS, 'Chọn một trong: Hiệu quả, Chưa hiệu quả, Chưa đánh giá.'),
    note: field.note(),
    back: field.back(),
  }),
  back: '/',
  refused: (err) =>
    err.code === 'wrong_state'
      ? 'Chỉ đánh giá được sáng kiến đang được tính và đã có báo cáo kết quả.'
      : undefined,
});

const Unassess = action({
  what: 'undo_assessment',
  form: z.object({ id: field.id('sáng kiến'), note: field.note(), back: field.back() }),
  back: '/',
});

/** Staff's assessment of a reported initiative (PAR index), and taking it back. */
export function registerAssessmentActions(router: Router, deps: ConsoleDeps, { act }: ActionRunner): void {
  router.post('/initiatives/:id/assess', (req, res) =>
    act(req, res, Assess, async (f, by) => {
      const r = await assessInitiative(deps.db, by, {
        initiativeId: f.id,
        verdict: f.verdict,
        note: f.note,
      });
      // The same assessment again changes nothing: its "Hoàn tác" would take back the one already in force.
      return r.changed
        ? { done: 'assessed', undo: { what: 'unassess', subject: r.initiativeId } }
        : 'assessed';
    }),
  );

  router.post('/initiatives/:id/unassess', (req, res) =>
    act(req, res, Unassess, async (f, by) => {
      await undoAssessment(deps.db, by, { initiativeId: f.id, note: f.note });
      return 'assessment_undone';
    }),
  );
}
