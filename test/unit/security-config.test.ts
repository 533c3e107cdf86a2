import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';
import { loggerOptions } from '../../src/logger.js';
import { senderAuthWarning } from '../../src/mail/auth-results.js';

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
    expect(loadConfig({ NODE_ENV: 'production', SENDER_AUTH: 'off' }).TRUSTED_AUTHSERV_ID).toBeUndefined();
    // Strict without a host would hold every mail: still a decision the office must make with a host.
    expect(() => loadConfig({ NODE_ENV: 'production', SENDER_AUTH: 'strict' })).toThrow(ConfigError);
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
