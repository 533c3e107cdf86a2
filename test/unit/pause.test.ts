import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pause, sleep } from '../../src/pause.js';

describe('pause', () => {
  it('leaves no listener on the stop signal after ending by time or by cancel', async () => {
    const stop = new AbortController();
    for (let i = 0; i < 20; i++) await sleep(1, stop.signal);
    for (let i = 0; i < 20; i++) {
      const p = pause(60_000, stop.signal);
      p.cancel();
      await p.done;
    }
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });

  it('ends at once when the signal aborts, and at once when it already had', async () => {
    const stop = new AbortController();
    const waiting = pause(60_000, stop.signal);
    let ended = false;
    void waiting.done.then(() => {
      ended = true;
    });
    await Promise.resolve();
    expect(ended).toBe(false);
    stop.abort();
    await waiting.done;
    expect(ended).toBe(true);
    await sleep(60_000, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
