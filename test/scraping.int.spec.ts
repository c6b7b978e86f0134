import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startSimulator, type Simulator } from '../scrapers/simulator/server';
import { ScraperService } from '../src/scraping/scraper.service';
import { SourcesService } from '../src/sources/sources.service';
import { startTestApp, truncateAll, type TestApp } from './support/app';

// Real Chromium against the simulator, real PostgreSQL. Runs are driven in-process through
// ScraperService (what a scrape job does) so each test controls its own faults.
jest.setTimeout(120_000);

let app: TestApp;
let sim: Simulator;
let scraper: ScraperService;
let sources: SourcesService;
const failedDir = mkdtempSync(path.join(tmpdir(), 'rh-failed-pages-'));

/** A word that matches between 120 and 400 simulator items, so searches span several pages. */
let broadQuery = '';

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 7, items: 600 });
  for (const w of ['server', 'dell', 'xeon', 'gb', 'ram', 'hp', 'intel', 'ddr4', 'poweredge']) {
    const n = sim.catalog.search(w).length;
    if (n >= 120 && n <= 400) {
      broadQuery = w;
      break;
    }
  }
  app = await startTestApp({
    SCRAPE_BACKOFF_MS: '20',
    SCRAPE_PAGE_ATTEMPTS: '3',
    SCRAPE_NAV_TIMEOUT_MS: '2500',
    SCRAPE_FAILED_PAGES_DIR: failedDir,
  });
  scraper = app.app.get(ScraperService);
  sources = app.app.get(SourcesService);
});

afterAll(async () => {
  await app?.close();
  await sim?.close();
});

beforeEach(async () => {
  await truncateAll(app.db);
  sim.reset();
});

async function ebaySource(queries: string[], pageLimit = 20) {
  return sources.create({
    name: `sim-ebay-${queries.join('-')}-${pageLimit}`,
    kind: 'ebay-search',
    baseUrl: sim.url,
    queries,
    rateLimitPerMinute: 6000,
    maxConcurrency: 4,
    pageLimit,
  });
}

async function counts(): Promise<{ listings: number; observations: number; active: number }> {
  const [row] = (await app.db.query(
    `SELECT (SELECT count(*) FROM listing)::int AS listings,
            (SELECT count(*) FROM listing WHERE status = 'active')::int AS active,
            (SELECT count(*) FROM price_observation)::int AS observations`,
  )) as Array<{ listings: number; observations: number; active: number }>;
  return row!;
}

