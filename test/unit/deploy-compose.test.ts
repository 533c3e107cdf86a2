import { existsSync, readFileSync } from 'node:fs';
import { parse as parseDotenv } from 'dotenv';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadConfig, PUBLISHED_SECRETS } from '../../src/config.js';
import { ConfigError } from '../../src/errors.js';

// Docker cannot run on the development machines: these tests read docker-compose.yml and the Dockerfile the way
// an operator would, and check what makes them safe to run.
const root = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  entrypoint?: string[];
  init?: boolean;
  stop_grace_period?: string;
  env_file?: unknown;
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test?: string[]; disable?: boolean };
  depends_on?: Record<string, { condition: string }>;
  restart?: string;
  profiles?: string[];
  volumes?: string[];
}
const compose = parseYaml(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  configs?: Record<string, unknown>;
};
const services = compose.services;
const WORKERS = ['poller', 'parser', 'mailer', 'scheduler', 'ops'] as const;

/**
 * A value as compose interpolates it from `vars` (nothing: what compose does without a .env): `${NAME:-default}`,
 * `${NAME}`, and `${NAME:?message}`, which stops compose when NAME is unset (here: throws).
 */
function interpolate(value: string, vars: Record<string, string> = {}): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::?([-?])([^}]*))?\}/g,
    (_m, name: string, op: string | undefined, arg: string | undefined) => {
      const set = vars[name];
      if (set) return set;
      if (op === '?') throw new Error(`compose stops: ${name} is required (${arg})`);
      return op === '-' ? (arg ?? '') : '';
    },
  );
}
const withDefaults = (value: string) => interpolate(value);

/** A service's environment as its container gets it from `vars` (the values are strings). */
const environmentOf = (service: string, vars: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(services[service]?.environment ?? {}).map(([k, v]) => [k, interpolate(String(v), vars)]),
  );

/** The demo's settings (docker compose --env-file deploy/demo.env). */
const demoEnv = parseDotenv(read('deploy/demo.env'));

/** "60s", "1m30s", "2m" → milliseconds. */
function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+)(ms|s|m|h)/g)];
  expect(parts.map((p) => p[0]).join(''), `a compose duration: ${text}`).toBe(text);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((n, [, value, u]) => n + Number(value) * unit[u as keyof typeof unit], 0);
}

