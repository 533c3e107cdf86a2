import type { Response, Router } from 'express';
import { z } from 'zod';
import { downloadName } from '../domain/download-name.js';
import { fileForDownload, rawMessage } from '../registry/views/console-queries.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';
import { addressReader } from './request-input.js';

// A stored mail's or file's number, looked up as it is: one that names nothing is not there (404).
const Stored = z.object({ id: z.string() });

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
