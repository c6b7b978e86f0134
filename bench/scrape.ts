/**
 * Scrape throughput against the local simulator: the same search pages through Playwright with
 * request blocking, without it, and over plain HTTP, each fetched and parsed. Prints pages/s, the
 * ratios and the worker's RSS before and after. Args: [pages=500] [concurrency=4].
 */
import { BrowserPool } from '../scrapers/fetch/browser-pool';
import type { FetchedPage, PageSession } from '../scrapers/fetch/fetcher';
import { availableParallelism, loadavg } from 'node:os';
import { HttpSession } from '../scrapers/fetch/http-fetcher';
import { isRetryable } from '../scrapers/errors';
import { parsePage } from '../scrapers/registry';
import { startSimulator } from '../scrapers/simulator/server';

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * Fetches and parses every URL with `concurrency` sessions pulling from one shared cursor.
 * Every worker is awaited before returning or throwing: one failing worker must never let the
 * caller close the browser under the others (that was the "Target page, context or browser has
 * been closed" crash). A retryable failure (aborted navigation, dead context, 5xx) is retried.
 */
async function drive(
  label: string,
  urls: string[],
  concurrency: number,
  open: () => Promise<PageSession>,
): Promise<{ seconds: number; listings: number; retries: number }> {
  let next = 0;
  let listings = 0;
  let retries = 0;
  let failed = false;
  const started = process.hrtime.bigint();
  const fetchOne = async (session: PageSession, url: string): Promise<FetchedPage> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await session.fetch(url);
      } catch (error) {
        if (attempt >= 3 || !isRetryable(error)) throw error;
        retries++;
      }
    }
  };
  const results = await Promise.allSettled(
    Array.from({ length: concurrency }, async () => {
      const session = await open();
      try {
        for (let i = next++; i < urls.length && !failed; i = next++) {
          const page = await fetchOne(session, urls[i]!);
          if (page.status !== 200) throw new Error(`HTTP ${page.status} for ${urls[i]}`);
          listings += parsePage('ebay-search', page.body, page.finalUrl).listings.length;
          if (i > 0 && i % 100 === 0) process.stderr.write(`  ${label}: ${i}/${urls.length}\n`);
        }
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        await session.close();
      }
    }),
  );
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, listings, retries };
}

export async function run(args: string[]): Promise<void> {
  const pages = Number(args[0] ?? 500);
  const concurrency = Number(args[1] ?? 4);
  if (!Number.isInteger(pages) || pages < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error('usage: bench scrape [pages=500] [concurrency=4]');
  }
  const sim = await startSimulator({ port: 0, seed: 1, items: 2000 });
  const perQuery = Math.ceil(sim.catalog.search('').length / 60);
  const urls = Array.from({ length: pages }, (_, i) => {
    const u = new URL(`${sim.url}/sch/i.html`);
    u.searchParams.set('_nkw', '');
    u.searchParams.set('_pgn', String((i % perQuery) + 1));
    u.searchParams.set('_sop', ['12', '15', '10', '1'][Math.floor(i / perQuery) % 4]!);
    return u.toString();
  });
  const pool = new BrowserPool({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    navigationTimeoutMs: 30_000,
  });
  try {
    // Warm-up: launch the browser and JIT the parser before measuring.
    await drive('warm-up', urls.slice(0, 8), 2, () => pool.openSession({ blockResources: true }));
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const load1 = loadavg();
    const blocked = await drive('blocked', urls, concurrency, () =>
      pool.openSession({ blockResources: true }),
    );
    const unblocked = await drive('unblocked', urls, concurrency, () =>
      pool.openSession({ blockResources: false }),
    );
    const http = await drive('http', urls, concurrency, () =>
      Promise.resolve(new HttpSession({ timeoutMs: 30_000 })),
    );
    global.gc?.();
    const rssAfter = process.memoryUsage().rss;
    const rate = (r: { seconds: number }): number => pages / r.seconds;
    const line = (
      name: string,
      r: { seconds: number; listings: number; retries: number },
    ): string =>
      `${name.padEnd(34)} ${rate(r).toFixed(1).padStart(7)} pages/s  (${r.seconds.toFixed(1)} s, ${r.listings} listings, ${r.retries} retried)`;
    console.log(
      `scrape bench: ${pages} search pages, concurrency ${concurrency}, simulator ${sim.url}`,
    );
    console.log(line('playwright, images/fonts/media off', blocked));
    console.log(line('playwright, no blocking', unblocked));
    console.log(line('plain HTTP (fetch) + parse', http));
    console.log(`ratio blocked/unblocked: ${(rate(blocked) / rate(unblocked)).toFixed(2)}x`);
    console.log(`ratio http/playwright(blocked): ${(rate(http) / rate(blocked)).toFixed(2)}x`);
    const growth = ((rssAfter - rssBefore) / rssBefore) * 100;
    console.log(
      `worker RSS before ${mb(rssBefore)}, after ${mb(rssAfter)} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%)`,
    );
    const load2 = loadavg();
    console.log(
      `load average (1/5/15 min) at start ${load1.map((l) => l.toFixed(2)).join(' ')}, at end ${load2.map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`,
    );
    console.log(
      `targets: >= 10 pages/s through Playwright: ${rate(blocked) >= 10 ? 'met' : 'NOT met'}; RSS growth < 20%: ${growth < 20 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await pool.close();
    await sim.close();
  }
}
