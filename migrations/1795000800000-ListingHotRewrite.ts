import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One rewrite of `listing` for cheaper writes.
 *
 * - Fillfactor 50. A re-observation (a scrape sees the same listing again: the most common write)
 *   changes no indexed column, so it can be a HOT update, which writes no index entry, but only
 *   if the new row version fits on the same page. The listings of one search page arrive in one
 *   batch, were inserted together and share heap pages, and one transaction updates all of them;
 *   the old versions cannot be pruned until it commits. A page can therefore take every one of
 *   its rows' new versions only if at least half of it is free. At fillfactor 80 a 1.5 kB row
 *   left room for one new version per page: a quarter of re-observations were HOT, the rest wrote
 *   all 19 index entries and a row elsewhere (100,000 re-observations: 11,800/s, PostgreSQL
 *   105 us each, indexes +50%). At 50 all were HOT (20,200/s, 38 us, no growth). The heap holds
 *   half as many rows per page; without HOT, dead versions took that space anyway.
 * - Ratio, score and estimate metrics become double precision; amounts of money (effective_price,
 *   annual_energy_cost, tco) stay numeric. Nine of the eleven order indexes sort on these metrics
 *   and every new listing inserts into each: numeric compares through a function call over a
 *   variable-length value, float8 inline (PostgreSQL CPU per new listing about 12% lower). A
 *   double also round-trips exactly through JavaScript and a keyset cursor.
 *
 * The fillfactor is set first so that the type change's table rewrite leaves the free space. The
 * rewrite holds an ACCESS EXCLUSIVE lock for its duration: on a large table, run it in a quiet
 * window.
 */
const FLOAT8_METRICS = [
  'cpu_score',
  'cpu_score_per_dollar',
  'dollars_per_core',
  'dollars_per_thread',
  'dollars_per_gb_ram',
  'dollars_per_tb',
  'gpu_fp32_tflops',
  'gpu_fp16_tflops',
  'tflops_per_dollar',
  'dollars_per_gb_vram',
  'estimated_watts',
  'break_even_months',
  'discount_to_market',
] as const;

export class ListingHotRewrite1795000800000 implements MigrationInterface {
  name = 'ListingHotRewrite1795000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listing SET (fillfactor = 50)`);
    await q.query(
      `ALTER TABLE listing ${FLOAT8_METRICS.map((c) => `ALTER COLUMN ${c} TYPE double precision`).join(', ')}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listing SET (fillfactor = 80)`);
    await q.query(
      `ALTER TABLE listing ${FLOAT8_METRICS.map((c) => `ALTER COLUMN ${c} TYPE numeric`).join(', ')}`,
    );
  }
}
