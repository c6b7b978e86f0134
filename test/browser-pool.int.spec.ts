import { readFileSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import {
  BrowserPool,
  CHROMIUM_ARGS,
  EXTRA_DISABLED_FEATURES,
} from '../scrapers/fetch/browser-pool';

// Real Chromium against a small local site that counts what the browser asks for: blocking
// sessions must fetch no images, fonts or media, and otherwise see the page as it is.
jest.setTimeout(120_000);

const PAGE = `<!DOCTYPE html><html><head><style>
@font-face { font-family: Probe; src: url(/font.woff2) format('woff2'); }
p { font-family: Probe, sans-serif; }
.bg { width: 50px; height: 50px; background-image: url(/bg.png); }
</style></head><body>
<p id="text">Listing text</p>
<img src="/img.png" width="10" height="10"><div class="bg"></div>
<video src="/clip.mp4" preload="auto"></video>
<p id="mq"></p><p id="fetched"></p>
<script src="/slow.js"></script>
<script>
  document.getElementById('mq').textContent =
    'hover:' + matchMedia('(hover: hover)').matches + ' pointer-fine:' + matchMedia('(pointer: fine)').matches;
  // Everything the page had fetched or tried to fetch by now (slow.js held the parser 400 ms).
  document.getElementById('fetched').textContent = 'fetched:' + performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((p) => p !== '/slow.js')
    .sort()
    .join(',');
</script>
</body></html>`;

const PIXEL = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
  'base64',
);

let server: http.Server;
let base = '';
const hits = new Map<string, number>();
let pool: BrowserPool;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/page') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    } else if (path === '/slow.js') {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'text/javascript' });
        res.end('// holds the parser');
      }, 400);
    } else if (path.endsWith('.png')) {
      res.writeHead(200, { 'content-type': 'image/png' });
      res.end(PIXEL);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  pool = new BrowserPool({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    navigationTimeoutMs: 30_000,
  });
});

afterAll(async () => {
  await pool?.close();
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => hits.clear());

async function fetchPage(blockResources: boolean): Promise<string> {
  const session = await pool.openSession({ blockResources });
  try {
    const page = await session.fetch(`${base}/page`);
    expect(page.status).toBe(200);
    return page.body;
  } finally {
    await session.close();
  }
}

const requested = (...paths: string[]) => paths.map((p) => hits.get(p) ?? 0);

/** The parent of a process, from /proc (null when it is gone). */
function parentOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Whether `pid` was started by this process (directly or through a launcher script). */
function startedHere(pid: number): boolean {
  for (let p: number | null = parentOf(pid), depth = 0; p && depth < 4; p = parentOf(p), depth++) {
    if (p === process.pid) return true;
  }
  return false;
}

/**
 * Command lines of the Chromium browser processes this test process runs (not their child
 * processes, and not the browsers of test files running in parallel).
 */
function browserCommandLines(): string[][] {
  const lines: string[][] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (!startedHere(Number(pid))) continue;
      const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (args.includes('--remote-debugging-pipe') && !args.some((a) => a.startsWith('--type=')))
        lines.push(args);
    } catch {
      // the process ended meanwhile
    }
  }
  return lines;
}

/** What Chromium does with a repeated switch: the last copy wins. */
const disabledFeatures = (args: string[]): string[] =>
  args
    .filter((a) => a.startsWith('--disable-features='))
    .at(-1)
    ?.slice('--disable-features='.length)
    .split(',') ?? [];

describe('BrowserPool resource blocking', () => {
  it('a blocking session requests no images, fonts or media, and runs the page script', async () => {
    const body = await fetchPage(true);
    // The document as the browser serialized it, doctype included (as page.content() gives it).
    expect(body.startsWith('<!DOCTYPE html><html><head>')).toBe(true);
    expect(body).toContain('Listing text');
    expect(requested('/page', '/img.png', '/bg.png', '/font.woff2', '/clip.mp4')).toEqual([
      1, 0, 0, 0, 0,
    ]);
    // Images are off in Blink for this browser: not even attempted (the route used to abort
    // each one, and they showed up here as failed fetches, as fonts and media still do).
    const fetched = /id="fetched">fetched:([^<]*)/.exec(body)?.[1];
    expect(fetched).toBeDefined();
    expect(fetched).not.toMatch(/\.png/);
    // The media features Playwright sets for headless Chromium still hold.

    expect(body).toContain('hover:true pointer-fine:true');
  });

  it('a non-blocking session loads them, with the same media features', async () => {
    const body = await fetchPage(false);
    expect(body).toContain('hover:true pointer-fine:true');
    expect(body).toMatch(/fetched:[^<]*\/img\.png/);
    const [, img, bg] = requested('/page', '/img.png', '/bg.png');
    expect(img).toBeGreaterThan(0);
    expect(bg).toBeGreaterThan(0);
  });

  it('keeps every feature Playwright disables, and disables the spare renderer on top', async () => {
    await fetchPage(true); // the pool's browser is up
    const ours = browserCommandLines();
    const plain = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      const theirs = browserCommandLines().filter(
        (args) => !ours.some((o) => o.join(' ') === args.join(' ')),
      );
      expect(theirs).toHaveLength(1);
      const playwright = disabledFeatures(theirs[0]!);
      expect(playwright.length).toBeGreaterThan(0);
      expect(ours.length).toBeGreaterThan(0);
      for (const args of ours) {
        expect(disabledFeatures(args)).toEqual(
          expect.arrayContaining([...playwright, ...EXTRA_DISABLED_FEATURES]),
        );
      }
    } finally {
      await plain.close();
    }
  });

  it('serves both kinds of sessions at once from their own browsers, and closes them all', async () => {
    const [blocked, open] = await Promise.all([fetchPage(true), fetchPage(false)]);
    expect(blocked).toContain('Listing text');
    expect(open).toContain('Listing text');
    expect(pool.launched).toBe(true);
    await pool.close();
    expect(pool.launched).toBe(false);
    await expect(pool.openSession()).rejects.toThrow(/closed/);
  });
});
