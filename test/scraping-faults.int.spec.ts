import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, Queue } from 'bullmq';
import { startSimulator, type Simulator } from '../scrapers/simulator/server';
import { QueueName } from '../src/queue/queues';
import { ScheduleReconciler } from '../src/scraping/scrape.processor';
import { ScraperService } from '../src/scraping/scraper.service';
import { SourcesService } from '../src/sources/sources.service';
import { startTestApp, truncateAll, type TestApp } from './support/app';

// Bad input and faults, in real Chromium against real simulator markup. A small rewriting proxy
// in front of the simulator edits individual cards (price text, duplicates) so each case is a
// real eBay-like page with one thing wrong.
jest.setTimeout(120_000);

let app: TestApp;
let sim: Simulator;
let proxy: http.Server;
let proxyUrl = '';
let scraper: ScraperService;
let sources: SourcesService;
const failedDir = mkdtempSync(path.join(tmpdir(), 'rh-faults-'));
/** Rewrites applied by the proxy to search pages, keyed by _pgn. */
let rewrite: (html: string, page: number) => string = (h) => h;

const CARD = /<li class="s-item s-item__pl-on-bottom"[\s\S]*?<\/li>/g;
const PRICE = /<span class="s-item__price">[\s\S]*?<\/span>(?:<\/span>)?/;

/** Real result cards (not eBay's "Shop on eBay" placeholder, which the parser skips). */
function cards(html: string): string[] {
  return (html.match(CARD) ?? []).filter((c) => /\/itm\/\d+/.test(c) && !/Shop on eBay/i.test(c));
}
/** The external id the parser reads from a card's /itm/<id> link. */
function idOf(card: string): string {
  return /\/itm\/(\d+)/.exec(card)![1]!;
}
/** Replaces the price element of the n-th real card (0-based). */
function setPrice(html: string, n: number, priceHtml: string): string {
  const card = cards(html)[n]!;
  expect(PRICE.test(card)).toBe(true);
  return html.replace(card, card.replace(PRICE, priceHtml));
}

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 11, items: 800, markup: 'sitem' });
  proxy = http.createServer((req, res) => {
    const target = new URL(req.url ?? '/', sim.url);
    fetch(target)
      .then(async (r) => {
        let body = (await r.text()).split(sim.url).join(proxyUrl);
        if (target.pathname === '/sch/i.html') {
          body = rewrite(body, Number(target.searchParams.get('_pgn') ?? 1));
        }
        res.writeHead(r.status, { 'content-type': r.headers.get('content-type') ?? 'text/html' });
        res.end(body);
      })
      .catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  app = await startTestApp({
    SCRAPE_BACKOFF_MS: '20',
    SCRAPE_PAGE_ATTEMPTS: '2',
    SCRAPE_NAV_TIMEOUT_MS: '5000',
    SCRAPE_FAILED_PAGES_DIR: failedDir,
  });
  scraper = app.app.get(ScraperService);
  sources = app.app.get(SourcesService);
});

afterAll(async () => {
  await app?.close();
  await new Promise((resolve) => proxy?.close(resolve));
  await sim?.close();
});

beforeEach(async () => {
  await truncateAll(app.db);
  sim.reset();
  rewrite = (h) => h;
});

/** A query with at least three pages of results (60 per page). */
function multiPageQuery(): string {
  for (const w of ['server', 'dell', 'xeon', 'gb', 'ram', 'hp', 'intel', 'ddr4', 'poweredge']) {
    const n = sim.catalog.search(w).length;
    if (n > 130 && n <= 480) return w;
  }
  throw new Error('no simulator query spans 3 to 8 pages');
}

async function source(query: string, pageLimit = 20) {
  return sources.create({
    name: `faults-${query}-${pageLimit}`,
    kind: 'ebay-search',
    baseUrl: proxyUrl,
    queries: [query],
    rateLimitPerMinute: 6000,
    maxConcurrency: 4,
    pageLimit,
  });
}

