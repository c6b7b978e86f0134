import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { rowsOf } from '../common/sql';
import type { PartsMedian } from './valuation';

export interface SettingRow {
  key: string;
  value: unknown;
  revision: number;
  updatedAt: Date;
  updatedBy: string | null;
}

export interface MarketBaselineRow {
  configKey: string;
  n: number;
  median: number | null;
  p10: number | null;
  p90: number | null;
  windowDays: number;
  computedAt: Date;
}

/*
 * Parts medians over recent parts listings, per market key (see valuation partKey): RAM per GB by
 * DDR generation, drives per TB by media (NVMe counts as SSD), CPUs each by catalog family.
 * Uses the per-unit metrics already stored on those listings, in the base currency.
 */
const PARTS_MEDIANS_SQL = `
WITH recent AS (
  SELECT l.kind, l.specs, l.cpu_family, l.cpu_count, l.effective_price, l.dollars_per_gb_ram,
    l.dollars_per_tb
  FROM listing l
  WHERE l.kind IN ('ram', 'drive', 'cpu') AND l.status IN ('active', 'sold')
    AND l.last_seen_at >= now() - make_interval(days => $1::int)
),
obs AS (
  SELECT 'ram:ddr' || substring(upper(specs->>'ramType') from 'DDR\\s*(\\d)') || ':per-gb' AS key,
    dollars_per_gb_ram AS v
  FROM recent WHERE kind = 'ram' AND dollars_per_gb_ram > 0
  UNION ALL
  SELECT 'drive:' || CASE WHEN specs->'drives'->0->>'media' = 'hdd' THEN 'hdd' ELSE 'ssd' END
    || ':per-tb', dollars_per_tb
  FROM recent
  WHERE kind = 'drive' AND dollars_per_tb > 0
    AND specs->'drives'->0->>'media' IN ('hdd', 'ssd', 'nvme')
  UNION ALL
  SELECT 'cpu:' || lower(cpu_family) || ':each', effective_price / GREATEST(COALESCE(cpu_count, 1), 1)
  FROM recent WHERE kind = 'cpu' AND cpu_family IS NOT NULL AND effective_price > 0
)
SELECT key, count(*)::int AS n,
  round(percentile_cont(0.5) WITHIN GROUP (ORDER BY v)::numeric, 4) AS median
FROM obs WHERE key IS NOT NULL GROUP BY key`;

/*
 * Refreshes market_baseline for the given configuration keys (percentiles over recent active and
 * sold listings' per-unit effective price) and rewrites discount_to_market on every listing of
 * those keys, both only where something changed, in one statement. The stored median moves only
 * when the fresh one differs from it by at least $4 (a fraction, see MARKET_MEDIAN_STEP); n, p10
 * and p90 are always current. A listing's discount therefore changes when its own price does or
 * when its market moves by a step, not on every ripple.
 * $1 keys, $2 window days, $3 minimum observations, $4 median step.
 */
