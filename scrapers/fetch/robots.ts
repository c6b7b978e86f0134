/**
 * robots.txt, fetched once per origin and cached with a TTL. Rules of the group that names our
 * user agent (else `*`); the longest matching Allow/Disallow wins, Allow on ties; `*` and `$`
 * wildcards. An unreachable or 4xx robots.txt allows everything; a 5xx disallows (RFC 9309).
 */
export interface RobotsRule {
  allow: boolean;
  pattern: string;
  regex: RegExp;
}

export interface RobotsPolicy {
  rules: RobotsRule[];
  /** true when robots.txt could not be read as a server error: crawl nothing for now. */
  disallowAll: boolean;
}

export function parseRobots(text: string, userAgent: string): RobotsPolicy {
  const groups: Array<{ agents: string[]; rules: RobotsRule[] }> = [];
  let current: { agents: string[]; rules: RobotsRule[] } | null = null;
  let lastWasAgent = false;
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const field = m[1]!.toLowerCase();
    const value = m[2]!.trim();
    if (field === 'user-agent') {
      if (!current || !lastWasAgent) {
        current = { agents: [], rules: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (field === 'allow' || field === 'disallow') {
      if (value === '') continue; // "Disallow:" with no path allows everything
      current.rules.push({ allow: field === 'allow', pattern: value, regex: patternRegex(value) });
    }
  }
  const ua = userAgent.toLowerCase();
  const named = groups.filter((g) => g.agents.some((a) => a !== '*' && ua.includes(a)));
  const chosen = named.length ? named : groups.filter((g) => g.agents.includes('*'));
  return { rules: chosen.flatMap((g) => g.rules), disallowAll: false };
}

function patternRegex(pattern: string): RegExp {
  const anchored = pattern.endsWith('$');
  const body = (anchored ? pattern.slice(0, -1) : pattern)
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${body}${anchored ? '$' : ''}`);
}

export function isAllowedBy(policy: RobotsPolicy, url: string): boolean {
  if (policy.disallowAll) return false;
  const u = new URL(url);
  if (u.pathname === '/robots.txt') return true;
  const target = `${u.pathname}${u.search}`;
  let best: RobotsRule | null = null;
  for (const rule of policy.rules) {
    if (!rule.regex.test(target)) continue;
    if (
      !best ||
      rule.pattern.length > best.pattern.length ||
      (rule.pattern.length === best.pattern.length && rule.allow)
    ) {
      best = rule;
    }
  }
  return best ? best.allow : true;
}

export interface RobotsCacheOptions {
  userAgent: string;
  ttlMs: number;
  timeoutMs: number;
  now?: () => number;
  /** Injected for tests; defaults to global fetch. */
  fetchText?: (url: string, signal: AbortSignal) => Promise<{ status: number; body: string }>;
}

export class RobotsCache {
  private readonly cache = new Map<string, { policy: RobotsPolicy; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<RobotsPolicy>>();
  private readonly now: () => number;

  constructor(private readonly opts: RobotsCacheOptions) {
    this.now = opts.now ?? Date.now;
  }

  async isAllowed(url: string): Promise<boolean> {
    return isAllowedBy(await this.policyFor(new URL(url).origin), url);
  }

  async policyFor(origin: string): Promise<RobotsPolicy> {
    const hit = this.cache.get(origin);
    if (hit && hit.expiresAt > this.now()) return hit.policy;
    let p = this.pending.get(origin);
    if (!p) {
      p = this.load(origin).finally(() => this.pending.delete(origin));
      this.pending.set(origin, p);
    }
    return p;
  }

  private async load(origin: string): Promise<RobotsPolicy> {
    let policy: RobotsPolicy;
    try {
      const res = await (this.opts.fetchText ?? defaultFetchText)(
        `${origin}/robots.txt`,
        AbortSignal.timeout(this.opts.timeoutMs),
      );
      if (res.status >= 500) policy = { rules: [], disallowAll: true };
      else if (res.status >= 400) policy = { rules: [], disallowAll: false };
      else policy = parseRobots(res.body, this.opts.userAgent);
    } catch {
      policy = { rules: [], disallowAll: false };
    }
    // A server error is retried sooner than a good answer.
    const ttl = policy.disallowAll ? Math.min(this.opts.ttlMs, 60_000) : this.opts.ttlMs;
    this.cache.set(origin, { policy, expiresAt: this.now() + ttl });
    return policy;
  }
}

async function defaultFetchText(
  url: string,
  signal: AbortSignal,
): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { signal, redirect: 'follow' });
  return { status: res.status, body: res.ok ? (await res.text()).slice(0, 512_000) : '' };
}