describe('scrape runs through Chromium', () => {
  it('picks a query spanning several pages', () => {
    expect(broadQuery).not.toBe('');
  });

  it('scrapes every page of a query, records the run and membership', async () => {
    const src = await ebaySource([broadQuery]);
    const expected = sim.catalog.search(broadQuery).length;
    const [run] = await scraper.runSource(src.id);
    expect(run).toMatchObject({ status: 'succeeded', complete: true, listingsEnded: 0 });
    expect(run!.pages).toBeGreaterThan(1);
    expect(run!.listingsSeen).toBe(expected);
    expect(run!.listingsNew).toBe(expected);
    const [seen] = (await app.db.query(
      `SELECT count(*)::int AS n FROM listing_seen WHERE source_id = $1 AND query = $2 AND last_run_id = $3`,
      [src.id, broadQuery, run!.runId],
    )) as Array<{ n: number }>;
    expect(seen!.n).toBe(expected);
    const [row] = (await app.db.query(`SELECT * FROM scrape_run WHERE id = $1`, [
      run!.runId,
    ])) as Array<Record<string, unknown>>;
    expect(row).toMatchObject({ status: 'succeeded', complete: true, error_count: 0 });
    expect(row!.duration_ms).not.toBeNull();
  });

  it('ends listings missing from a later complete run, with an observation each', async () => {
    const src = await ebaySource([broadQuery]);
    await scraper.runSource(src.id);
    sim.advance(24 * 10);
    const stillActive = new Set(sim.catalog.search(broadQuery).map((i) => String(i.id)));
    const [second] = await scraper.runSource(src.id);
    expect(second).toMatchObject({ status: 'succeeded', complete: true });
    expect(second!.listingsEnded).toBeGreaterThan(0);
    const ended = (await app.db.query(
      `SELECT l.external_id FROM listing l WHERE l.status = 'ended'`,
    )) as Array<{ external_id: string }>;
    expect(ended).toHaveLength(second!.listingsEnded);
    for (const e of ended) expect(stillActive.has(e.external_id)).toBe(false);
    const [obs] = (await app.db.query(
      `SELECT count(*)::int AS n FROM price_observation WHERE status = 'ended' AND run_id = $1`,
      [second!.runId],
    )) as Array<{ n: number }>;
    expect(obs!.n).toBe(second!.listingsEnded);
  });

  it('a bot wall is retried, then recorded as blocked: nothing parsed as zero, nothing ended', async () => {
    const src = await ebaySource([broadQuery]);
    await scraper.runSource(src.id);
    const before = await counts();
    sim.advance(24 * 10);
    sim.setFault('/sch/', { type: 'botwall' });
    const [run] = await scraper.runSource(src.id);
    expect(run).toMatchObject({ status: 'blocked', complete: false, listingsEnded: 0, pages: 0 });
    expect(run!.errors[0]).toMatchObject({ kind: 'blocked' });
    expect(run!.errors[0]!.message).toMatch(/3 attempts/);
    expect(run!.errors[0]!.savedPage).toBe(path.join(failedDir, `${run!.runId}-1.html`));
    expect(existsSync(run!.errors[0]!.savedPage!)).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('a 500 is retried with backoff and the run still succeeds', async () => {
    const src = await ebaySource([broadQuery]);
    sim.setFault('_pgn=2', { type: '500', times: 2 });
    const [run] = await scraper.runSource(src.id);
    expect(run).toMatchObject({ status: 'succeeded', complete: true });
    expect(sim.state().requests.faulted).toBe(2);
  });

  it('a page that hangs times out, is retried, and leaves the run partial: nothing ended', async () => {
    const src = await ebaySource([broadQuery]);
    await scraper.runSource(src.id);
    sim.advance(24 * 10);
    const before = await counts();
    sim.setFault('_pgn=2', { type: 'hang' });
    const [run] = await scraper.runSource(src.id);
    expect(run).toMatchObject({ status: 'partial', complete: false, listingsEnded: 0, pages: 1 });
    expect(run!.errors[0]).toMatchObject({ kind: 'navigation-timeout' });
    expect((await counts()).active).toBeGreaterThanOrEqual(before.active);
    const [ended] = (await app.db.query(
      `SELECT count(*)::int AS n FROM listing WHERE status = 'ended'`,
    )) as Array<{ n: number }>;
    expect(ended!.n).toBe(0);
  });

  it('a truncated (malformed) page is not retried forever and ends nothing', async () => {
    const src = await ebaySource([broadQuery]);
    sim.setFault('_pgn=1|^/sch/i\\.html\\?_nkw=[^&]*$', { type: 'malformed' });
    const [run] = await scraper.runSource(src.id);
    // Whatever the truncated page still holds may be ingested, but the run is never a complete success.
    expect(run!.listingsEnded).toBe(0);
    if (run!.status === 'succeeded') expect(run!.pages).toBeGreaterThanOrEqual(1);
    else expect(['partial', 'failed']).toContain(run!.status);
  });

  it('a run killed mid-scrape and re-run gives the same rows as one clean run', async () => {
    const src = await ebaySource([broadQuery]);
    await scraper.runSource(src.id);
    const clean = await counts();

    await truncateAll(app.db);
    sim.reset();
    const src2 = await ebaySource([broadQuery]);
    sim.setFault('_pgn=3', { type: 'slow', delayMs: 1500, times: 1 });
    const controller = new AbortController();
    const killed = scraper.runSource(src2.id, { signal: controller.signal });
    // Abort once two pages are in.
    for (let i = 0; i < 200; i++) {
      const [r] = (await app.db.query(`SELECT max(pages)::int AS p FROM scrape_run`)) as Array<{
        p: number | null;
      }>;
      if ((r?.p ?? 0) >= 2) break;
      await new Promise((res) => setTimeout(res, 25));
    }
    controller.abort(new Error('worker killed'));
    await expect(killed).rejects.toThrow();
    const [abortedRun] = (await app.db.query(
      `SELECT status FROM scrape_run ORDER BY id LIMIT 1`,
    )) as Array<{ status: string }>;
    expect(abortedRun!.status).toBe('failed');
    const [rerun] = await scraper.runSource(src2.id);
    expect(rerun).toMatchObject({ status: 'succeeded', complete: true, listingsEnded: 0 });
    expect(await counts()).toEqual(clean);
  });

  it('scrapes a Shopify shop over plain HTTP', async () => {
    const src = await sources.create({
      name: 'sim-shop',
      kind: 'shopify',
      baseUrl: `${sim.url}/shop`,
      rateLimitPerMinute: 6000,
      pageLimit: 20,
    });
    const [run] = await scraper.runSource(src.id);
    expect(run).toMatchObject({ status: 'succeeded', complete: true, query: '' });
    expect(run!.listingsSeen).toBeGreaterThan(0);
  });

  it('an ebay-item source enriches a listing and ends it on the item page evidence', async () => {
    const item = sim.catalog.search(broadQuery)[0]!;
    const src = await sources.create({
      name: 'sim-item',
      kind: 'ebay-item',
      baseUrl: sim.url,
      queries: [String(item.id)],
      rateLimitPerMinute: 6000,
    });
    const [first] = await scraper.runSource(src.id);
    expect(first).toMatchObject({ status: 'succeeded', listingsSeen: 1 });
    const [l1] = (await app.db.query(`SELECT status, attributes FROM listing`)) as Array<{
      status: string;
      attributes: Record<string, string>;
    }>;
    expect(l1!.status).toBe('active');
    expect(Object.keys(l1!.attributes).length).toBeGreaterThan(0);
    sim.advance(24 * 60);
    const [second] = await scraper.runSource(src.id);
    expect(second!.status).toBe('succeeded');
    const [l2] = (await app.db.query(`SELECT status, ended_at FROM listing`)) as Array<{
      status: string;
      ended_at: Date | null;
    }>;
    expect(['ended', 'sold']).toContain(l2!.status);
    expect(l2!.ended_at).not.toBeNull();
  });

  it('keeps a saved copy of a page that failed', async () => {
    const src = await ebaySource([broadQuery]);
    sim.setFault('_pgn=2', { type: 'captcha' });
    const [run] = await scraper.runSource(src.id);
    expect(run!.status).toBe('blocked');
    const saved = run!.errors[0]!.savedPage!;
    expect(readFileSync(saved, 'utf8')).toMatch(/captcha/i);
  });
});
