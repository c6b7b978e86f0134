/**
 * npm run bench -- ingest [count]
 *
 * npm run bench -- ingest [count] [concurrency]
 *
 * Upserts `count` (default 100,000) synthetic listings through the real ingest path
 * (ListingsService.ingest: validation, normalization and valuation, each 1,000-row batch loaded with
 * COPY into a staging table and upserted from it in one statement, price observations, dirty
 * market keys), then a second pass where 10% of prices
 * change, then a third pass that sees the same listings again later the same day (an hourly
 * scrape: nothing changed, so stored valuations are kept and rows only move last_seen_at). Batches run `concurrency` at a time (default 2, as the ingest worker runs
 * INGEST_CONCURRENCY jobs at once: PostgreSQL writes one batch while Node prices the next).
 * The debounced market refresh (a job on the valuation queue in production) is run after each
 * pass and timed separately, then the listing table is vacuumed untimed (autovacuum's job on a
 * normal server; this machine's PostgreSQL runs with autovacuum off). In the same run the same
 * rows are loaded with a raw multi-row INSERT into a scratch table with the listing table's columns
 * and indexes, once before the passes and once after. Prints rows/s, CPU per listing (Node, and
 * PostgreSQL when it runs on this machine) and the ratios to the mean baseline.
 */
import 'reflect-metadata';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ListingsService } from '../src/listings/listings.service';
import { PricingService } from '../src/pricing/pricing.service';
import type { RawListing } from '../src/listings/raw-listing';
import { SourcesService } from '../src/sources/sources.service';
import { cpuSince, fmt, ownCpuMs, postgresCpu, prng } from './support';
import { benchAppContext, ingestConcurrently } from './bench-app';

const CHASSIS = [
  'Dell PowerEdge R740xd',
  'Dell PowerEdge R640',
  'HPE ProLiant DL380 Gen10',
  'HPE DL360 Gen9',
  'Supermicro SYS-6029P-TRT',
  'Lenovo ThinkSystem SR650',
];
const CPUS = [
  '2x Xeon Gold 6148',
  '2x E5-2680 v4',
  'Dual Xeon Silver 4114',
  '2x Gold 6130',
  'EPYC 7402P',
  '2x Platinum 8180',
];
const RAM = ['64GB', '128GB', '256GB (8x32GB)', '384GB', '512GB'];
const DISKS = ['12x 4TB SAS', 'No drives', '8x 1.2TB 10K SAS', '2x 480GB SSD', '24SFF'];

export function syntheticListings(count: number, seed = 42): RawListing[] {
  const rnd = prng(seed);
  const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)]!;
  return Array.from({ length: count }, (_, i) => ({
    externalId: String(100_000_000_000 + i),
    title: `${pick(CHASSIS)} ${pick(CPUS)} ${pick(RAM)} RAM ${pick(DISKS)} 2x PSU`,
    url: `https://www.ebay.com/itm/${100_000_000_000 + i}`,
    price: Math.round((500 + rnd() * 9500) * 100) / 100,
    currency: 'USD',
    shipping: rnd() < 0.5 ? 0 : Math.round(rnd() * 15000) / 100,
    condition: rnd() < 0.8 ? 'Used' : 'Seller refurbished',
    buyingFormat: rnd() < 0.2 ? 'auction' : 'buy_it_now',
    seller: `seller${Math.floor(rnd() * 500)}`,
    location: 'United States',
    status: 'active',
  }));
}

const RAW_COLUMNS = [
  'source_id',
  'external_id',
  'url',
  'title',
  'condition',
  'buying_format',
  'seller',
  'location',
  'currency',
  'price',
  'shipping',
  'status',
  'first_seen_at',
  'last_seen_at',
];

