/**
 * npm run bench -- recompute [count]
 *
 * Loads `count` (default 100,000) synthetic listings through the ingest path (timed: the
 * baseline), settles the market, then changes the valuation settings so every listing is stale
 * and runs the recompute job's loop (ListingsService.recomputeStale: batches of RECOMPUTE_BATCH
 * re-normalized, re-valued and written set-based, their market keys marked, the market rebuilt
 * once at the end). Prints listings/s for both, the recompute/ingest ratio and the time spent in
 * the market rebuild.
 */
import 'reflect-metadata';
import { ListingsService } from '../src/listings/listings.service';
import { PricingRepository } from '../src/pricing/pricing.repository';
import { PricingService, VALUATION_SETTING_KEY } from '../src/pricing/pricing.service';
import { DEFAULT_VALUATION_SETTINGS } from '../src/pricing/valuation';
import { RECOMPUTE_BATCH } from '../src/pricing/version';
import { SourcesService } from '../src/sources/sources.service';
import { syntheticListings } from './ingest';
import { fmt } from './support';
import { benchAppContext, ingestConcurrently } from './bench-app';

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 100_000);
  if (!Number.isInteger(count) || count < 1000) {
    throw new Error('usage: npm run bench -- recompute [count >= 1000]');
  }
  const { app } = await benchAppContext('recompute');
  try {
    const listings = app.get(ListingsService);
    const pricing = app.get(PricingService, { strict: false });
    const sourceId = (await app.get(SourcesService).ensure('bench', 'manual')).id;
    const rows = syntheticListings(count);
    console.log(
      `recompute benchmark: ${fmt(count)} listings, batches of ${fmt(RECOMPUTE_BATCH)}, after a settings change`,
    );

    // Baseline: the same listings through ingest (2 batches of 1,000 in flight, as the worker).
    const observedAt = new Date().toISOString();
    const i0 = performance.now();
    await ingestConcurrently(listings, sourceId, rows, observedAt, 2);
    const ingestMs = performance.now() - i0;
    await pricing.refreshDirtyMarket();

    // New settings without the mutation (which would enqueue the job): every row is stale.
    await app.get(PricingRepository, { strict: false }).putSetting(
      VALUATION_SETTING_KEY,
      {
        ...DEFAULT_VALUATION_SETTINGS,
        horizonMonths: DEFAULT_VALUATION_SETTINGS.horizonMonths + 12,
      },
      'bench',
    );
    await pricing.reload();
    const stale = await listings.countStale();

    let marketMs = 0;
    const refresh = pricing.refreshDirtyMarket.bind(pricing);
    pricing.refreshDirtyMarket = async () => {
      const m0 = performance.now();
      try {
        return await refresh();
      } finally {
        marketMs += performance.now() - m0;
      }
    };
    const r0 = performance.now();
    const result = await listings.recomputeStale({
      afterId: 0,
      batchSize: RECOMPUTE_BATCH,
      checkpoint: () => Promise.resolve(),
    });
    const recomputeMs = performance.now() - r0;
    if (result.updated !== stale || (await listings.countStale()) !== 0) {
      throw new Error(`recompute left rows stale: ${JSON.stringify(result)} of ${stale}`);
    }

    const ingestRate = (count / ingestMs) * 1000;
    const recomputeRate = (result.scanned / recomputeMs) * 1000;
    console.log(
      `  ingest, first pass (baseline): ${fmt(ingestRate)} listings/s  (${fmt(ingestMs)} ms)`,
    );
    console.log(
      `  recompute: ${fmt(result.updated)} re-priced, ${fmt(recomputeRate)} listings/s  (${fmt(recomputeMs)} ms, ` +
        `of which the market rebuild at the end ${fmt(marketMs)} ms)`,
    );
    console.log(`  ratio recompute/ingest: ${fmt(recomputeRate / ingestRate, 2)}x`);
  } finally {
    await app.close();
  }
}
