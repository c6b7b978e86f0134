import { DomainRateLimiter, originOf, sleep } from './rate-limiter';

describe('DomainRateLimiter', () => {
  it('caps in-flight requests per origin and wakes a waiter on release', async () => {
    const limiter = new DomainRateLimiter();
    const limits = { perMinute: 60_000_000, maxConcurrency: 2 };
    const r1 = await limiter.acquire('https://a.test/1', limits);
    const r2 = await limiter.acquire('https://a.test/2', limits);
    let third = false;
    const p3 = limiter.acquire('https://a.test/3', limits).then((r) => {
      third = true;
      return r;
    });
    // Another origin is not held up by a.test.
    const other = await limiter.acquire('https://b.test/1', limits);
    other();
    await sleep(5);
    expect(third).toBe(false);
    r1();
    r1(); // a second release of the same slot is a no-op
    const r3 = await p3;
    expect(third).toBe(true);
    let fourth = false;
    const p4 = limiter.acquire('https://a.test/4', limits).then((r) => {
      fourth = true;
      return r;
    });
    await sleep(5);
    expect(fourth).toBe(false);
    r2();
    (await p4)();
    r3();
  });

  it('spaces request starts per origin: a start inside the interval waits, one after does not', async () => {
    let now = 0;
    const limiter = new DomainRateLimiter(() => now);
    const limits = { perMinute: 1, maxConcurrency: 10 }; // one start per minute
    (await limiter.acquire('https://a.test/', limits))();
    // Another origin has its own budget.
    (await limiter.acquire('https://b.test/', limits))();
    let started = false;
    const c = new AbortController();
    const second = limiter.acquire('https://a.test/', limits, c.signal).then((r) => {
      started = true;
      return r;
    });
    await sleep(20);
    expect(started).toBe(false);
    c.abort(new Error('cancelled'));
    await expect(second).rejects.toThrow('cancelled');
    // Once the clock is past every reserved start, a request starts at once.
    now = 5 * 60_000;
    (await limiter.acquire('https://a.test/', limits))();
  });

  it('waits when the next start is in the future, and an abort during the wait frees the slot', async () => {
    let now = 0;
    const limiter = new DomainRateLimiter(() => now);
    const limits = { perMinute: 1, maxConcurrency: 1 }; // one start per minute
    (await limiter.acquire('https://a.test/', limits))();
    const controller = new AbortController();
    const waiting = limiter.acquire('https://a.test/', limits, controller.signal);
    controller.abort(new Error('stop'));
    await expect(waiting).rejects.toThrow('stop');
    // The aborted acquire released its concurrency slot: a later one gets through once due.
    now = 10 * 60_000;
    const r = await limiter.acquire('https://a.test/', limits);
    r();
  });
});

describe('originOf / sleep', () => {
  it('keys by origin, falling back to the raw string', () => {
    expect(originOf('https://A.test:443/x?y')).toBe('https://a.test');
    expect(originOf('not a url')).toBe('not a url');
  });

  it('sleep rejects at once on an aborted signal', async () => {
    const c = new AbortController();
    c.abort(new Error('gone'));
    await expect(sleep(10_000, c.signal)).rejects.toThrow('gone');
  });
});
