import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parse } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig, parseThreads } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('defaults to the local services and the Vietnamese time zone', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBe('postgres://reform@127.0.0.1:54329/reform');
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6390');
    expect(config.IMAP_PORT).toBe(1143);
    expect(config.SMTP_PORT).toBe(2525);
    expect(config.TIME_ZONE).toBe('Asia/Ho_Chi_Minh');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('coerces numbers and lists from strings', () => {
    const config = loadConfig({ IMAP_PORT: '993', STAFF_EMAILS: 'a@x.vn, b@x.vn' });
    expect(config.IMAP_PORT).toBe(993);
    expect(config.STAFF_EMAILS).toEqual(['a@x.vn', 'b@x.vn']);
  });

  it('names a malformed variable and what it got, on one line', () => {
    const err = configError({ IMAP_PORT: 'abc' });
    expect(err.code).toBe('invalid_config');
    expect(err.message).toContain('IMAP_PORT');
    expect(err.message).toContain('"abc"');
    expect(err.message).not.toContain('\n');
  });

  it('names every bad variable at once', () => {
    const err = configError({
      DATABASE_URL: 'mysql://x',
      TIME_ZONE: 'Mars/Olympus',
      STAFF_EMAILS: 'not-an-address',
    });
    expect(err.message).toContain('DATABASE_URL');
    expect(err.message).toContain('TIME_ZONE');
    expect(err.message).toContain('STAFF_EMAILS');
    expect(err.context.variables).toHaveLength(3);
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ SMTP_USER: '', IMAP_PORT: '' }).IMAP_PORT).toBe(1143);
  });

  it('refuses a cron expression that is not five fields', () => {
    expect(configError({ REMINDER_CRON: 'every morning' }).message).toContain('REMINDER_CRON');
  });
});

describe('parser threads', () => {
  it('are as configured, or by default one per core, never none, at most eight', () => {
    expect(parseThreads(loadConfig({ PARSE_THREADS: '3' }))).toBe(3);
    const auto = parseThreads(loadConfig({}));
    expect(auto).toBe(Math.min(8, Math.max(1, availableParallelism())));
    expect(auto).toBeGreaterThanOrEqual(1);
    expect(() => loadConfig({ PARSE_THREADS: '-1' })).toThrow(ConfigError);
  });
});

describe('.env.example', () => {
  it('documents exactly the variables the configuration reads, with valid defaults', () => {
    const example = parse(readFileSync(new URL('../../.env.example', import.meta.url)));
    expect(Object.keys(example).sort()).toEqual([...CONFIG_VARIABLES].sort());
    const fromExample = loadConfig(example);
    expect(fromExample).toEqual(loadConfig({}));
  });
});