const REFRESH_MARKET_SQL = `
WITH keys AS (SELECT DISTINCT k FROM unnest($1::text[]) AS k WHERE k IS NOT NULL),
agg AS (
  SELECT k.k AS config_key, count(o.effective_price)::int AS n,
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY o.effective_price)::numeric, 2) AS median,
    round(percentile_cont(0.1) WITHIN GROUP (ORDER BY o.effective_price)::numeric, 2) AS p10,
    round(percentile_cont(0.9) WITHIN GROUP (ORDER BY o.effective_price)::numeric, 2) AS p90
  FROM keys k
  LEFT JOIN listing o ON o.config_key = k.k AND o.effective_price > 0
    AND o.status IN ('active', 'sold')
    AND o.last_seen_at >= now() - make_interval(days => $2::int)
  GROUP BY k.k
),
basis AS (
  SELECT a.config_key, a.n, a.p10, a.p90,
    CASE WHEN a.median IS NOT NULL AND b.median > 0
      AND abs(a.median - b.median) < b.median * $4::numeric
    THEN b.median ELSE a.median END AS median
  FROM agg a LEFT JOIN market_baseline b ON b.config_key = a.config_key
),
saved AS (
  INSERT INTO market_baseline AS b (config_key, n, median, p10, p90, window_days, computed_at)
  SELECT config_key, n, median, p10, p90, $2::int, now() FROM basis
  ON CONFLICT (config_key) DO UPDATE SET
    n = EXCLUDED.n, median = EXCLUDED.median, p10 = EXCLUDED.p10, p90 = EXCLUDED.p90,
    window_days = EXCLUDED.window_days, computed_at = EXCLUDED.computed_at
  WHERE (b.n, b.median, b.p10, b.p90, b.window_days)
    IS DISTINCT FROM (EXCLUDED.n, EXCLUDED.median, EXCLUDED.p10, EXCLUDED.p90, EXCLUDED.window_days)
  RETURNING 1
),
d AS (
  SELECT l.id,
    CASE WHEN l.effective_price IS NOT NULL AND a.n >= $3::int AND a.median > 0
      THEN round((a.median - l.effective_price) / a.median * 100, 2) END AS discount,
    CASE
      WHEN l.effective_price IS NULL THEN 'effective price unavailable: '
        || COALESCE(l.metric_reasons->>'effectivePrice', 'unknown')
      WHEN a.n < $3::int THEN format(
        'only %s market observation(s) of this configuration in %s days; at least %s needed',
        a.n, $2::int, $3::int)
      WHEN NOT a.median > 0 THEN 'market median is zero'
    END AS reason
  FROM listing l JOIN basis a ON a.config_key = l.config_key
),
changed AS (
  SELECT d.id, d.discount,
    CASE WHEN d.reason IS NULL THEN l.metric_reasons - 'discountToMarket'
      ELSE l.metric_reasons || jsonb_build_object('discountToMarket', d.reason) END AS reasons
  FROM d JOIN listing l ON l.id = d.id
)
UPDATE listing l SET discount_to_market = c.discount, metric_reasons = c.reasons
FROM changed c
WHERE l.id = c.id
  AND (l.discount_to_market, l.metric_reasons) IS DISTINCT FROM (c.discount, c.reasons)
RETURNING l.id`;

/*
 * Draining market_dirty_key, in three statements so the refresh reads every listing change whose
 * key it clears: (1) claim keys; the UPDATE waits for in-flight upserts that marked them, so the
 * refresh statement that starts after it sees their rows. (2) refresh those keys. (3) delete the
 * keys still claimed; a key re-marked after (1) was set back to unclaimed and stays for the next
 * job.
 */
const CLAIM_DIRTY_SQL = `
UPDATE market_dirty_key d SET claimed = true
WHERE d.config_key IN (SELECT config_key FROM market_dirty_key ORDER BY config_key LIMIT $1)
RETURNING d.config_key`;

/**
 * How a write marks a configuration key dirty (`INSERT INTO market_dirty_key AS d (config_key)
 * SELECT ... ORDER BY key` followed by this): a key a running market job has claimed is set back to
 * unclaimed, so the job's delete keeps it for the next run. Keys go in key order, so concurrent
 * writers take their row locks in one order and cannot deadlock.
 */
export const MARK_DIRTY_ON_CONFLICT =
  'ON CONFLICT (config_key) DO UPDATE SET claimed = false, marked_at = now() WHERE d.claimed';

/** $1 keys (see MARK_DIRTY_ON_CONFLICT); the ingest upsert marks its keys in its own statement. */
const MARK_DIRTY_SQL = `
INSERT INTO market_dirty_key AS d (config_key)
SELECT DISTINCT k FROM unnest($1::text[]) AS k WHERE k IS NOT NULL ORDER BY k
${MARK_DIRTY_ON_CONFLICT}`;

const CLEAR_DIRTY_SQL = `
DELETE FROM market_dirty_key WHERE config_key = ANY($1::text[]) AND claimed`;

