import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { loggerOptions } from '../../src/logger.js';
import { senderAuthWarning } from '../../src/mail/auth-results.js';
import { projectDir } from '../helpers/paths.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('a production process and sender checking', () => {
  it('refuses to start in production without a receiving host or an explicit SENDER_AUTH=off', () => {
    const err = configError({ NODE_ENV: 'production' });
    expect(err.message).toContain('TRUSTED_AUTHSERV_ID');
    expect(err.message).toContain('SENDER_AUTH=off');
    expect(loadConfig({ NODE_ENV: 'production', TRUSTED_AUTHSERV_ID: 'mx.hanoi.gov.vn' }).SENDER_AUTH).toBe(
      'default',
    );
    expect(
      loadConfig({ NODE_ENV: 'production', SENDER_AUTH: 'off', SENDER_AUTH_OFF_ACKNOWLEDGED: 'true' })
        .TRUSTED_AUTHSERV_ID,
    ).toBeUndefined();
    // Strict without a host would hold every mail: still a decision the office must make with a host.
    expect(() => loadConfig({ NODE_ENV: 'production', SENDER_AUTH: 'strict' })).toThrow(ConfigError);
  });

  it('refuses SENDER_AUTH=off in production unless a second setting acknowledges it', () => {
    const err = configError({ NODE_ENV: 'production', SENDER_AUTH: 'off' });
    expect(err.context.variables).toEqual(['SENDER_AUTH']);
    expect(err.message).toContain('SENDER_AUTH_OFF_ACKNOWLEDGED=true');
    expect(
      configError({ NODE_ENV: 'production', SENDER_AUTH: 'off', SENDER_AUTH_OFF_ACKNOWLEDGED: 'false' })
        .context.variables,
    ).toEqual(['SENDER_AUTH']);
    // Outside production the demo and the tests run with it off.
    expect(loadConfig({ SENDER_AUTH: 'off' }).SENDER_AUTH).toBe('off');
  });

  it('starts elsewhere, with a warning to log', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(senderAuthWarning(config)).toContain('TRUSTED_AUTHSERV_ID');
    expect(senderAuthWarning(loadConfig({ TRUSTED_AUTHSERV_ID: 'mx.hanoi.gov.vn' }))).toBeNull();
    expect(senderAuthWarning(loadConfig({ SENDER_AUTH: 'off' }))).toContain('SENDER_AUTH=off');
  });

  it('refuses an unknown SENDER_AUTH', () => {
    expect(configError({ SENDER_AUTH: 'lenient' }).message).toContain('SENDER_AUTH');
  });
});

describe('a production process and the published demo secrets', () => {
  const production = { NODE_ENV: 'production', TRUSTED_AUTHSERV_ID: 'mx.hanoi.gov.vn' };

  it('refuses every secret the project publishes, wherever a secret goes', () => {
    for (const [name, value] of [
      ['ADMIN_PASSWORD', 'reform-demo'],
      ['ADMIN_PASSWORD', ' Reform-Demo '],
      ['METRICS_TOKEN', 'reform-dev-metrics-token'],
      ['IMAP_PASSWORD', 'reform-dev'],
      ['SMTP_PASSWORD', 'canbo-demo-2021'],
      ['DATABASE_URL', 'postgres://reform:reform@postgres:5432/reform'],
      ['REDIS_URL', 'redis://:reform-demo@redis:6379'],
    ] as const) {
      const err = configError({ ...production, ADMIN_USER: 'operator', [name]: value });
      expect(err.context.variables, `${name}=${value}`).toContain(name);
      expect(err.message).toContain('published demo value');
      expect(err.message).not.toContain(value.trim());
    }
    // The same values start a development process (the demo).
    expect(
      loadConfig({ ADMIN_PASSWORD: 'reform-demo', METRICS_TOKEN: 'reform-dev-metrics-token' }),
    ).toBeTruthy();
  });

  it('asks for an operator password of 16 characters or more', () => {
    const err = configError({ ...production, ADMIN_PASSWORD: 'fifteen-chars-x' });
    expect(err.context.variables).toEqual(['ADMIN_PASSWORD']);
    expect(err.message).toContain('16 characters');
    expect(err.message).not.toContain('fifteen-chars-x');
    expect(loadConfig({ ...production, ADMIN_PASSWORD: 'sixteen-chars-xy' }).ADMIN_PASSWORD).toHaveLength(16);
    // Everywhere, no shorter than the console's own minimum.
    expect(configError({ ADMIN_PASSWORD: 'nine-char' }).context.variables).toEqual(['ADMIN_PASSWORD']);
  });

  it('stops a process at start with one line naming the setting and status 78', async () => {
    const start = async (worker: string, env: Record<string, string>) => {
      try {
        await promisify(execFile)('node', ['--import', 'tsx', `workers/${worker}.ts`], {
          cwd: projectDir,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
          timeout: 30_000,
        });
        return { code: 0, stderr: '' };
      } catch (err) {
        const e = err as { code: number; stderr: string };
        return { code: e.code, stderr: e.stderr };
      }
    };
    const demoPassword = await start('ops', {
      ...production,
      ADMIN_USER: 'operator',
      ADMIN_PASSWORD: 'reform-demo',
    });
    expect(demoPassword.code).toBe(78);
    expect(demoPassword.stderr.trim().split('\n')).toHaveLength(1);
    expect(demoPassword.stderr).toContain('ADMIN_PASSWORD');
    expect(demoPassword.stderr).not.toContain('reform-demo');
    const senderAuthOff = await start('poller', { NODE_ENV: 'production', SENDER_AUTH: 'off' });
    expect(senderAuthOff.code).toBe(78);
    expect(senderAuthOff.stderr.trim().split('\n')).toHaveLength(1);
    expect(senderAuthOff.stderr).toContain('SENDER_AUTH');
  }, 60_000);
});

