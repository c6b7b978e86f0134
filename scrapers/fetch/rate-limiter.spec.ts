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

  it('spaces request starts per origin by 60000/perMinute ms', async () => {
    let now = 0;
    const limiter = new DomainRateLimiter(() => now);
    const limits = { perMinute: 600_000, maxConcurrency: 10 }; // 0.1 ms apart
    const release = await limiter.acquire('https://a.test/', limits);
    release();
    // With a frozen clock, each next start is scheduled one interval later than the last.
    const reserved: number[] = [];
    for (let i = 0; i < 3; i++) {
      const before = now;
      const r = await limiter.acquire('https://a.test/', limits);
      reserved.push(before);
      r();
    }
    expect(reserved).toHaveLength(3);
    now = 10_000;
    const started = Date.now();
    (await limiter.acquire('https://a.test/', limits))();
    // The clock moved past every reserved start: no wait at all.
    expect(Date.now() - started).toBeLessThan(1_000);
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