type Row = { external_id: string; price: number | null; currency: string | null };
async function listing(externalId: string): Promise<Row | undefined> {
  const rows = (await app.db.query(
    `SELECT external_id, price, currency FROM listing WHERE external_id = $1`,
    [externalId],
  )) as Row[];
  return rows[0];
}

async function firstPage(query: string): Promise<string> {
  return (await fetch(`${sim.url}/sch/i.html?_nkw=${encodeURIComponent(query)}&_pgn=1`)).text();
}

describe('bad cards', () => {
  it('a card with no price is kept with a null price; the run succeeds', async () => {
    const q = multiPageQuery();
    const id = idOf(cards(await firstPage(q))[1]!);
    rewrite = (h, page) => (page === 1 ? setPrice(h, 1, '') : h);
    const [run] = await scraper.runSource((await source(q, 1)).id);
    expect(run).toMatchObject({ status: 'succeeded', pages: 1 });
    expect(await listing(id)).toMatchObject({ external_id: id, price: null });
  });

  it('"Best offer" / "See price" as the price is a listing without a price, not a zero', async () => {
    const q = multiPageQuery();
    const page = cards(await firstPage(q));
    const [a, b] = [idOf(page[2]!), idOf(page[3]!)];
    rewrite = (h, n) =>
      n === 1
        ? setPrice(
            setPrice(h, 2, '<span class="s-item__price">Best offer</span>'),
            3,
            '<span class="s-item__price">See price</span>',
          )
        : h;
    const [run] = await scraper.runSource((await source(q, 1)).id);
    expect(run!.status).toBe('succeeded');
    expect(await listing(a)).toMatchObject({ price: null });
    expect(await listing(b)).toMatchObject({ price: null });
    const [zero] = (await app.db.query(
      `SELECT count(*)::int AS n FROM listing WHERE price = 0`,
    )) as Array<{ n: number }>;
    expect(zero!.n).toBe(0);
  });

  it('an unknown currency symbol keeps the listing with currency null, never a guessed one', async () => {
    const q = multiPageQuery();
    const id = idOf(cards(await firstPage(q))[4]!);
    rewrite = (h, n) =>
      n === 1 ? setPrice(h, 4, '<span class="s-item__price">ZZ$ 1.234,00</span>') : h;
    const [run] = await scraper.runSource((await source(q, 1)).id);
    expect(run!.status).toBe('succeeded');
    const row = await listing(id);
    expect(row).toBeDefined();
    expect(row!.currency).toBeNull();
  });
});

describe('pages', () => {
  it('a card repeated on the next page (results shifting) is counted and stored once', async () => {
    const q = multiPageQuery();
    const expected = sim.catalog.search(q).length;
    let dup = '';
    rewrite = (h, page) => {
      const list = cards(h);
      if (page === 1) dup = list[5]!;
      // Page 2 shows page 1's sixth card again, in place of its own first card.
      return page === 2 && dup ? h.replace(list[0]!, dup) : h;
    };
    const [run] = await scraper.runSource((await source(q)).id);
    expect(run).toMatchObject({ status: 'succeeded', complete: true, duplicates: 1 });
    // One card of page 2 was replaced by the duplicate, so one real item was never shown.
    expect(run!.listingsSeen).toBe(expected - 1);
    const [n] = (await app.db.query(
      `SELECT count(*)::int AS n, count(DISTINCT external_id)::int AS d FROM listing`,
    )) as Array<{ n: number; d: number }>;
    expect(n).toEqual({ n: expected - 1, d: expected - 1 });
    const [obs] = (await app.db.query(
      `SELECT count(*)::int AS n FROM price_observation o JOIN listing l ON l.id = o.listing_id
       WHERE l.external_id = $1`,
      [idOf(dup)],
    )) as Array<{ n: number }>;
    expect(obs!.n).toBe(1);
  });

  it('a malformed (cut-off) page 2: run partial, error kind parse, page saved, nothing ended', async () => {
    const q = multiPageQuery();
    const src = await source(q);
    await scraper.runSource(src.id);
    sim.advance(24 * 10);
    // Page 2 loses its results list: the markup is there but no card can be read.
    rewrite = (h, page) =>
      page === 2 ? h.replace(/<ul class="srp-results[\s\S]*$/, '<ul class="srp-results"><li') : h;
    const [run] = await scraper.runSource(src.id);
    expect(run).toMatchObject({ status: 'partial', complete: false, pages: 1, listingsEnded: 0 });
    expect(run!.errors).toHaveLength(1);
    expect(run!.errors[0]).toMatchObject({ kind: 'parse' });
    // Not retried, and the message says why an empty page was not taken as the end.
    expect(run!.errors[0]!.message).toMatch(/no listings although it claims \d+ results/);
    expect(run!.errors[0]!.message).toMatch(/page 2, 1 attempt\)/);
    const saved = run!.errors[0]!.savedPage!;
    expect(saved).toBe(path.join(failedDir, `${run!.runId}-2.html`));
    expect(existsSync(saved)).toBe(true);
    expect(readFileSync(saved, 'utf8')).toContain('srp-results');
    const [row] = (await app.db.query(
      `SELECT status, complete, error_count, listings_ended FROM scrape_run WHERE id = $1`,
      [run!.runId],
    )) as Array<Record<string, unknown>>;
    expect(row).toEqual({ status: 'partial', complete: false, error_count: 1, listings_ended: 0 });
    const [ended] = (await app.db.query(
      `SELECT count(*)::int AS n FROM listing WHERE status <> 'active'`,
    )) as Array<{ n: number }>;
    expect(ended!.n).toBe(0);
  });
});

