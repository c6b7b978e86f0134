import 'reflect-metadata';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../src/app.module';
import { createRootLogger, setRootLogger } from '../src/common/logger';
import { AppConfig } from '../src/config/app-config';
import type { ListingsService } from '../src/listings/listings.service';
import type { RawListing } from '../src/listings/raw-listing';
import { freshBenchDatabase } from './support';

/**
 * The app's services without HTTP or queue workers, on a fresh scratch database (its URL returned)
 * with every
 * migration applied and queues under their own prefix. Logs at warn, so figures stay readable.
 */
export async function benchAppContext(
  name: string,
): Promise<{ app: INestApplicationContext; dbUrl: string }> {
  const dbUrl = await freshBenchDatabase(`rackhound_bench_${name}`);
  setRootLogger(createRootLogger('warn'));
  const config = AppConfig.fromProcess({
    DATABASE_URL: dbUrl,
    QUEUE_PREFIX: `rh-bench-${name}`,
    LOG_LEVEL: 'warn',
  });
  const app = await NestFactory.createApplicationContext(
    AppModule.forRoot(config, { api: false, worker: false }),
    { logger: false },
  );
  return { app, dbUrl };
}

/**
 * `rows` through ListingsService.ingest in batches of 1,000, `concurrency` at a time (each slot
 * takes the next batch, as the ingest worker's INGEST_CONCURRENCY jobs do). Returns how many
 * listings the batches reported changed.
 */
export async function ingestConcurrently(
  listings: ListingsService,
  sourceId: number,
  rows: readonly RawListing[],
  observedAt: string,
  concurrency: number,
): Promise<{ changed: number }> {
  let next = 0;
  let changed = 0;
  const slot = async () => {
    for (;;) {
      const i = next;
      next += 1000;
      if (i >= rows.length) return;
      const r = await listings.ingest({ sourceId, observedAt, listings: rows.slice(i, i + 1000) });
      changed += r.changed;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, slot));
  return { changed };
}
