import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

// Compare-and-act, so a poller never extends or releases a lock that has passed to another.
const RENEW =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";
const RELEASE =
  "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

/**
 * One poller per mailbox, on any number of machines: a Redis key with a time-to-live that its holder keeps
 * renewing. A holder that dies stops renewing, and another takes the lock when the key expires.
 */
export class MailboxLock {
  readonly owner = randomUUID();
  private timer: NodeJS.Timeout | undefined;
  private held = false;
  private renewedAt = 0;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly ttlMs: number,
    private readonly onLost: () => void,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /** Try once to take the lock; on success it is renewed every third of its TTL until released or lost. */
  async tryAcquire(): Promise<boolean> {
    const ok = await this.redis.set(this.key, this.owner, 'PX', this.ttlMs, 'NX');
    if (ok !== 'OK') return false;
    this.held = true;
    this.renewedAt = Date.now();
    this.timer = setInterval(() => void this.renew(), Math.max(100, Math.floor(this.ttlMs / 3)));
    return true;
  }

  private async renew(): Promise<void> {
    try {
      const ok = await this.redis.eval(RENEW, 1, this.key, this.owner, String(this.ttlMs));
      if (ok === 1) {
        this.renewedAt = Date.now();
        return;
      }
    } catch {
      // Redis unreachable: keep trying while the key may still be ours; past its TTL another may hold it.
      if (Date.now() - this.renewedAt < this.ttlMs) return;
    }
    this.lose();
  }

  private lose(): void {
    if (!this.held) return;
    this.held = false;
    clearInterval(this.timer);
    this.onLost();
  }

  async release(): Promise<void> {
    clearInterval(this.timer);
    if (!this.held) return;
    this.held = false;
    await this.redis.eval(RELEASE, 1, this.key, this.owner).catch(() => undefined);
  }
}
