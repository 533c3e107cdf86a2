import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';
import {
  longEnough,
  PASSWORD_MIN_LENGTH,
  PRODUCTION_OPERATOR_PASSWORD_MIN_LENGTH,
} from './domain/password-policy.js';
import { ConfigError } from './errors.js';

const port = z.coerce.number().int().min(1).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');
const emailList = z
  .string()
  .transform((s) =>
    s
      .split(',')
      .map((e) => e.trim())
      .filter((e) => e.length > 0),
  )
  .pipe(z.array(z.email()));
const cron = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, 'expected a five-field cron expression such as "0 8 * * *"');

// Every variable the processes read, with defaults that point at the local services of scripts/services.sh.
const Env = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  TIME_ZONE: z
    .string()
    .default('Asia/Ho_Chi_Minh')
    .refine((tz) => isTimeZone(tz), 'expected an IANA time zone such as Asia/Ho_Chi_Minh'),
  REFORM_DATA_DIR: z.string().min(1).optional(),

  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// URL')
    .default('postgres://reform@127.0.0.1:54329/reform'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'expected a redis:// URL')
    .default('redis://127.0.0.1:6390'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'expected letters, digits, - or _')
    .default('reform'),

  IMAP_HOST: z.string().min(1).default('127.0.0.1'),
  IMAP_PORT: port.default(1143),
  IMAP_SECURITY: z.enum(['tls', 'starttls', 'plain']).default('plain'),
  IMAP_USER: z.string().min(1).default('phongcchc_sonv'),
  IMAP_PASSWORD: z.string().optional(),
  IMAP_ACCESS_TOKEN: z.string().optional(),
  IMAP_MAILBOX: z.string().min(1).default('INBOX'),
  IMAP_PROCESSED_FOLDER: z.string().min(1).default('Processed'),
  IMAP_REVIEW_FOLDER: z.string().min(1).default('Needs review'),
  IMAP_AFTER_PROCESSING: z.enum(['move', 'flag']).default('move'),
  IMAP_POLL_INTERVAL_SECONDS: positiveInt.default(60),
  IMAP_INITIAL_SCAN: z
    .union([z.literal('all'), z.iso.date()])
    .default('all')
    .describe('"all" or a date YYYY-MM-DD'),
  IMAP_MAX_ACK_AGE_DAYS: positiveInt.default(30),
  IMAP_LOCK_TTL_SECONDS: positiveInt.default(30),

  SMTP_HOST: z.string().min(1).default('127.0.0.1'),
  SMTP_PORT: port.default(2525),
  SMTP_SECURITY: z.enum(['tls', 'starttls', 'plain']).default('plain'),
  SMTP_USER: z.string().optional(),
  SMTP_PASSWORD: z.string().optional(),
  MAIL_FROM: z.string().min(3).default('Phòng CCHC - Sở Nội vụ Hà Nội <phongcchc_sonv@hanoi.gov.vn>'),
  STAFF_EMAILS: emailList.default(['staff@hanoi.gov.vn']),
  /** The office's name as every mail and page shows it (the heading above the content). */
  OFFICE_NAME: z.string().trim().min(1).default('Sở Nội vụ Hà Nội - Phòng Cải cách hành chính'),
  /**
   * Who issues the consolidated report for the City People's Committee: the governing body and the Sở, as the
   * Word report's heading writes them (above one another, the Sở bold and underlined).
   */
  REPORT_ISSUER: z.string().trim().min(1).default('UBND Thành phố Hà Nội - Sở Nội vụ'),
  /** Whom an agency may call about its forms (name and phone), shown in the mails; empty shows none. */
  OFFICE_CONTACT: z.string().trim().default(''),
  /** Replies at most this many times a day to one address outside the registry. */
  ACK_MAX_PER_UNKNOWN_ADDRESS_PER_DAY: positiveInt.default(3),
  /** Replies at most this many times an hour to all addresses outside the registry together. */
  ACK_MAX_UNKNOWN_PER_HOUR: positiveInt.default(30),
  /** Replies at most this many times a day to addresses outside the registry at one domain, together. */
  ACK_MAX_PER_UNKNOWN_DOMAIN_PER_DAY: positiveInt.default(10),
  ACK_MAX_PER_SENDER_PER_HOUR: positiveInt.default(5),
  /**
   * The authserv-id(s) the office's own receiving server writes into Authentication-Results (comma-separated):
   * a `pass` is believed only from it. Unset: no pass is believed (a `fail` still is, from any header).
   */
  TRUSTED_AUTHSERV_ID: z.string().trim().optional(),
  /** strict: a registry sender counts only with a pass | default: unless it fails | off: not checked at all. */
  SENDER_AUTH: z.enum(['strict', 'default', 'off']).default('default'),
  /** In production, SENDER_AUTH=off is accepted only with this set to true: a second, deliberate decision. */
  SENDER_AUTH_OFF_ACKNOWLEDGED: bool.default(false),
  /** Hosts other than loopback that IMAP/SMTP may reach without TLS (`plain`), e.g. a dev server in compose. */
  PLAIN_MAIL_HOSTS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim().toLowerCase())
        .filter((h) => h.length > 0),
    )
    .default([]),

  MAX_MESSAGE_BYTES: positiveInt.default(30 * 1024 * 1024),
  MAX_ATTACHMENT_BYTES: positiveInt.default(20 * 1024 * 1024),
  MAX_UNCOMPRESSED_BYTES: positiveInt.default(100 * 1024 * 1024),
  /** Files of one email that are parsed; the rest are kept as skipped (too_many_attachments). At most 1,000. */
  MAX_ATTACHMENTS_PER_MESSAGE: positiveInt.max(1000).default(50),
  /** MIME parts of one email that are read; the parts after are kept in the raw mail only. */
  MAX_MIME_PARTS: positiveInt.max(10_000).default(500),
  /** How deep MIME parts may nest (forwarded mail inside forwarded mail); deeper parts are not read. */
  MAX_MIME_DEPTH: positiveInt.max(100).default(10),
  PARSE_TIMEOUT_MS: positiveInt.default(30_000),
  /** Resident memory one parse may use (its child process's RSS), in MB; past it the file is too_large. */
  PARSE_MEMORY_MB: positiveInt.default(400),
  /** Entries a .docx archive may hold (a Word form has a few dozen). */
  MAX_ZIP_ENTRIES: positiveInt.default(1000),
  /** Total of a .docx's XML parts, which become a document tree of ~85x their size in memory. */
  MAX_DOCX_XML_BYTES: positiveInt.default(2 * 1024 * 1024),
  /** Total a PDF's compressed streams may inflate to. */
  MAX_PDF_STREAM_BYTES: positiveInt.default(64 * 1024 * 1024),
  /** Pages a PDF may have (forms are a few pages). */
  MAX_PDF_PAGES: positiveInt.default(50),
  /** Initiatives (or results) one form may list. */
  MAX_INITIATIVES_PER_FORM: positiveInt.default(200),
  /** Parse jobs one parser process works on at once (their database work overlaps the parsing). */
  PARSE_CONCURRENCY: positiveInt.default(4),
  /**
   * Processes that parse at once; 0: one per core, up to 8 (the jobs' own work is mostly waiting on the database
   * and shares the cores well: docs/performance.md).
   */
  PARSE_THREADS: z.coerce.number().int().min(0).default(0),
  MAIL_CONCURRENCY: positiveInt.default(2),
  MAIL_RETRY_BASE_MS: positiveInt.default(5000),
  JOB_ATTEMPTS: positiveInt.default(3),
  JOB_LOCK_MS: positiveInt.default(10_000),

  REMINDER_CRON: cron.default('0 8 * * *'),
  DIGEST_CRON: cron.default('0 17 * * *'),
  /** The scheduled digest: every day (always), or only on days with something new or waiting for a person. */
  DIGEST_WHEN: z.enum(['always', 'changes']).default('changes'),

  HTTP_HOST: z.string().min(1).default('127.0.0.1'),
  HTTP_PORT: port.default(8080),
  /** Where a poller, parser, mailer or scheduler process serves its own /metrics and /healthz. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Port of that server; 0 (the default) serves none. Processes on one machine each need their own. */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  ADMIN_USER: z.string().min(1).optional(),
  /** The console's minimum (src/domain/password-policy.ts); production asks for more (see productionProblems). */
  ADMIN_PASSWORD: z
    .string()
    .refine((p) => longEnough(p), `expected at least ${PASSWORD_MIN_LENGTH} characters`)
    .optional(),
  /** Bearer token a Prometheus scraper may send for /metrics instead of the operators' credentials. */
  METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  /** The staff console: a session unused this many hours ends. */
  CONSOLE_SESSION_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(8),
  /** The staff console: a session ends this many hours after sign-in, however busy (at least the idle time). */
  CONSOLE_SESSION_MAX_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  /**
   * Served through TLS: the console's cookies Secure and `__Host-` named, and HSTS on every answer. Unset: true in
   * production, false elsewhere.
   */
  CONSOLE_SECURE_COOKIES: bool.optional(),
  /** The staff console's address as staff reach it (https://…): the digest links each item and agency to it. */
  CONSOLE_URL: z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, 'expected an http(s) address')
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  /** Proxies in front of the ops server whose X-Forwarded-For to believe (0: none), for the client address. */
  HTTP_TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
});

