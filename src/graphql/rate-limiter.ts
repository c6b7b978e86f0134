import { Injectable, OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config';
import { DomainError } from '../common/errors';
import { rootLogger } from '../common/logger';
import { redisConnection } from '../queue/redis-connection';

/**
 * Token bucket in Redis, atomic in one script: refills `rate` tokens per ms up to `burst`, takes
 * one per request. Returns { allowed, retryAfterMs }. Redis' clock is used so every API process
 * agrees on time.
 */
const TOKEN_BUCKET = `
local burst = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local b = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(b[1]) or burst
local ts = tonumber(b[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local allowed = 0
local retry = 0
if tokens >= 1 then
  tokens = tokens - 1
  allowed = 1
else
  retry = math.ceil((1 - tokens) / rate)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate) + 1000)
return { allowed, retry }
`;

/** Per-key request limits for the GraphQL endpoint. */
@Injectable()
export class RateLimiter implements OnModuleDestroy {
  private readonly log = rootLogger().child({ module: 'rate-limit' });
  private readonly redis: Redis | null;
  private readonly perMinute: number;
  private readonly burst: number;
  private readonly prefix: string;

  constructor(config: AppConfig) {
    this.perMinute = config.env.RATE_LIMIT_PER_MINUTE;
    this.burst = config.env.RATE_LIMIT_BURST ?? Math.max(1, this.perMinute);
    this.prefix = `${config.env.QUEUE_PREFIX}:ratelimit:`;
    this.redis =
      this.perMinute > 0
        ? new Redis({
            ...redisConnection(config.env.REDIS_URL, false),
            lazyConnect: true,
            // Requests arriving together share one socket write (one syscall) for their
            // token takes; each is still its own atomic script call and reply.
            enableAutoPipelining: true,
            maxRetriesPerRequest: 1,
            connectTimeout: 2000,
          })
        : null;
    this.redis?.on('error', (err: Error) => this.log.warn({ err: err.message }, 'redis error'));
    this.redis?.defineCommand('takeToken', { numberOfKeys: 1, lua: TOKEN_BUCKET });
  }

  get enabled(): boolean {
    return this.redis !== null;
  }

  /**
   * Takes one request from `subject`'s bucket; throws RATE_LIMITED with retryAfter (seconds)
   * when it is empty. If Redis cannot answer, the request is let through (logged): the limit
   * protects the database, it must not take the API down with Redis.
   */
  async take(subject: string): Promise<void> {
    if (!this.redis) return;
    let result: [number, number];
    try {
      const run = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)
        .takeToken!;
      result = (await run.call(
        this.redis,
        this.prefix + subject,
        this.burst,
        this.perMinute / 60_000,
      )) as [number, number];
    } catch (err) {
      this.log.warn({ err: (err as Error).message, subject }, 'rate limit check skipped');
      return;
    }
    const [allowed, retryMs] = result;
    if (allowed === 1) return;
    const retryAfter = Math.max(1, Math.ceil(retryMs / 1000));
    throw new DomainError(
      'RATE_LIMITED',
      `rate limit of ${this.perMinute} requests per minute exceeded; retry in ${retryAfter}s`,
      'RATE_LIMITED',
      { retryAfter, limitPerMinute: this.perMinute },
    );
  }

  async onModuleDestroy(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') {
      await this.redis.quit().catch(() => this.redis?.disconnect());
    }
  }
}
