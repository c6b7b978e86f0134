import { AppConfig } from '../../config/app-config';
import { ScraperService, type RunSummary } from '../../scraping/scraper.service';
import type { SourceKind } from '../../sources/source.entity';
import { SourcesService } from '../../sources/sources.service';
import { CliExit, Command, out, withContext } from '../command';

/** A pasted URL -> the source kind, origin and query that fetch it. */
export function sourceFromUrl(
  raw: string,
): { kind: SourceKind; baseUrl: string; query: string } | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (/\/sch\/i\.html$/.test(u.pathname) && u.searchParams.get('_nkw')) {
    return { kind: 'ebay-search', baseUrl: u.origin, query: u.searchParams.get('_nkw')! };
  }
  if (/\/itm\/(?:[^/]+\/)?\d+$/.test(u.pathname)) {
    return { kind: 'ebay-item', baseUrl: u.origin, query: `${u.origin}${u.pathname}` };
  }
  const shop = /^(.*?)(?:\/collections\/([^/]+))?\/products\.json$/.exec(u.pathname);
  if (shop) {
    return { kind: 'shopify', baseUrl: `${u.origin}${shop[1] ?? ''}`, query: shop[2] ?? '' };
  }
  return null;
}

function printSummary(s: RunSummary): void {
  out(
    `run #${s.runId} source ${s.sourceId} "${s.query}": ${s.status}${s.complete ? ' (complete)' : ''}, ` +
      `${s.pages} page(s), ${s.listingsSeen} seen, ${s.listingsNew} new, ${s.listingsChanged} changed, ` +
      `${s.listingsEnded} ended, ${s.errors.length} error(s), ${s.durationMs} ms`,
  );
  for (const e of s.errors) {
    out(`  ${e.kind}: ${e.message}${e.savedPage ? ` [saved: ${e.savedPage}]` : ''}`);
  }
}

export const scrapeCommand: Command = {
  usage:
    'scrape <sourceId|url> [--query Q]\n' +
    '  Runs one scrape now, in this process, and prints the run summary. A URL (eBay search or\n' +
    '  item, Shopify products.json) is scraped through an ad-hoc source named after its origin.',
  async run(args, config) {
    const target = args[0];
    const qi = args.indexOf('--query');
    const query = qi >= 0 ? args[qi + 1] : undefined;
    if (!target) throw new CliExit(2, 'scrape: usage: scrape <sourceId|url>');
    // A CLI run never starts the demo.
    const cliConfig = new AppConfig({ ...config.env, DEMO_MODE: 'off' });
    const summaries = await withContext(
      cliConfig,
      async (app) => {
        const sources = app.get(SourcesService);
        const scraper = app.get(ScraperService);
        if (/^\d+$/.test(target)) return scraper.runSource(Number(target), { query });
        const spec = sourceFromUrl(target);
        if (!spec) {
          throw new CliExit(
            2,
            `scrape: "${target}" is neither a source id nor a known marketplace URL`,
          );
        }
        const name = `adhoc:${spec.kind}:${spec.baseUrl}`;
        const existing = await sources.byName(name);
        const source = existing
          ? existing
          : await sources.create({ name, kind: spec.kind, baseUrl: spec.baseUrl, enabled: false });
        return scraper.runSource(source.id, { query: spec.query });
      },
      { worker: true },
    );
    for (const s of summaries) printSummary(s);
    if (summaries.some((s) => s.status === 'blocked')) throw new CliExit(3, 'scrape: blocked');
    if (summaries.some((s) => s.status === 'failed')) throw new CliExit(1, 'scrape: failed');
  },
};
