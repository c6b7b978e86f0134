import { isAllowedBy, parseRobots, RobotsCache } from './robots';

const TEXT = `
# comment line
User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/public-page

User-agent: Rackhound
User-agent: OtherBot
Disallow: /sch/
Allow: /sch/i.html?_nkw=ok

User-agent: BadBot
Disallow: /
`;

describe('parseRobots / isAllowedBy', () => {
  it('uses the group naming our agent, not the * group', () => {
    const p = parseRobots(TEXT, 'Rackhound');
    expect(isAllowedBy(p, 'https://x.test/sch/i.html?_nkw=gpu')).toBe(false);
    expect(isAllowedBy(p, 'https://x.test/private/a')).toBe(true);
  });

  it('falls back to * when no group names the agent', () => {
    const p = parseRobots(TEXT, 'SomeoneElse');
    expect(isAllowedBy(p, 'https://x.test/private/a')).toBe(false);
    expect(isAllowedBy(p, 'https://x.test/sch/i.html')).toBe(true);
  });

  it('longest match wins; Allow wins a tie', () => {
    const p = parseRobots(TEXT, 'SomeoneElse');
    expect(isAllowedBy(p, 'https://x.test/private/public-page')).toBe(true);
    const tie = parseRobots('User-agent: *\nDisallow: /a\nAllow: /a\n', 'x');
    expect(isAllowedBy(tie, 'https://x.test/a')).toBe(true);
    const q = parseRobots(TEXT, 'Rackhound');
    expect(isAllowedBy(q, 'https://x.test/sch/i.html?_nkw=ok&_pgn=2')).toBe(true);
  });

  it('supports * and $ wildcards', () => {
    const p = parseRobots(TEXT, 'anything');
    expect(isAllowedBy(p, 'https://x.test/docs/spec.pdf')).toBe(false);
    expect(isAllowedBy(p, 'https://x.test/docs/spec.pdf?download=1')).toBe(true);
  });

  it('treats an empty Disallow as allow-all and ignores junk lines', () => {
    const p = parseRobots('garbage\nUser-agent: *\nDisallow:\n<html>', 'x');
    expect(p.rules).toHaveLength(0);
    expect(isAllowedBy(p, 'https://x.test/anything')).toBe(true);
  });

  it('a group disallowing everything blocks every path except robots.txt itself', () => {
    const p = parseRobots(TEXT, 'BadBot/2.0');
    expect(isAllowedBy(p, 'https://x.test/')).toBe(false);
    expect(isAllowedBy(p, 'https://x.test/robots.txt')).toBe(true);
  });
});

describe('RobotsCache', () => {
  function cache(responses: Array<{ status: number; body: string } | Error>) {
    let now = 1_000;
    const calls: string[] = [];
    const c = new RobotsCache({
      userAgent: 'Rackhound',
      ttlMs: 3_600_000,
      timeoutMs: 1_000,
      now: () => now,
      fetchText: (url) => {
        calls.push(url);
        const next = responses.shift() ?? { status: 200, body: '' };
        return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
      },
    });
    return { c, calls, advance: (ms: number) => (now += ms) };
  }

  it('fetches robots.txt once per origin while fresh, concurrent callers share the load', async () => {
    const { c, calls } = cache([{ status: 200, body: 'User-agent: *\nDisallow: /x' }]);
    const results = await Promise.all([
      c.isAllowed('https://a.test/x/1'),
      c.isAllowed('https://a.test/y'),
      c.isAllowed('https://a.test/x/2'),
    ]);
    expect(results).toEqual([false, true, false]);
    expect(calls).toEqual(['https://a.test/robots.txt']);
  });

  it('refetches after the TTL', async () => {
    const { c, calls, advance } = cache([
      { status: 200, body: 'User-agent: *\nDisallow: /x' },
      { status: 200, body: '' },
    ]);
    await expect(c.isAllowed('https://a.test/x')).resolves.toBe(false);
    advance(3_600_001);
    await expect(c.isAllowed('https://a.test/x')).resolves.toBe(true);
    expect(calls).toHaveLength(2);
  });

  it('4xx or unreachable allows everything; 5xx disallows and is retried within a minute', async () => {
    const missing = cache([{ status: 404, body: '' }]);
    await expect(missing.c.isAllowed('https://a.test/x')).resolves.toBe(true);
    const down = cache([new Error('ECONNREFUSED')]);
    await expect(down.c.isAllowed('https://a.test/x')).resolves.toBe(true);
    const broken = cache([
      { status: 503, body: '' },
      { status: 200, body: '' },
    ]);
    await expect(broken.c.isAllowed('https://a.test/x')).resolves.toBe(false);
    broken.advance(60_001);
    await expect(broken.c.isAllowed('https://a.test/x')).resolves.toBe(true);
    expect(broken.calls).toHaveLength(2);
  });
});
