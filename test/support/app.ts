import { getQueueToken } from '@nestjs/bullmq';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { bootstrap, Started } from '../../src/bootstrap';
import { AppConfig } from '../../src/config/app-config';
import { QueueName } from '../../src/queue/queues';

export interface TestApp extends Started {
  config: AppConfig;
  db: DataSource;
  queue(name: QueueName): Queue;
  graphql<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: { data?: T; errors?: any } }>;
}

/** Boots the real app (PORT 0) against this worker's database and Redis prefix. */
export async function startTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const config = AppConfig.fromProcess({ PORT: '0', MIGRATIONS_RUN: 'false', ...overrides });
  const started = await bootstrap(config);
  const db = started.app.get(DataSource);
  return {
    ...started,
    config,
    db,
    queue: (name) => started.app.get<Queue>(getQueueToken(name)),
    async graphql(query, variables, headers = {}) {
      const res = await fetch(`${started.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      return { status: res.status, body: (await res.json()) as any };
    },
  };
}

/** Empties the domain tables between tests (the migrations stay applied). */
export async function truncateAll(db: DataSource): Promise<void> {
  const tables: Array<{ tablename: string }> = await db.query(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations'`,
  );
  if (!tables.length) return;
  const sql = `TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`;
  // A job the previous test left running in the app's workers (market refresh, alert evaluation)
  // can hold row locks that TRUNCATE's table locks deadlock with; PostgreSQL then aborts one
  // side. When it picks the TRUNCATE, wait for the job to finish and try again.
  for (let attempt = 1; ; attempt++) {
    try {
      await db.query(sql);
      return;
    } catch (err) {
      const code = (err as { driverError?: { code?: string } }).driverError?.code;
      if (code !== '40P01' || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

/** Removes every job of this worker's queues. */
export async function drainQueues(app: TestApp | undefined): Promise<void> {
  if (!app) return; // boot failed: the real error is reported by beforeAll
  for (const name of Object.values(QueueName)) {
    await app.queue(name).obliterate({ force: true });
  }
}

export async function waitFor<T>(
  fn: () => Promise<T | undefined | null | false>,
  timeoutMs = 20_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Pauses `queue` and waits until no job of it is running; returns the resume. Used around checks
 * of row versions or pages: the debounced market job an ingest schedules fires at the end of a
 * 3 s window and rewrites the discounts of the listings just written, which would race them.
 */
export async function pauseIdle(queue: Queue): Promise<() => Promise<void>> {
  await queue.pause();
  await waitFor(async () => (await queue.getActiveCount()) === 0, 20_000, `${queue.name} idle`);
  return () => queue.resume();
}
