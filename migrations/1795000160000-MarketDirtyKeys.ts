import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `market_dirty_key`: configuration keys whose market baseline (and the discount_to_market of
 * their listings) must be rebuilt. Ingest marks keys in the upsert statement; a debounced job on
 * the valuation queue drains them set-based. `claimed` is set by the drain before it reads the
 * listings: a key re-marked meanwhile gets `claimed = false` and survives the drain's delete.
 */
export class MarketDirtyKeys1795000160000 implements MigrationInterface {
  name = 'MarketDirtyKeys1795000160000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE market_dirty_key (
        config_key text PRIMARY KEY,
        claimed boolean NOT NULL DEFAULT false,
        marked_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE market_dirty_key');
  }
}