export type Config = Readonly<
  Omit<z.infer<typeof Env>, 'CONSOLE_SECURE_COOKIES'> & { CONSOLE_SECURE_COOKIES: boolean }
>;
export type ConfigInput = Partial<Record<keyof z.input<typeof Env>, string>>;

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Whether a host name is this machine (traffic to it never crosses a network). */
export function isLoopbackHost(host: string): boolean {
  return /^(127\.\d+\.\d+\.\d+|::1|\[::1\]|localhost|::ffff:127\.\d+\.\d+\.\d+)$/i.test(host.trim());
}

const SECRET_NAME = /PASSWORD|TOKEN|SECRET/;

/** A value as it may be shown in an error: secrets never, a URL without the password in it. */
function shownValue(name: string, value: unknown): string {
  if (SECRET_NAME.test(name)) return '[redacted]';
  return JSON.stringify(redactUrlCredentials(String(value)));
}

/** `scheme://user:password@host` → `scheme://user:***@host`, anywhere in a text. */
export function redactUrlCredentials(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:@/\s]*:)[^@/\s]*@/gi, '$1***@');
}

/**
 * Secrets this project publishes (the demo's and the development services' own): anyone may read them, so a
 * production process refuses them wherever a secret goes.
 */
export const PUBLISHED_SECRETS: readonly string[] = [
  'reform',
  'reform-demo',
  'reform-dev',
  'reform-dev-metrics-token',
  'canbo-demo-2021',
];

