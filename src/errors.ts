/** Base of every error the project throws on purpose: a stable `code`, context for the log, and the cause. */
export class AppError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    readonly context: Record<string, unknown> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The process cannot start: an environment variable is missing or malformed. */
export class ConfigError extends AppError<'invalid_config'> {}

/** A data file (agency registry, campaign) is malformed; nothing of it was imported. */
export class DataFileError extends AppError<
  'invalid_csv' | 'invalid_campaign' | 'file_unreadable' | 'unknown_campaign'
> {}

/**
 * A person asked the registry for something it cannot do: no such item, an item in another state, a value
 * that does not fit. Nothing was changed; the message says why in words the CLI and the console can show.
 */
export class OperationRefused extends AppError<'not_found' | 'wrong_state' | 'invalid_input' | 'conflict'> {}

/** A condition that a retry may cure (a service is down). */
export class Transient extends AppError<
  'smtp_unavailable' | 'imap_unavailable' | 'database_unavailable' | 'redis_unavailable' | 'mail_in_hand'
> {}

/** The mail server refused a mail for good (a 5xx answer to it): retrying cannot help. */
export class MailRefused extends AppError<'smtp_rejected'> {}

/** Narrow an unknown thrown value to an Error, keeping the original as the cause. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value), { cause: value });
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ECONNABORTED',
]);

/**
 * Whether an error comes from a service being unreachable (Redis, PostgreSQL, the network) rather than from
 * the data in hand: such an error says nothing about the message being processed and is only retried.
 */
export function isConnectionError(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const x = e as { code?: unknown; message?: unknown };
    const code = typeof x.code === 'string' ? x.code : '';
    const message = typeof x.message === 'string' ? x.message : '';
    if (CONNECTION_CODES.has(code)) return true;
    // PostgreSQL: class 08 (connection exception), 57P01-57P03 (shutdown, cannot connect now).
    if (/^08...$|^57P0[1-3]$/.test(code)) return true;
    if (e instanceof Transient) return true;
    if (
      /Connection is closed|Stream isn't writeable|connect ECONNREFUSED|Connection terminated|timeout exceeded when trying to connect/i.test(
        message,
      )
    ) {
      return true;
    }
  }
  return false;
}
