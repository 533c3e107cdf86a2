import type { Router } from 'express';
import { replayRefusalText, requestReplay } from '../registry/intake/request-replay.js';
import { askToResend, RESEND_NOTE_MAX, resendRefusalText } from '../registry/letters/resend-request.js';
import { type ActionRunner, id, text } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';

/**
 * What is done about a mail's files: ask the sender to send them again, read one again with the current parser
 * (in the parser process).
 */
export function registerFileActions(router: Router, deps: ConsoleDeps, { actor, act }: ActionRunner): void {
  router.post('/files/replay', (req, res) =>
    act(
      res,
      'request_replay',
      async () => {
        await requestReplay(deps, actor(res), { attachmentId: id(req.body.attachment) });
        return 'replay_queued';
      },
      text(req.body.back, 500) || '/review',
      replayRefusalText,
    ),
  );

  router.post('/review/resend', (req, res) =>
    act(
      res,
      'ask_resend',
      async () => {
        await askToResend(deps, actor(res), {
          messageId: id(req.body.message),
          note: text(req.body.note).trim() || null,
        });
        return 'resend_requested';
      },
      text(req.body.back, 500) || '/review',
      (err) =>
        resendRefusalText(err) ??
        (err.code === 'invalid_input' ? `Ghi chú dài tối đa ${RESEND_NOTE_MAX} ký tự.` : undefined),
    ),
  );
}
