/**
 * Names shared by the global setup and the workers. Every test run gets its own databases:
 * a template with the migrations applied, and one copy per Jest worker. RH_TEST_DB_PREFIX lets
 * several runs share one PostgreSQL server without stepping on each other.
 */
export const TEST_DB_PREFIX = process.env.RH_TEST_DB_PREFIX ?? 'rackhound_test';
export const TEST_PG_ADMIN_URL =
  process.env.RH_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const TEST_REDIS_URL = process.env.RH_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const TEST_WORKERS = 4;

export function databaseUrl(name: string): string {
  const url = new URL(TEST_PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export function templateDbName(): string {
  return `${TEST_DB_PREFIX}_tpl`;
}

export function workerDbName(workerId: string | number): string {
  return `${TEST_DB_PREFIX}_w${workerId}`;
}