@Injectable()
export class PricingRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async getSetting(key: string): Promise<SettingRow | null> {
    const rows: Array<Record<string, unknown>> = await this.db.query(
      'SELECT key, value, revision, updated_at, updated_by FROM setting WHERE key = $1',
      [key],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      key: r.key as string,
      value: r.value,
      revision: r.revision as number,
      updatedAt: r.updated_at as Date,
      updatedBy: (r.updated_by as string | null) ?? null,
    };
  }

  async settingRevision(key: string): Promise<number> {
    const rows: Array<{ revision: number }> = await this.db.query(
      'SELECT revision FROM setting WHERE key = $1',
      [key],
    );
    return rows[0]?.revision ?? 0;
  }

  /** Writes a setting and bumps its revision; returns the new revision. */
  async putSetting(key: string, value: unknown, by: string | null): Promise<number> {
    const rows = rowsOf<{ revision: number }>(
      await this.db.query(
        `INSERT INTO setting AS s (key, value, revision, updated_at, updated_by)
         VALUES ($1, $2::jsonb, 1, now(), $3)
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, revision = s.revision + 1,
           updated_at = now(), updated_by = EXCLUDED.updated_by
         RETURNING revision`,
        [key, JSON.stringify(value), by],
      ),
    );
    return rows[0]?.revision ?? 0;
  }

  async partsMedians(windowDays: number): Promise<Map<string, PartsMedian>> {
    const rows: Array<{ key: string; n: number; median: number }> = await this.db.query(
      PARTS_MEDIANS_SQL,
      [windowDays],
    );
    return new Map(rows.map((r) => [r.key, { median: r.median, n: r.n }]));
  }

  /** Returns how many listings had their discount_to_market (or its reason) rewritten. */
  async refreshMarket(
    keys: string[],
    windowDays: number,
    minObservations: number,
    medianStep: number,
  ): Promise<number> {
    if (keys.length === 0) return 0;
    const rows = rowsOf<{ id: number }>(
      await this.db.query(REFRESH_MARKET_SQL, [
        [...new Set(keys)],
        windowDays,
        minObservations,
        medianStep,
      ]),
    );
    return rows.length;
  }

  /** Claims up to `limit` dirty configuration keys (see CLAIM_DIRTY_SQL). */
  async claimDirtyKeys(limit: number): Promise<string[]> {
    const rows = rowsOf<{ config_key: string }>(await this.db.query(CLAIM_DIRTY_SQL, [limit]));
    return rows.map((r) => r.config_key);
  }

  /** Marks configuration keys for the market job (see MARK_DIRTY_SQL). */
  async markDirtyKeys(keys: readonly string[]): Promise<void> {
    if (keys.length) await this.db.query(MARK_DIRTY_SQL, [keys]);
  }

  /** Deletes claimed keys that nobody re-marked since the claim. */
  async clearDirtyKeys(keys: string[]): Promise<void> {
    if (keys.length) await this.db.query(CLEAR_DIRTY_SQL, [keys]);
  }

  async countDirtyKeys(): Promise<number> {
    const rows: Array<{ n: number }> = await this.db.query(
      'SELECT count(*)::int AS n FROM market_dirty_key',
    );
    return rows[0]?.n ?? 0;
  }

  async baselines(keys: readonly string[]): Promise<MarketBaselineRow[]> {
    if (keys.length === 0) return [];
    const rows: Array<Record<string, unknown>> = await this.db.query(
      `SELECT config_key, n, median, p10, p90, window_days, computed_at
       FROM market_baseline WHERE config_key = ANY($1::text[])`,
      [keys],
    );
    return rows.map((r) => ({
      configKey: r.config_key as string,
      n: r.n as number,
      median: (r.median as number | null) ?? null,
      p10: (r.p10 as number | null) ?? null,
      p90: (r.p90 as number | null) ?? null,
      windowDays: r.window_days as number,
      computedAt: r.computed_at as Date,
    }));
  }
}