describe('the console behind TLS', () => {
  it('has Secure cookies (and HSTS) by default in production, and only where asked elsewhere', () => {
    const production = { NODE_ENV: 'production', TRUSTED_AUTHSERV_ID: 'mx.hanoi.gov.vn' };
    expect(loadConfig(production).CONSOLE_SECURE_COOKIES).toBe(true);
    expect(loadConfig({ ...production, CONSOLE_SECURE_COOKIES: 'false' }).CONSOLE_SECURE_COOKIES).toBe(false);
    expect(loadConfig({}).CONSOLE_SECURE_COOKIES).toBe(false);
    expect(loadConfig({ CONSOLE_SECURE_COOKIES: 'true' }).CONSOLE_SECURE_COOKIES).toBe(true);
  });
});

describe('mail servers without TLS', () => {
  it('are refused for a remote host', () => {
    const err = configError({ IMAP_HOST: 'mail.hanoi.gov.vn', IMAP_SECURITY: 'plain' });
    expect(err.message).toContain('IMAP_SECURITY');
    expect(err.message).toContain('mail.hanoi.gov.vn');
    expect(configError({ SMTP_HOST: '10.0.0.5', SMTP_SECURITY: 'plain' }).message).toContain('SMTP_SECURITY');
  });

  it('are allowed on loopback and for hosts listed in PLAIN_MAIL_HOSTS', () => {
    expect(() => loadConfig({ IMAP_HOST: 'localhost', SMTP_HOST: '::1' })).not.toThrow();
    const listed = loadConfig({
      IMAP_HOST: 'Mailpit',
      SMTP_HOST: 'mailpit',
      PLAIN_MAIL_HOSTS: 'mailpit, dovecot',
    });
    expect(listed.PLAIN_MAIL_HOSTS).toEqual(['mailpit', 'dovecot']);
    expect(() => loadConfig({ IMAP_HOST: 'mail.hanoi.gov.vn', IMAP_SECURITY: 'tls' })).not.toThrow();
  });
});

describe('secrets', () => {
  it('never appear in a configuration error', () => {
    const err = configError({
      DATABASE_URL: 'mysql://reform:db-secret-1@db.example/reform',
      ADMIN_PASSWORD: 'short',
      METRICS_TOKEN: 'tok-secret',
    });
    for (const variable of ['DATABASE_URL', 'ADMIN_PASSWORD', 'METRICS_TOKEN']) {
      expect(err.message).toContain(variable);
    }
    expect(err.message).not.toContain('db-secret-1');
    expect(err.message).not.toContain('short"');
    expect(err.message).not.toContain('tok-secret');
    // What is not secret is still shown, to help fix it.
    expect(err.message).toContain('mysql://reform:***@db.example/reform');
  });

  it('never appear in the logs', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino(loggerOptions({ LOG_LEVEL: 'info' }), sink);
    log.info(
      {
        config: {
          SMTP_PASSWORD: 'smtp-secret',
          DATABASE_URL: 'postgres://u:pg-secret@h/db',
          SMTP_HOST: 'mx',
        },
        auth: { user: 'u', pass: 'pass-secret' },
        req: { headers: { authorization: 'Basic b3BlcmF0b3I6c2VjcmV0' } },
      },
      'configured',
    );
    log.error({ err: new Error('connect failed: redis://:redis-secret@cache:6379') }, 'redis down');
    const out = lines.join('');
    for (const secret of [
      'smtp-secret',
      'pg-secret',
      'pass-secret',
      'b3BlcmF0b3I6c2VjcmV0',
      'redis-secret',
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('"SMTP_HOST":"mx"');
    expect(out).toContain('redis://:***@cache:6379');
  });
});
