import type { Router } from 'express';
import { z } from 'zod';
import { replayRefusalText, requestReplay } from '../registry/intake/request-replay.js';
import { askToResend, RESEND_NOTE_MAX, resendRefusalText } from '../registry/letters/resend-request.js';
import { type ActionRunner, action } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';
import { field } from './request-input.js';

const Replay = action({
  what: 'request_replay',
  form: z.object({ attachment: field.id('tệp'), back: field.back() }),
  back: '/review',
  refused: replayRefusalText,
});

const Resend = action({
  what: 'ask_resend',
  form: z.object({ message: field.id('thư'), note: field.note(), back: field.back() }),
  back: '/review',
  refused: (err) =>
    resendRefusalText(err) ??
    (err.code === 'invalid_input' ? `Ghi chú dài tối đa ${RESEND_NOTE_MAX} ký tự.` : undefined),
});

/**
 * What is done about a mail's files: ask the sender to send them again, read one again with the current parser
 * (in the parser process).
 */
export function registerFileActions(router: Router, deps: ConsoleDeps, { act }: ActionRunner): void {
  router.post('/files/replay', (req, res) =>
    act(req, res, Replay, async (f, by) => {
      await requestReplay(deps, by, { attachmentId: f.attachment });
      return 'replay_queued';
    }),
  );

  router.post('/review/resend', (req, res) =>
    act(req, res, Resend, async (f, by) => {
      await askToResend(deps, by, { messageId: f.message, note: f.note });
      return 'resend_requested';
    }),
  );
}