/** The password inside a `scheme://user:password@host` URL, if any. */
function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password ? decodeURIComponent(password) : undefined;
  } catch {
    return undefined;
  }
}

/** Production's own rules: no published secret, a long operator password, sender checking switched off only knowingly. */
function productionProblems(c: z.infer<typeof Env>): { name: string; message: string }[] {
  const problems: { name: string; message: string }[] = [];
  const secrets: [string, string | undefined][] = [
    ['ADMIN_PASSWORD', c.ADMIN_PASSWORD],
    ['METRICS_TOKEN', c.METRICS_TOKEN],
    ['IMAP_PASSWORD', c.IMAP_PASSWORD],
    ['SMTP_PASSWORD', c.SMTP_PASSWORD],
    ['DATABASE_URL', urlPassword(c.DATABASE_URL)],
    ['REDIS_URL', urlPassword(c.REDIS_URL)],
  ];
  for (const [name, value] of secrets) {
    if (value !== undefined && PUBLISHED_SECRETS.includes(value.trim().toLowerCase()))
      problems.push({ name, message: 'a published demo value, known to anyone: choose your own secret' });
  }
  if (
    c.ADMIN_PASSWORD !== undefined &&
    !longEnough(c.ADMIN_PASSWORD, PRODUCTION_OPERATOR_PASSWORD_MIN_LENGTH)
  )
    problems.push({
      name: 'ADMIN_PASSWORD',
      message: `expected at least ${PRODUCTION_OPERATOR_PASSWORD_MIN_LENGTH} characters in production`,
    });
  if (c.SENDER_AUTH === 'off' && !c.SENDER_AUTH_OFF_ACKNOWLEDGED)
    problems.push({
      name: 'SENDER_AUTH',
      message:
        'off in production lets anyone write as a registered agency: set SENDER_AUTH_OFF_ACKNOWLEDGED=true as well to run without checking senders, or use default with TRUSTED_AUTHSERV_ID',
    });
  if (!c.TRUSTED_AUTHSERV_ID && c.SENDER_AUTH !== 'off') {
    problems.push({
      name: 'TRUSTED_AUTHSERV_ID',
      message:
        'required in production: the authserv-id your receiving mail server writes into Authentication-Results (or set SENDER_AUTH=off with SENDER_AUTH_OFF_ACKNOWLEDGED=true to run without checking senders)',
    });
  }
  return problems;
}