describe('docker-compose.yml', () => {
  it('runs PostgreSQL, Redis, migrations and every process kind; the development mail servers only in the demo', () => {
    for (const name of ['postgres', 'redis', 'migrate', ...WORKERS, 'dovecot', 'mailpit', 'demo'])
      expect(Object.keys(services)).toContain(name);
    // Each process with the node flags it is started with outside compose (`npm run start:KIND`).
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const kind of WORKERS)
      expect(services[kind]?.command, kind).toEqual(scripts[`start:${kind}`]?.split(' ').slice(1));
    expect(services.poller?.command).toContain('--heap-growing-percent=50');
    // Started by a plain `docker compose up`: no profile on the pipeline.
    for (const name of ['postgres', 'redis', 'migrate', ...WORKERS])
      expect(services[name]?.profiles, name).toBeUndefined();
    for (const name of ['dovecot', 'mailpit', 'demo'])
      expect(services[name]?.profiles, name).toEqual(['demo']);
    expect(demoEnv.COMPOSE_PROFILES).toBe('demo');
  });

  it('health-checks every long-running service, each process by its own /healthz', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.restart === 'no') continue; // one-shot: migrate, demo, cli
      expect(service.healthcheck?.test?.length, `${name} has a healthcheck`).toBeGreaterThan(0);
      expect(service.healthcheck?.disable, name).not.toBe(true);
    }
    for (const kind of WORKERS)
      expect(services[kind]?.healthcheck?.test).toEqual(['CMD', 'node', 'bin/healthcheck.js', kind]);
  });

  it('gives every process init, a grace period longer than the longest job, and an optional .env', () => {
    const defaults = loadConfig({});
    const longestJobMs = Math.max(defaults.PARSE_TIMEOUT_MS, defaults.JOB_LOCK_MS);
    for (const kind of [...WORKERS, 'migrate']) {
      const service = services[kind] as Service;
      expect(service.init, `${kind} init`).toBe(true);
      expect(durationMs(service.stop_grace_period ?? '10s'), `${kind} grace`).toBeGreaterThan(longestJobMs);
      expect(service.env_file, kind).toEqual([{ path: '.env', required: false }]);
      expect(service.depends_on?.migrate?.condition ?? 'migrate itself').not.toBe('service_started');
    }
    for (const kind of WORKERS) {
      expect(services[kind]?.depends_on).toMatchObject({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
        migrate: { condition: 'service_completed_successfully' },
      });
    }
  });

  it('pins every image to a version (no :latest, no bare name)', () => {
    for (const [name, service] of Object.entries(services)) {
      const image = service.image ?? '';
      expect(image, `${name} names an image`).not.toBe('');
      const tag = image.split('@')[0]?.split(':')[1] ?? '';
      expect(tag, `${name}: ${image}`).toMatch(/\d+\.\d+/);
      expect(tag, `${name}: ${image}`).not.toMatch(/latest/);
    }
  });

  it('publishes ports on 127.0.0.1 only', () => {
    const published = Object.entries(services).flatMap(([name, s]) => (s.ports ?? []).map((p) => [name, p]));
    expect(published.length).toBeGreaterThan(0);
    for (const [name, port] of published)
      expect(withDefaults(port ?? ''), name).toMatch(/^127\.0\.0\.1:\d+:\d+$/);
  });

  it('supplies no secret and switches no check off for production: without .env it does not start', () => {
    // Not one published secret is written in the file (only the demo's settings file holds them).
    const text = read('docker-compose.yml')
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'))
      .join('\n');
    for (const secret of PUBLISHED_SECRETS.filter((s) => s !== 'reform')) expect(text).not.toContain(secret);
    // The database's password must be given: compose refuses to interpolate the file without it.
    expect(() => environmentOf('ops', {})).toThrow(/POSTGRES_PASSWORD/);
    expect(() => interpolate(String(services.postgres?.environment?.POSTGRES_PASSWORD))).toThrow(
      /POSTGRES_PASSWORD/,
    );
    // With only a database password, each process runs as production and refuses to start, naming what it lacks.
    for (const kind of WORKERS) {
      const env = environmentOf(kind, { POSTGRES_PASSWORD: 'a-password-of-the-office' });
      expect(env.NODE_ENV, kind).toBe('production');
      for (const name of ['SENDER_AUTH', 'ADMIN_PASSWORD', 'METRICS_TOKEN', 'IMAP_PASSWORD'])
        expect(env[name] ?? '', `${kind} ${name}`).toBe('');
      expect(() => loadConfig(env), kind).toThrow(/TRUSTED_AUTHSERV_ID/);
    }
  });

  it("runs the demo's settings in development mode: the same settings as production are refused", () => {
    for (const kind of WORKERS) {
      const env = environmentOf(kind, demoEnv);
      expect(env).toMatchObject({
        NODE_ENV: 'development',
        IMAP_HOST: 'dovecot',
        IMAP_SECURITY: 'plain',
        SMTP_HOST: 'mailpit',
        SMTP_SECURITY: 'plain',
        SENDER_AUTH: 'off',
      });
      expect(env.PLAIN_MAIL_HOSTS?.split(',')).toEqual(expect.arrayContaining(['dovecot', 'mailpit']));
      const config = loadConfig(env);
      expect(config.METRICS_PORT, kind).toBeGreaterThan(0);
      expect(config.DATABASE_URL).toMatch(/@postgres:5432\//);
      expect(config.REDIS_URL).toBe('redis://redis:6379');
      let refused: unknown;
      try {
        loadConfig({ ...env, NODE_ENV: 'production' });
      } catch (err) {
        refused = err;
      }
      expect(refused, kind).toBeInstanceOf(ConfigError);
      const names = (refused as ConfigError).context.variables;
      expect(names).toEqual(expect.arrayContaining(['SENDER_AUTH', 'DATABASE_URL', 'IMAP_PASSWORD']));
    }
    const ops = loadConfig(environmentOf('ops', demoEnv));
    expect(ops.HTTP_HOST).toBe('0.0.0.0');
    expect(ops.ADMIN_PASSWORD).toBe('reform-demo');
    expect(() => loadConfig({ ...environmentOf('ops', demoEnv), NODE_ENV: 'production' })).toThrow(
      /ADMIN_PASSWORD/,
    );
  });

  it('configures the development Dovecot for plain IMAP logins with the password the processes use', () => {
    const dovecot = services.dovecot as Service;
    expect(dovecot.image).toMatch(/^dovecot\/dovecot:2\.3\.\d+/);
    const mount = (dovecot.volumes ?? []).find((v) => v.endsWith(':/etc/dovecot/dovecot.conf:ro'));
    const file = mount?.split(':')[0] ?? '';
    expect(existsSync(new URL(file, root)), file).toBe(true);
    const conf = read(file);
    expect(conf).toMatch(/^ssl = no$/m);
    expect(conf).toMatch(/^disable_plaintext_auth = no$/m);
    const password = environmentOf('poller', demoEnv).IMAP_PASSWORD;
    expect(conf).toContain(`args = password=${password}`);
    expect(conf).toMatch(/mailbox Processed \{/);
    expect(conf).toMatch(/mailbox "Needs review" \{/);
  });

  it('keeps Redis from evicting queue keys and persists it', () => {
    expect(services.redis?.command).toEqual(
      expect.arrayContaining(['--appendonly', 'yes', '--maxmemory-policy', 'noeviction']),
    );
  });
});

/** Dockerfile instructions, continuation lines joined, comments dropped, grouped by stage. */
function dockerStages(text: string) {
  const lines = text.replace(/\\\n/g, ' ').split('\n');
  const stages: { from: string; name?: string; steps: { op: string; args: string }[] }[] = [];
  for (const line of lines) {
    const m = line.trim().match(/^([A-Z]+)\s+(.*)$/);
    if (!m || line.trim().startsWith('#')) continue;
    const [, op = '', args = ''] = m;
    if (op === 'FROM') {
      const [from = '', , name] = args.split(/\s+/);
      stages.push({ from, name, steps: [] });
    } else stages.at(-1)?.steps.push({ op, args });
  }
  return stages;
}

describe('Dockerfile', () => {
  const stages = dockerStages(read('Dockerfile'));
  const pkg = JSON.parse(read('package.json')) as {
    engines: { node: string };
    scripts: Record<string, string>;
  };
  const stageNames = new Set(stages.map((s) => s.name));

  it('builds on a pinned Node LTS that package.json supports', () => {
    for (const stage of stages) {
      if (stageNames.has(stage.from)) continue;
      const m = stage.from.match(/^node:(\d+)\.(\d+)\.(\d+)-[a-z]+(-slim)?$/);
      expect(m, stage.from).not.toBeNull();
      const major = Number(m?.[1]);
      expect([22, 24]).toContain(major);
      expect(pkg.engines.node).toContain(`^${major}.`);
    }
    expect(pkg.engines.node).toMatch(/\^20\./);
  });

  it('installs dependencies in a layer before the sources, and builds explicitly (no prepare script)', () => {
    expect(pkg.scripts.prepare).toBeUndefined();
    expect(pkg.scripts.build).toBeDefined();
    const all = stages.flatMap((s) => s.steps.map((step) => ({ ...step, stage: s })));
    const install = all.findIndex((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.args));
    const lockCopy = all.findIndex((s) => s.op === 'COPY' && s.args.includes('package-lock.json'));
    const sourceCopy = all.findIndex((s) => s.op === 'COPY' && /\bsrc\b/.test(s.args));
    const build = all.findIndex((s) => s.op === 'RUN' && /npm run build/.test(s.args));
    expect(lockCopy).toBeGreaterThanOrEqual(0);
    expect(lockCopy).toBeLessThan(install);
    expect(install).toBeLessThan(sourceCopy);
    expect(sourceCopy).toBeLessThan(build);
  });

  it('runs as node with runtime dependencies only, a health check, and everything the processes read', () => {
    const final = stages.at(-1);
    const steps = final?.steps ?? [];
    expect(steps.find((s) => s.op === 'USER')?.args).toBe('node');
    const runtimeInstall = stages
      .flatMap((s) => s.steps)
      .find((s) => s.op === 'RUN' && s.args.includes('--omit=dev'));
    expect(runtimeInstall?.args).toMatch(/npm ci --omit=dev/);
    const modules = steps.find((s) => s.op === 'COPY' && s.args.includes('node_modules'));
    const from = modules?.args.match(/--from=(\S+)/)?.[1];
    expect(stages.find((s) => s.name === from)?.steps.some((s) => s.args.includes('--omit=dev'))).toBe(true);
    expect(steps.find((s) => s.op === 'HEALTHCHECK')?.args).toMatch(/CMD \["node", "bin\/healthcheck\.js"\]/);
    const copied = steps.filter((s) => s.op === 'COPY').map((s) => s.args);
    for (const path of ['package.json', 'bin', 'data', 'templates', 'dist'])
      expect(
        copied.some((c) => c.split(/\s+/).includes(path) || c.includes(`/app/${path}`)),
        path,
      ).toBe(true);
    expect(existsSync(new URL('bin/healthcheck.js', root))).toBe(true);
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.env']));
  });
});
