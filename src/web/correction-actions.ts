import type { Router } from 'express';
import { z } from 'zod';
import { correctField } from '../registry/decisions/correct-field.js';
import { restoreParserReading, undoCorrection } from '../registry/decisions/take-back-correction.js';
import { type ActionRunner, action } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';
import { field } from './request-input.js';

// `id` is the path's (/initiatives/:id/…), or the correction's for its undo.
const Correct = action({
  what: 'correct_field',
  form: z.object({
    id: field.id('sáng kiến'),
    field: field.text(40),
    value: field.text(),
    note: field.note(),
    back: field.back(),
  }),
  back: '/',
  // The reasons a value is refused are written for people (Vietnamese) by the correction rules.
  refused: (err) => (err.code === 'invalid_input' ? `Nội dung sửa chưa hợp lệ: ${err.message}` : undefined),
});

const ParserReading = action({
  what: 'restore_parser_reading',
  form: z.object({
    id: field.id('sáng kiến'),
    field: field.text(40),
    note: field.note(),
    back: field.back(),
  }),
  back: '/',
  refused: (err) =>
    err.code === 'wrong_state'
      ? 'Mục này đang là nội dung hệ thống đọc (không có nội dung sửa nào).'
      : undefined,
});

// `id` is the correction's: the flash's "Hoàn tác" names the correction it takes back.
const UndoCorrection = action({
  what: 'undo_correction',
  form: z.object({ id: field.id('nội dung sửa'), back: field.back() }),
  back: '/',
  refused: (err) =>
    err.code === 'wrong_state'
      ? 'Không hoàn tác được: nội dung sửa này đã được trả lại, hoặc mục đã được sửa lần khác sau đó.'
      : undefined,
});

/** Corrections on an agency's or a message's page: correct a field, undo a correction, give back the parser's reading. */
export function registerCorrectionActions(router: Router, deps: ConsoleDeps, { act }: ActionRunner): void {
  router.post('/initiatives/:id/correct', (req, res) =>
    act(req, res, Correct, async (f, by) => {
      const r = await correctField(deps.db, by, {
        initiativeId: f.id,
        field: f.field,
        value: f.value,
        note: f.note,
      });
      return { done: 'corrected', undo: { what: 'undo_correction', subject: r.correctionId } };
    }),
  );

  router.post('/initiatives/:id/parser-reading', (req, res) =>
    act(req, res, ParserReading, async (f, by) => {
      await restoreParserReading(deps.db, by, { initiativeId: f.id, field: f.field, note: f.note });
      return 'parser_reading_restored';
    }),
  );

  router.post('/corrections/:id/undo', (req, res) =>
    act(req, res, UndoCorrection, async (f, by) => {
      const r = await undoCorrection(deps.db, by, { correctionId: f.id });
      return r.inForce ? 'correction_undone' : 'correction_undone_to_reading';
    }),
  );
}