/** Settings that are each valid but not together (the office's security rules), as `NAME: problem` lines. */
function policyProblems(c: z.infer<typeof Env>): { name: string; message: string }[] {
  const problems = c.NODE_ENV === 'production' ? productionProblems(c) : [];
  for (const [kind, host, security] of [
    ['IMAP', c.IMAP_HOST, c.IMAP_SECURITY],
    ['SMTP', c.SMTP_HOST, c.SMTP_SECURITY],
  ] as const) {
    if (security === 'plain' && !isLoopbackHost(host) && !c.PLAIN_MAIL_HOSTS.includes(host.toLowerCase())) {
      problems.push({
        name: `${kind}_SECURITY`,
        message: `plain (no TLS) to ${host} would send the password in clear: use tls or starttls, or list the host in PLAIN_MAIL_HOSTS`,
      });
    }
  }
  return problems;
}

/** Validate the environment once; a bad variable stops the process with a one-line message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv | ConfigInput = process.env): Config {
  // An empty string means "not set", as in a .env line `SMTP_USER=`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.join('.') || '(environment)';
      const got = issue.path.length === 1 ? cleaned[String(issue.path[0])] : undefined;
      return `${name}: ${issue.message}${got === undefined ? '' : ` (got ${shownValue(name, got)})`}`;
    });
    throw new ConfigError('invalid_config', `Invalid configuration: ${problems.join('; ')}`, {
      variables: parsed.error.issues.map((i) => i.path.join('.')),
    });
  }
  const policy = policyProblems(parsed.data);
  if (policy.length > 0) {
    throw new ConfigError(
      'invalid_config',
      `Invalid configuration: ${policy.map((p) => `${p.name}: ${p.message}`).join('; ')}`,
      { variables: policy.map((p) => p.name) },
    );
  }
  // Settings whose default depends on another.
  const secure = parsed.data.CONSOLE_SECURE_COOKIES ?? parsed.data.NODE_ENV === 'production';
  return Object.freeze({ ...parsed.data, CONSOLE_SECURE_COOKIES: secure });
}

/** The process environment over an optional `.env` file: a variable set in the environment wins. */
export function readEnvironment(
  dotenvPath = '.env',
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  if (!existsSync(dotenvPath)) return env;
  const fromFile = parseDotenv(readFileSync(dotenvPath));
  return { ...fromFile, ...env };
}

/** What `scripts/services.sh` writes to `$REFORM_DATA_DIR/services.env`: where that folder's services listen. */
const DATA_DIR_SERVICES = [
  'DATABASE_URL',
  'REDIS_URL',
  'IMAP_HOST',
  'IMAP_PORT',
  'IMAP_USER',
  'IMAP_PASSWORD',
  'SMTP_HOST',
  'SMTP_PORT',
] as const;

