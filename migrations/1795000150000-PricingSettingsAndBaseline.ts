import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `setting`: admin-editable configuration as key/value jsonb with a revision counter (the
 * valuation settings, including the FX table, live under key 'valuation').
 * `market_baseline`: fair-price statistics per normalized configuration key.
 */
export class PricingSettingsAndBaseline1795000150000 implements MigrationInterface {
  name = 'PricingSettingsAndBaseline1795000150000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE setting (
        key text PRIMARY KEY,
        value jsonb NOT NULL,
        revision integer NOT NULL DEFAULT 1,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by text
      )`);
    await q.query(`
      CREATE TABLE market_baseline (
        config_key text PRIMARY KEY,
        n integer NOT NULL,
        median numeric,
        p10 numeric,
        p90 numeric,
        window_days integer NOT NULL,
        computed_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Listings of one configuration key (any status: discounts are written on all of them) and
    // its observations in the baseline window.
    await q.query(
      `CREATE INDEX listing_config_key_seen_idx ON listing (config_key, last_seen_at)
       WHERE config_key IS NOT NULL`,
    );
    // Parts medians scan parts listings by kind and recency.
    await q.query(
      `CREATE INDEX listing_kind_seen_idx ON listing (kind, last_seen_at)
       WHERE kind IN ('ram', 'drive', 'cpu')`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS listing_kind_seen_idx');
    await q.query('DROP INDEX IF EXISTS listing_config_key_seen_idx');
    await q.query('DROP TABLE IF EXISTS market_baseline');
    await q.query('DROP TABLE IF EXISTS setting');
  }
}