async function rawInsert(
  url: string,
  rows: RawListing[],
  sourceId: number,
): Promise<{ ms: number; pgUsPerRow: number | null }> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query('DROP TABLE IF EXISTS scratch_listing');
    await pg.query('CREATE TABLE scratch_listing (LIKE listing INCLUDING ALL)');
    const now = new Date().toISOString();
    const pg0 = postgresCpu();
    const started = performance.now();
    for (let i = 0; i < rows.length; i += 1000) {
      const chunk = rows.slice(i, i + 1000);
      const values: unknown[] = [];
      const tuples = chunk.map((r) => {
        const base = values.length;
        values.push(
          sourceId,
          r.externalId,
          r.url,
          r.title,
          r.condition,
          r.buyingFormat,
          r.seller,
          r.location,
          r.currency,
          r.price,
          r.shipping,
          r.status,
          now,
          now,
        );
        return `(${RAW_COLUMNS.map((_, j) => `$${base + j + 1}`).join(',')})`;
      });
      await pg.query(
        `INSERT INTO scratch_listing (${RAW_COLUMNS.join(',')}) OVERRIDING SYSTEM VALUE VALUES ${tuples.join(',')}`,
        values,
      );
    }
    const ms = performance.now() - started;
    const pgMs = cpuSince(pg0, postgresCpu());
    return { ms, pgUsPerRow: pgMs === null ? null : (pgMs / rows.length) * 1000 };
  } finally {
    await pg.end();
  }
}

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 100_000);
  const concurrency = Number(args[1] ?? 2);
  if (
    !Number.isInteger(count) ||
    count < 1000 ||
    !Number.isInteger(concurrency) ||
    concurrency < 1
  ) {
    throw new Error('usage: npm run bench -- ingest [count >= 1000] [concurrency >= 1]');
  }
  const { app, dbUrl } = await benchAppContext('ingest');
  try {
    const listings = app.get(ListingsService);
    const pricing = app.get(PricingService, { strict: false });
    const sourceId = (await app.get(SourcesService).ensure('bench', 'manual')).id;
    const db = app.get(DataSource);
    const rows = syntheticListings(count);
    console.log(
      `ingest benchmark: ${fmt(count)} listings, batches of 1,000 (one statement each), ` +
        `${concurrency} batch(es) in flight (as the ingest worker with INGEST_CONCURRENCY=${concurrency})`,
    );

    /** Batches of 1,000, `concurrency` at a time (each worker slot takes the next batch). */
    const pass = async (batch: RawListing[], observedAt: string) => {
      const node0 = ownCpuMs();
      const pg0 = postgresCpu();
      const started = performance.now();
      const { changed } = await ingestConcurrently(
        listings,
        sourceId,
        batch,
        observedAt,
        concurrency,
      );
      const ms = performance.now() - started;
      const pgMs = cpuSince(pg0, postgresCpu());
      const cpu = {
        nodeUsPerRow: ((ownCpuMs() - node0) / batch.length) * 1000,
        pgUsPerRow: pgMs === null ? null : (pgMs / batch.length) * 1000,
      };
      const m0 = performance.now();
      const market = await pricing.refreshDirtyMarket();
      const marketMs = performance.now() - m0;
      // What autovacuum does in the background on a normal server (this machine's cluster runs
      // with autovacuum off): without it, dead row versions pile up and later passes pay for them.
      await db.query('VACUUM (ANALYZE) listing');
      return { ms, changed, marketMs, market, cpu };
    };

    // The baseline runs before and after the ingest passes and the ratios use the mean of the two:
    // this machine's throughput drifts over a minute of sustained load, and a baseline taken only
    // at one end of the run would carry that drift into every ratio.
    const rawBefore = await rawInsert(dbUrl, rows, sourceId);
    const first = await pass(rows, '2026-11-01T00:00:00Z');
    const firstMs = first.ms;

    const rnd = prng(7);
    const second = rows.map((r) =>
      rnd() < 0.1 ? { ...r, price: Math.round((r.price ?? 1000) * 0.9 * 100) / 100 } : r,
    );
    const sec = await pass(second, '2026-11-02T00:00:00Z');
    const secondMs = sec.ms;
    const changed = sec.changed;
    const third = await pass(second, '2026-11-02T06:00:00Z');

    const rawAfter = await rawInsert(dbUrl, rows, sourceId);

    const firstRate = (count / firstMs) * 1000;
    const secondRate = (count / secondMs) * 1000;
    const thirdRate = (count / third.ms) * 1000;
    const rawRates = [rawBefore, rawAfter].map((r) => (count / r.ms) * 1000);
    const rawRate = (rawRates[0]! + rawRates[1]!) / 2;
    console.log(
      `  ingest, first pass (all new):     ${fmt(firstRate)} listings/s  (${fmt(firstMs)} ms)`,
    );
    console.log(
      `  ingest, second pass (${fmt(changed)} changed): ${fmt(secondRate)} listings/s  (${fmt(secondMs)} ms)`,
    );
    console.log(
      `  ingest, third pass (same day, ${fmt(third.changed)} changed): ${fmt(thirdRate)} listings/s  (${fmt(third.ms)} ms)`,
    );
    for (const [name, p] of [
      ['first', first],
      ['second', sec],
    ] as const) {
      console.log(
        `  market refresh job after the ${name} pass (debounced, off the ingest path): ${fmt(p.market.keys)} keys, ${fmt(p.market.listings)} discounts in ${fmt(p.marketMs)} ms`,
      );
    }
    for (const [name, p] of [
      ['first', first],
      ['second', sec],
      ['third', third],
    ] as const) {
      const pg = p.cpu.pgUsPerRow === null ? 'n/a' : `${fmt(p.cpu.pgUsPerRow)} us`;
      console.log(
        `  CPU per listing, ${name} pass: Node ${fmt(p.cpu.nodeUsPerRow)} us, PostgreSQL ${pg} (all its processes)`,
      );
    }
    for (const [when, r] of [
      ['before', rawBefore],
      ['after', rawAfter],
    ] as const) {
      console.log(
        `  raw multi-row INSERT (baseline, ${when} the passes): ${fmt((count / r.ms) * 1000)} rows/s  (${fmt(r.ms)} ms` +
          `${r.pgUsPerRow === null ? '' : `, PostgreSQL ${fmt(r.pgUsPerRow)} us per row`})`,
      );
    }
    console.log(
      `  ratio ingest/raw (mean baseline ${fmt(rawRate)} rows/s): first pass ${fmt(firstRate / rawRate, 2)}x, second pass ${fmt(secondRate / rawRate, 2)}x, ` +
        `third pass ${fmt(thirdRate / rawRate, 2)}x  (target >= 0.40x, >= 20,000 listings/s)`,
    );
  } finally {
    await app.close();
  }
}
