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

/** A condition that a retry may cure (a service is down). */
export class Transient extends AppError<
  'smtp_unavailable' | 'imap_unavailable' | 'database_unavailable' | 'redis_unavailable'
> {}

/** Narrow an unknown thrown value to an Error, keeping the original as the cause. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value), { cause: value });
}
