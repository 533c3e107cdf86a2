import type { RequestHandler } from 'express';

/**
 * Headers on every answer of the ops server, the queue dashboard's included: no page of it may be framed by
 * another site (clickjacking an operator's click on "clean" or "retry"), nor sniffed as another type. The
 * console's pages replace the policy with their own stricter one, which forbids framing too.
 */
export const opsHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  next();
};
