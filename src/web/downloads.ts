import type { Response, Router } from 'express';
import { z } from 'zod';
import { downloadName } from '../domain/download-name.js';
import { OperationRefused } from '../errors.js';
import { fileForDownload, rawMessage } from '../registry/views/console-queries.js';
import { pageImageOf } from '../registry/views/document-view.js';
import { evidencePack } from '../registry/views/evidence-pack.js';
import { CampaignQuery, chosenCampaign } from './campaign-choice.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { addressReader } from './request-input.js';

// A stored mail's or file's number, looked up as it is: one that names nothing is not there (404).
const Stored = z.object({ id: z.string() });
const StoredPage = z.object({ id: z.string(), page: z.coerce.number().int().min(1).max(10_000) });
const AgencyEvidence = CampaignQuery.extend({ code: z.string() });

/** A mail as received (.eml) and a stored file, to download. */
export function registerDownloads(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  const address = addressReader(page);
  router.get('/messages/:id/raw', async (req, res) => {
    const asked = address(req, res, Stored);
    if (!asked) return;
    const raw = await rawMessage(deps.db, asked.id);
    if (!raw) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có thư này.' }, 404);
    sendFile(res, raw, `thu-${asked.id}.eml`, 'message/rfc822');
  });

  // An agency's evidence pack (tài liệu kiểm chứng) for a campaign: its mails, files, the office's replies, a summary.
  router.get('/agencies/:code/evidence.zip', async (req, res) => {
    const asked = address(req, res, AgencyEvidence);
    if (!asked) return;
    const chosen = await chosenCampaign(deps, asked.campaign);
    if (!chosen) return page(res, 'message', { title: 'Không tìm thấy', message: 'Chưa có đợt nào.' }, 404);
    const pack = await evidencePack(deps.db, chosen.campaign, asked.code, deps.clock.now(), {
      mailFrom: deps.config.MAIL_FROM,
      issuer: deps.config.OFFICE_NAME,
    }).catch((err: unknown) => {
      if (err instanceof OperationRefused && err.code === 'not_found') return undefined;
      throw err;
    });
    if (!pack)
      return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có cơ quan, đơn vị này.' }, 404);
    sendFile(res, pack.bytes, pack.filename, 'application/zip');
  });

  // A page of a scan as the parse pool drew it (a JPEG of our own encoding, not the sender's bytes): shown inline.
  router.get('/files/:id/pages/:page', async (req, res) => {
    const asked = address(req, res, StoredPage);
    if (!asked) return;
    const image = await pageImageOf(deps.db, asked.id, asked.page);
    if (!image) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có trang này.' }, 404);
    // Not kept by the browser either: a scan of an official record is not left on a shared computer.
    res.type(image.mime).setHeader('Cache-Control', 'no-store').send(image.bytes);
  });

  router.get('/files/:id', async (req, res) => {
    const asked = address(req, res, Stored);
    if (!asked) return;
    const file = await fileForDownload(deps.db, asked.id);
    if (!file) return page(res, 'message', { title: 'Không tìm thấy', message: 'Không có tệp này.' }, 404);
    const saved = downloadName(file.filename);
    // Marked as well: the name it came with, for the person who asks what the .txt is.
    if (saved.renamed) res.setHeader('X-Original-Filename', encodeURIComponent(file.filename));
    sendFile(res, file.bytes, saved.name, 'application/octet-stream');
  });
}

/**
 * A stored file, always as a download: a sender's file is never shown inline by the browser (an HTML or SVG
 * file named .doc would otherwise run on the console's origin), nor opened by it in place (`noopen`), and a
 * file that could run is saved under a name that does not (`downloadName`).
 */
function sendFile(res: Response, bytes: Buffer, filename: string, contentType: string): void {
  const ascii =
    filename
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/["\\]/g, '') || 'tep';
  res
    .type(contentType)
    .setHeader('X-Download-Options', 'noopen')
    .setHeader(
      'Content-Disposition',
      `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
    )
    .send(bytes);
}
