import type { Router } from 'express';
import { replayRefusalText, requestReplay } from '../registry/request-replay.js';
import { type ActionRunner, id, text } from './action-runner.js';
import type { ConsoleDeps } from './deps.js';

/** What is done to a stored file: read it again with the current parser (in the parser process). */
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
}