/**
 * The environment of the `reform` command: as `readEnvironment`, but with REFORM_DATA_DIR set (in the environment
 * or `.env`) the services are that folder's, as its `services.env` names them. They go before the `.env` file's
 * (a copy of .env.example names the default stack) and after a variable set in the environment itself. A folder
 * without `services.env` is refused unless DATABASE_URL and REDIS_URL are set in the environment: a command meant
 * for one stack must never write into another's database.
 */
export function readCliEnvironment(
  dotenvPath = '.env',
  env: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const fromFile = existsSync(dotenvPath) ? parseDotenv(readFileSync(dotenvPath)) : {};
  const dir = env.REFORM_DATA_DIR || fromFile.REFORM_DATA_DIR;
  if (!dir) return { ...fromFile, ...env };
  const servicesFile = join(dir, 'services.env');
  if (!existsSync(servicesFile)) {
    if (env.DATABASE_URL && env.REDIS_URL) return { ...fromFile, ...env };
    throw new ConfigError(
      'invalid_config',
      `Invalid configuration: REFORM_DATA_DIR: ${dir} has no services.env (its services were never started): run \`REFORM_DATA_DIR=${dir} npm run services:up\`, or set DATABASE_URL and REDIS_URL`,
      { variables: ['REFORM_DATA_DIR'] },
    );
  }
  const written = parseDotenv(readFileSync(servicesFile));
  const services = Object.fromEntries(
    DATA_DIR_SERVICES.flatMap((k) => (written[k] ? [[k, written[k]]] : [])),
  );
  // An empty variable is not set (as in loadConfig): it must not put the default back over the folder's service.
  const set = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  return { ...fromFile, ...services, ...set };
}

/** The name of every variable the configuration reads (documented in .env.example and the README). */
export const CONFIG_VARIABLES = Object.keys(Env.shape) as (keyof z.infer<typeof Env>)[];

/** Parser threads: as configured, or one per core (at least one, at most eight). */
export function parseThreads(config: Pick<Config, 'PARSE_THREADS'>): number {
  return config.PARSE_THREADS || Math.max(1, Math.min(8, availableParallelism()));
}

/** What one email may ask of the intake, as configured (src/domain/intake-limits.ts says what is told). */
export const intakeLimits = (
  config: Pick<Config, 'MAX_ATTACHMENTS_PER_MESSAGE' | 'MAX_MIME_PARTS' | 'MAX_MIME_DEPTH'>,
) => ({
  maxAttachments: config.MAX_ATTACHMENTS_PER_MESSAGE,
  maxParts: config.MAX_MIME_PARTS,
  maxDepth: config.MAX_MIME_DEPTH,
});

/** The parser's limits as configured: largest file, largest total a .docx may inflate to. */
export const parserLimits = (
  config: Pick<
    Config,
    | 'MAX_ATTACHMENT_BYTES'
    | 'MAX_UNCOMPRESSED_BYTES'
    | 'MAX_ZIP_ENTRIES'
    | 'MAX_DOCX_XML_BYTES'
    | 'MAX_PDF_STREAM_BYTES'
    | 'MAX_PDF_PAGES'
    | 'MAX_INITIATIVES_PER_FORM'
    | 'PARSE_MEMORY_MB'
  >,
) => ({
  maxBytes: config.MAX_ATTACHMENT_BYTES,
  maxUncompressedBytes: config.MAX_UNCOMPRESSED_BYTES,
  maxZipEntries: config.MAX_ZIP_ENTRIES,
  maxXmlBytes: config.MAX_DOCX_XML_BYTES,
  maxPdfStreamBytes: config.MAX_PDF_STREAM_BYTES,
  maxPdfPages: config.MAX_PDF_PAGES,
  maxInitiatives: config.MAX_INITIATIVES_PER_FORM,
  memoryBudgetMb: config.PARSE_MEMORY_MB,
});
