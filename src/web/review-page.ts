import type { Router } from 'express';
import { isHeld } from '../domain/review-reasons.js';
import { reviewPage } from '../registry/views/console-queries.js';
import type { ConsoleDeps } from './deps.js';
import type { PageRenderer } from './page-renderer.js';

/** The review list: what waits for a person, each item with what its actions need. Its address asks nothing. */
export function registerReviewPage(router: Router, deps: ConsoleDeps, page: PageRenderer): void {
  router.get('/review', async (_req, res) => {
    const view = await reviewPage(deps.db);
    page(res, 'review', {
      title: 'Việc cần xử lý',
      nav: 'review',
      count: view.items.length,
      agencies: view.agencies,
      dismissed: view.dismissed,
      bounced: view.bounced,
      items: view.items.map((i) => ({
        ...i,
        isMessage: i.kind === 'message',
        isResult: i.kind === 'result',
        kindLabel:
          i.kind === 'message'
            ? isHeld(i.reasons)
              ? 'Thư chờ xác nhận'
              : 'Thư cần kiểm tra'
            : i.kind === 'file'
              ? 'Tệp không đọc được'
              : 'Kết quả chưa khớp',
        link:
          i.kind === 'message'
            ? `/messages/${i.id}`
            : i.reference
              ? `/submissions/${encodeURIComponent(i.reference)}`
              : i.messageId
                ? `/messages/${i.messageId}#file-${i.id}`
                : null,
      })),
    });
  });
}
