import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedReadiness, type ReadyState } from '../../src/ops/http/readiness.js';
import type { Runtime } from '../../src/ops/runtime.js';

describe('/readyz under load', () => {
  afterEach(() => vi.useRealTimers());

  it('runs its checks at most once a second, however many callers ask', async () => {
    vi.useFakeTimers({ now: new Date('2026-12-01T08:00:00Z') });
    let runs = 0;
    const check = async (): Promise<ReadyState> => {
      runs++;
      return { ready: true, checks: { postgres: true, redis: true, poller: true }, lastPollAt: null };
    };
    const ready = cachedReadiness({} as Runtime, check);
    const answers = await Promise.all(Array.from({ length: 100 }, () => ready()));
    expect(runs).toBe(1);
    expect(answers.every((a) => a.ready)).toBe(true);
    vi.advanceTimersByTime(999);
    await ready();
    expect(runs).toBe(1);
    vi.advanceTimersByTime(1);
    await Promise.all([ready(), ready(), ready()]);
    expect(runs).toBe(2);
  });
});
