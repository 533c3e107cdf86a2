import type { RequestHandler } from 'express';
import type { Config } from '../../config.js';

/**
 * Headers on every answer of the ops server, the queue dashboard's included: no page of it may be framed by
 * another site (clickjacking an operator's click on "clean" or "retry"), nor sniffed as another type. The
 * console's pages replace the policy with their own stricter one, which forbids framing too. Served through TLS
 * (CONSOLE_SECURE_COOKIES, the default in production), browsers are told to come back only through it (HSTS).
 */
export function opsHeaders(config: Pick<Config, 'CONSOLE_SECURE_COOKIES'>): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    if (config.CONSOLE_SECURE_COOKIES) res.setHeader('Strict-Transport-Security', 'max-age=31536000');
    next();
  };
}
