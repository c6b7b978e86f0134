/**
 * Per-domain politeness: at most `perMinute` request starts per origin (evenly spaced) and at
 * most `maxConcurrency` requests in flight per origin. Shared by every job in one worker process.
 */
export interface DomainLimits {
  perMinute: number;
  maxConcurrency: number;
}

interface DomainState {
  nextStartAt: number;
  inFlight: number;
  waiters: Array<() => void>;
}

export class DomainRateLimiter {
  private readonly domains = new Map<string, DomainState>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Waits for a slot on the URL's origin; call the returned function when the request is done. */
  async acquire(url: string, limits: DomainLimits, signal?: AbortSignal): Promise<() => void> {
    const key = originOf(url);
    const state = this.stateOf(key);
    const concurrency = Math.max(1, Math.floor(limits.maxConcurrency));
    while (state.inFlight >= concurrency) {
      await new Promise<void>((resolve) => state.waiters.push(resolve));
      signal?.throwIfAborted();
    }
    state.inFlight++;
    const interval = 60_000 / Math.max(1e-6, limits.perMinute);
    const now = this.now();
    const startAt = Math.max(now, state.nextStartAt);
    state.nextStartAt = startAt + interval;
    let released = false;
    const release = (): void => {
      if (released) return;
      released = true;
      state.inFlight--;
      state.waiters.shift()?.();
    };
    if (startAt > now) {
      try {
        await sleep(startAt - now, signal);
      } catch (error) {
        release();
        throw error;
      }
    }
    return release;
  }

  private stateOf(key: string): DomainState {
    let s = this.domains.get(key);
    if (!s) {
      s = { nextStartAt: 0, inFlight: 0, waiters: [] };
      this.domains.set(key, s);
    }
    return s;
  }
}

export function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

/** setTimeout as a promise that rejects when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
