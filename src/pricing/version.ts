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

/**
 * A configuration's stored median, the basis of its listings' discount_to_market, follows the
 * market only in steps of at least this fraction. Every scrape moves a median a little (a listing
 * crosses the middle, one ends, one arrives), and a move of any size rewrote the discount of every
 * listing of the key: an indexed column, so a full non-HOT row and index write each. With 1% of
 * 100,000 listings changing price by up to 5%, that was 8,800 rewrites for 1,000 changes.
 */
export const MARKET_MEDIAN_STEP = 0.005;

/** Rows per recompute batch (one SELECT and one UPDATE each). */
export const RECOMPUTE_BATCH = 2000;
