/**
 * Market baseline over observed prices of one configuration (the SQL that collects them lives in
 * the listings repository). Pure.
 */

export interface MarketBaseline {
  n: number;
  median: number | null;
  p10: number | null;
  p90: number | null;
}

/** Linear-interpolated quantile (Hyndman-Fan type 7, the same as PostgreSQL percentile_cont). */
function quantile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo];
  const b = sorted[hi];
  if (a === undefined || b === undefined) return null;
  return a + (b - a) * (pos - lo);
}

/** Non-finite and negative prices are ignored; zero is kept (a free item is an observation). */
export function marketBaseline(prices: readonly number[]): MarketBaseline {
  const clean = (Array.isArray(prices) ? prices : [])
    .filter((p): p is number => typeof p === 'number' && Number.isFinite(p) && p >= 0)
    .sort((a, b) => a - b);
  return {
    n: clean.length,
    median: quantile(clean, 0.5),
    p10: quantile(clean, 0.1),
    p90: quantile(clean, 0.9),
  };
}

export type MarketDiscount =
  | {
      /** Percent below the median: 20 means 20% cheaper than the market, -10 means 10% dearer. */
      discountPct: number;
      /** Where the price falls: 'below-p10' | 'p10-p90' | 'above-p90'. */
      band: 'below-p10' | 'p10-p90' | 'above-p90';
      n: number;
    }
  | { discountPct: null; reason: string };

/** Discount of `price` to the baseline median; null with a reason below `minObservations`. */
export function discountToMarket(
  price: number | null | undefined,
  baseline: MarketBaseline,
  minObservations = 5,
): MarketDiscount {
  if (typeof price !== 'number' || !Number.isFinite(price) || price < 0) {
    return { discountPct: null, reason: `price ${String(price)} is not a valid amount` };
  }
  if (baseline.n < minObservations || baseline.median === null) {
    return {
      discountPct: null,
      reason: `only ${baseline.n} market observation(s); at least ${minObservations} needed`,
    };
  }
  if (baseline.median <= 0) return { discountPct: null, reason: 'market median is zero' };
  const band =
    baseline.p10 !== null && price < baseline.p10
      ? 'below-p10'
      : baseline.p90 !== null && price > baseline.p90
        ? 'above-p90'
        : 'p10-p90';
  return {
    discountPct: ((baseline.median - price) / baseline.median) * 100,
    band,
    n: baseline.n,
  };
}
