import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { servicesScript } from './paths.js';

const run = promisify(execFile);

export interface ServicePorts {
  pg: number;
  redis: number;
  imap: number;
  smtp: number;
}

const PID_FILES = {
  pg: 'postgres/data/postmaster.pid',
  redis: 'redis/redis.pid',
  dovecot: 'dovecot/run/master.pid',
  smtp: 'smtp/sink.pid',
} as const;
export type ServiceName = keyof typeof PID_FILES;

/** Whether a process runs (a zombie waiting to be reaped does not). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/**
 * A private set of local services (scripts/services.sh in a folder and on ports of its own), for tests that
 * start them from nothing or stop and restart them while the suite's shared services keep running.
 */
export class PrivateServices {
  readonly dir = mkdtempSync('/var/tmp/reform-private-');

  constructor(readonly ports: ServicePorts) {}

  get env(): NodeJS.ProcessEnv {
    return {
      ...process.env,
      REFORM_DATA_DIR: this.dir,
      REFORM_PG_PORT: String(this.ports.pg),
      REFORM_REDIS_PORT: String(this.ports.redis),
      REFORM_IMAP_PORT: String(this.ports.imap),
      REFORM_SMTP_PORT: String(this.ports.smtp),
    };
  }

  get databaseUrl() {
    return `postgres://reform@127.0.0.1:${this.ports.pg}/reform`;
  }
  get redisUrl() {
    return `redis://127.0.0.1:${this.ports.redis}`;
  }

  /** The script's command, for every service or for those named. */
  run(command: 'up' | 'down' | 'status', ...names: ServiceName[]) {
    return run('bash', [servicesScript, command, ...names], { env: this.env });
  }

  pidOf(name: ServiceName): number {
    return Number(readFileSync(join(this.dir, PID_FILES[name]), 'utf8').split('\n')[0]);
  }

  /** Stop one service (SIGTERM, or SIGINT for PostgreSQL) and wait until its process is gone. */
  async stop(name: ServiceName): Promise<void> {
    const pid = this.pidOf(name);
    process.kill(pid, name === 'pg' ? 'SIGINT' : 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  }

  /** Start whatever is stopped (the script's `up` is idempotent). */
  async start(): Promise<void> {
    await this.run('up');
  }

  async destroy(): Promise<void> {
    await this.run('down').catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
