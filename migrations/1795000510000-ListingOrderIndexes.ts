import { MigrationInterface, QueryRunner } from 'typeorm';

/** Metric orders as ListingsRepository.findPage sorts them: `<metric> <dir> NULLS LAST, id <dir>`. */
const ORDERS: Array<[metric: string, direction: 'ASC' | 'DESC']> = [
  ['effective_price', 'ASC'],
  ['cpu_score_per_dollar', 'DESC'],
  ['dollars_per_core', 'ASC'],
  ['dollars_per_thread', 'ASC'],
  ['dollars_per_gb_ram', 'ASC'],
  ['dollars_per_tb', 'ASC'],
  ['tflops_per_dollar', 'DESC'],
  ['dollars_per_gb_vram', 'ASC'],
  ['tco', 'ASC'],
  ['break_even_months', 'ASC'],
  ['discount_to_market', 'DESC'],
];

/**
 * Metric sort indexes the listings query can actually use. The partial indexes of
 * ListingSpecs (`(metric, id) WHERE status = 'active' AND metric IS NOT NULL`) were never chosen
 * for `listings(orderBy: ...)`: the query keeps listings without the metric (sorted last), so
 * the `IS NOT NULL` predicate is not implied and the index cannot be used; and for the
 * descending metrics a backward scan yields NULLS FIRST while the query asks NULLS LAST. The
 * top-50 by cpuScorePerDollar over 1M listings was a parallel seq scan plus sort (~1 s). These
 * indexes match the ORDER BY exactly (direction, NULLS LAST, id tie-break) over active listings,
 * so a filtered top-N walks the index and stops after N matches; they replace the old ones.
 */
export class ListingOrderIndexes1795000510000 implements MigrationInterface {
  name = 'ListingOrderIndexes1795000510000';

  async up(q: QueryRunner): Promise<void> {
    for (const [m, dir] of ORDERS) {
      await q.query(`DROP INDEX IF EXISTS listing_${m}_idx`);
      await q.query(
        `CREATE INDEX listing_${m}_order_idx ON listing (${m} ${dir} NULLS LAST, id ${dir})
         WHERE status = 'active'`,
      );
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const [m] of ORDERS) {
      await q.query(`DROP INDEX IF EXISTS listing_${m}_order_idx`);
      await q.query(
        `CREATE INDEX listing_${m}_idx ON listing (${m}, id) WHERE status = 'active' AND ${m} IS NOT NULL`,
      );
    }
  }
}
