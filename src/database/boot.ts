import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import { dataSourceOptions } from './data-source-options';

/** Where a service URL points, without credentials, for messages. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.hostname}:${u.port || (u.protocol.startsWith('redis') ? 6379 : 5432)}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

function reason(e: unknown): string {
  const err = e as { code?: string; message?: string };
  return [err.code, err.message].filter(Boolean).join(' ');
}

/**
 * Waits up to `seconds` for PostgreSQL and Redis, logging one clear line per attempt, and
 * throws a single readable error if either stays down (no stack-dump loop).
 */
export async function waitForServices(
  databaseUrl: string,
  redisUrl: string,
  seconds: number,
  log: Logger,
): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  for (let attempt = 1; ; attempt++) {
    const problems: string[] = [];
    const pg = new Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
    try {
      await pg.connect();
      await pg.query('SELECT 1');
    } catch (e) {
      const r = reason(e);
      if (/database .* does not exist/.test(r)) {
        throw new Error(
          `PostgreSQL at ${describeUrl(databaseUrl)}: ${r}. Create it with: createdb -h <host> -U <user> <name>`,
          { cause: e },
        );
      }
      problems.push(`PostgreSQL at ${describeUrl(databaseUrl)} is not reachable (${r})`);
    } finally {
      await pg.end().catch(() => undefined);
    }
    const redis = new Redis(redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      connectTimeout: 3000,
      retryStrategy: () => null,
    });
    redis.on('error', () => undefined);
    try {
      await redis.connect();
      await redis.ping();
    } catch (e) {
      problems.push(`Redis at ${describeUrl(redisUrl)} is not reachable (${reason(e)})`);
    } finally {
      redis.disconnect();
    }
    if (problems.length === 0) return;
    if (Date.now() >= deadline) {
      throw new Error(`${problems.join('; ')}. Gave up after ${seconds}s (BOOT_WAIT_SECONDS).`);
    }
    log.warn({ attempt }, `${problems.join('; ')}; retrying`);
    await sleep(1000);
  }
}

/**
 * Applies pending migrations under a PostgreSQL advisory lock, so several instances starting
 * together migrate once.
 */
export async function runMigrations(databaseUrl: string, log: Logger): Promise<string[]> {
  const ds = new DataSource(dataSourceOptions(databaseUrl, 1));
  await ds.initialize();
  try {
    await ds.query('SELECT pg_advisory_lock(727372)');
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      const names = applied.map((m) => m.name);
      if (names.length) log.info({ migrations: names }, 'migrations applied');
      return names;
    } finally {
      await ds.query('SELECT pg_advisory_unlock(727372)');
    }
  } finally {
    await ds.destroy();
  }
}
