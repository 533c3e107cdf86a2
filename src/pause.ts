/**
 * A pause that ends after `ms`, when `signal` aborts, or when cancelled; it leaves no listener on the
 * long-lived signal behind (a waiting poller pauses every few seconds, an IDLE round per new message).
 */
export function pause(ms: number, signal: AbortSignal): { done: Promise<void>; cancel: () => void } {
  let cancel = () => {};
  const done = new Promise<void>((resolve) => {
    const end = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', end);
      resolve();
    };
    const timer = setTimeout(end, ms);
    if (signal.aborted) end();
    else signal.addEventListener('abort', end, { once: true });
    cancel = end;
  });
  return { done, cancel };
}

/** A pause that ends after `ms` or when `signal` aborts. */
export const sleep = (ms: number, signal: AbortSignal) => pause(ms, signal).done;
