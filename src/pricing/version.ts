/**
 * Version of the pricing pipeline (normalizer + catalogs + valuation math). Bump it whenever one
 * of them changes what a listing's specs or metrics would be: worker startup then enqueues the
 * recompute job, which rewrites only the rows valued with another version.
 */
export const PRICING_VERSION = 1;

/** Settings revisions per pricing version that fit the listing.valuation_version integer. */
const REVISIONS_PER_VERSION = 100_000;

/**
 * The version stamped on listing.valuation_version: the pipeline version and the revision of the
 * valuation settings row, so a settings change makes every row stale too.
 */
export function valuationVersion(settingsRevision: number): number {
  const rev = Number.isInteger(settingsRevision) && settingsRevision > 0 ? settingsRevision : 0;
  return PRICING_VERSION * REVISIONS_PER_VERSION + (rev % REVISIONS_PER_VERSION);
}

/** Observation window of market baselines and parts medians. */
export const MARKET_WINDOW_DAYS = 90;

/** Rows per recompute batch (one SELECT and one UPDATE each). */
export const RECOMPUTE_BATCH = 2000;