describe('runs left running by a killed worker', () => {
  async function runningRun(sourceId: number, jobId: string | null, ageMs: number) {
    const [r] = (await app.db.query(
      `INSERT INTO scrape_run (source_id, query, job_id, started_at)
       VALUES ($1, 'x', $2, now() - make_interval(secs => $3 / 1000.0)) RETURNING id`,
      [sourceId, jobId, ageMs],
    )) as Array<{ id: number }>;
    return r!.id;
  }
  async function statusOf(id: number) {
    const [r] = (await app.db.query(
      `SELECT status, errors, finished_at FROM scrape_run WHERE id = $1`,
      [id],
    )) as Array<{
      status: string;
      errors: Array<{ kind: string; message: string }>;
      finished_at: Date | null;
    }>;
    return r!;
  }

  it('worker start marks old runs of inactive jobs failed, leaves fresh and active ones', async () => {
    const src = await source('x');
    const old = await runningRun(src.id, 'gone-job', 10 * 60_000);
    const fresh = await runningRun(src.id, 'young-job', 0);
    const cliRecent = await runningRun(src.id, null, 10 * 60_000);
    const lockedRun = await runningRun(src.id, 'alive-job', 10 * 60_000);
    // The queue reports that job as active (a live worker holds it): its run, however old, lives.
    const queue = app.app.get<Queue>(getQueueToken(QueueName.Scrape));
    const active = jest
      .spyOn(queue, 'getJobs')
      .mockResolvedValue([{ id: 'alive-job' } as Job, { id: undefined } as Job]);
    try {
      await app.app.get(ScheduleReconciler).onApplicationBootstrap();
      expect(active).toHaveBeenCalledWith(['active']);
    } finally {
      active.mockRestore();
    }
    expect(await statusOf(old)).toMatchObject({
      status: 'failed',
      errors: [{ kind: 'interrupted', message: 'worker stopped' }],
    });
    expect((await statusOf(old)).finished_at).not.toBeNull();
    expect((await statusOf(fresh)).status).toBe('running');
    expect((await statusOf(cliRecent)).status).toBe('running');
    expect((await statusOf(lockedRun)).status).toBe('running');
  });

  it('a retried job closes the run its earlier attempt left running', async () => {
    const src = await source('x');
    const earlier = await runningRun(src.id, 'job-42', 0);
    await expect(scraper.failStaleRuns('job-42')).resolves.toEqual([earlier]);
    expect((await statusOf(earlier)).status).toBe('failed');
  });
});
