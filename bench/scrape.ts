/**
 * Scrape throughput against the local simulator: the same search pages through Playwright with
 * request blocking, without it, and over plain HTTP, each fetched and parsed. Prints pages/s, the
 * ratios and the worker's RSS before and after. Args: [pages=500] [concurrency=4] [warmup=100]
 * (pages of each mode run before the RSS "before" reading; the reading from a cold start, after
 * 8 pages, is printed too).
 *
 * The simulator runs in a child process (bench/scrape-simulator.ts), as a marketplace would be
 * elsewhere: this process is the scraper alone, and its RSS is the worker's. It still shares the
 * machine's cores with the simulator and Chromium.
 */
import { fork } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { extname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BrowserPool } from '../scrapers/fetch/browser-pool';
import type { FetchedPage, PageSession } from '../scrapers/fetch/fetcher';
import { HttpSession } from '../scrapers/fetch/http-fetcher';
import { isRetryable } from '../scrapers/errors';
import { parsePage } from '../scrapers/registry';
import type { SimulatorReady } from './scrape-simulator';

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

interface SimulatorProcess extends SimulatorReady {
  pid: number | undefined;
  close(): Promise<void>;
}

/** Starts bench/scrape-simulator in a child process and waits until it listens. */
function startSimulatorProcess(seed: number, items: number): Promise<SimulatorProcess> {
  const script = join(__dirname, `scrape-simulator${extname(__filename)}`);
  const child = fork(script, [String(seed), String(items)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const close = async (): Promise<void> => {
    if (child.exitCode === null && child.connected) child.send('close');
    await exited;
  };
  return new Promise((resolve, reject) => {
    child.once('message', (message: SimulatorReady) =>
      resolve({ ...message, pid: child.pid, close }),
    );
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`simulator process exited (code ${code})`)));
  });
}

/** A full garbage collection, with --expose-gc or without it. */
function forcedFullGc(): void {
  if (global.gc) return global.gc();
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

/** Highest RSS seen while `work` runs, sampled every 100 ms. */
async function withPeakRss<T>(work: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  try {
    const result = await work();
    return { result, peak: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(timer);
  }
}

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
  const warmup = Number(args[2] ?? 100);
  if (
    !Number.isInteger(pages) ||
    pages < 1 ||
    !Number.isInteger(concurrency) ||
    concurrency < 1 ||
    !Number.isInteger(warmup) ||
    warmup < 0
  ) {
    throw new Error('usage: bench scrape [pages=500] [concurrency=4] [warmup=100]');
  }
  const sim = await startSimulatorProcess(1, 2000);
  const perQuery = Math.ceil(sim.activeListings / 60);
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
    // Cold: the browser launched and the parser run once.
    await drive('warm-up', urls.slice(0, 8), 2, () => pool.openSession({ blockResources: true }));
    global.gc?.();
    const rssCold = process.memoryUsage().rss;
    // Warm-up to a worker's steady state: every mode over `warmup` pages at the measured
    // concurrency, so JIT code, heap sizing and both browsers are in place before "before" is
    // read, and growth across the run shows what a long-running worker would keep (a leak), not
    // what any process needs to get going. Growth from cold is printed too.
    const warm = urls.slice(0, Math.min(warmup, urls.length));
    if (warm.length > 0) {
      await drive('warm-up', warm, concurrency, () => pool.openSession({ blockResources: true }));
      await drive('warm-up', warm, concurrency, () => pool.openSession({ blockResources: false }));
      await drive('warm-up', warm, concurrency, () =>
        Promise.resolve(new HttpSession({ timeoutMs: 30_000 })),
      );
    }
    global.gc?.();
    const { rss: rssBefore, heapUsed: heapBefore } = process.memoryUsage();
    const load1 = loadavg();
    const { result: runs, peak: rssPeak } = await withPeakRss(async () => {
      const blocked = await drive('blocked', urls, concurrency, () =>
        pool.openSession({ blockResources: true }),
      );
      const unblocked = await drive('unblocked', urls, concurrency, () =>
        pool.openSession({ blockResources: false }),
      );
      const http = await drive('http', urls, concurrency, () =>
        Promise.resolve(new HttpSession({ timeoutMs: 30_000 })),
      );
      return { blocked, unblocked, http };
    });
    const { blocked, unblocked, http } = runs;
    global.gc?.();
    const rssAfter = process.memoryUsage().rss;
    // Only after every figure above is taken: whether the growth is retained memory (a leak) or
    // heap the garbage collector has not given back yet.
    forcedFullGc();
    const { rss: rssCollected, heapUsed: heapCollected } = process.memoryUsage();
    const rate = (r: { seconds: number }): number => pages / r.seconds;
    const line = (
      name: string,
      r: { seconds: number; listings: number; retries: number },
    ): string =>
      `${name.padEnd(34)} ${rate(r).toFixed(1).padStart(7)} pages/s  (${r.seconds.toFixed(1)} s, ${r.listings} listings, ${r.retries} retried)`;
    console.log(
      `scrape bench: ${pages} search pages, concurrency ${concurrency}, simulator ${sim.url} (child process ${sim.pid ?? '?'})`,
    );
    console.log(line('playwright, images/fonts/media off', blocked));
    console.log(line('playwright, no blocking', unblocked));
    console.log(line('plain HTTP (fetch) + parse', http));
    console.log(`ratio blocked/unblocked: ${(rate(blocked) / rate(unblocked)).toFixed(2)}x`);
    console.log(`ratio http/playwright(blocked): ${(rate(http) / rate(blocked)).toFixed(2)}x`);
    const growth = ((rssAfter - rssBefore) / rssBefore) * 100;
    const fromCold = ((rssAfter - rssCold) / rssCold) * 100;
    const pct = (n: number): string => `${n >= 0 ? '+' : ''}${n.toFixed(1)}%`;
    console.log(
      `worker RSS before ${mb(rssBefore)} (after a ${warm.length}-page warm-up of each mode), after ${mb(rssAfter)} (${pct(growth)} across the run), peak ${mb(rssPeak)}; simulator in its own process, Chromium not included${global.gc ? '; GC forced before both readings (--expose-gc)' : ''}`,
    );
    console.log(
      `  from cold (browser launched, 8 pages parsed): ${mb(rssCold)} -> ${mb(rssAfter)} (${pct(fromCold)})`,
    );
    console.log(
      `  after a forced full GC at the end (not used for the target): RSS ${mb(rssCollected)}, JS heap in use ${mb(heapCollected)} (${mb(heapBefore)} after warm-up, not collected)`,
    );
    const load2 = loadavg();
    console.log(
      `load average (1/5/15 min) at start ${load1.map((l) => l.toFixed(2)).join(' ')}, at end ${load2.map((l) => l.toFixed(2)).join(' ')} on ${availableParallelism()} cores`,
    );
    console.log(
      `targets: >= 10 pages/s through Playwright: ${rate(blocked) >= 10 ? 'met' : 'NOT met'}; RSS growth across the run < 20%: ${growth < 20 ? 'met' : 'NOT met'}`,
    );
  } finally {
    await pool.close();
    await sim.close();
  }
}
