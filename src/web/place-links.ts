import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import { locateReference } from '../registry/views/console-queries.js';
import { type PlaceKind, placeOf } from '../registry/views/places.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { addressReader } from './request-input.js';

// A record by its reference or number, answered with its place on the page of the mail it was read from: what a
// notice's "Xem …" links to after an action (undo-actions.ts). Numbers that name nothing are pages not there.
const SubmissionAddress = z.object({ reference: z.string() });
const RecordAddress = z.object({ id: z.string() });

export function registerPlaceLinks(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const address = addressReader(page);
  router.get('/submissions/:reference', async (req, res) => {
    const asked = address(req, res, SubmissionAddress);
    if (!asked) return;
    const at = await locateReference(deps.db, asked.reference);
    if (!at)
      return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có hồ sơ mang số này.' }, 404);
    res.redirect(303, `/messages/${at.message_id}#file-${at.attachment_id}`);
  });

  // `/files/:id` itself is the file's download.
  const goTo = (kind: PlaceKind, missing: string) => async (req: Request, res: Response) => {
    const asked = address(req, res, RecordAddress);
    if (!asked) return;
    const place = await placeOf(deps.db, kind, asked.id);
    if (!place) return page(res, 'message', { title: 'Không tìm thấy', message: missing }, 404);
    res.redirect(303, place);
  };
  router.get('/files/:id/mail', goTo('file', 'Không có tệp này.'));
  router.get('/initiatives/:id', goTo('initiative', 'Không có sáng kiến này.'));
  router.get('/results/:id', goTo('result', 'Không có kết quả này.'));
  router.get('/corrections/:id', goTo('correction', 'Không có nội dung sửa này.'));
}
