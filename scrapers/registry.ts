import type { SourceKind } from '../src/sources/source.entity';
import { cssScraper } from './css';
import { ebayItemScraper } from './ebay-item';
import { ebaySearchScraper } from './ebay-search';
import { ScraperConfigError } from './errors';
import { shopifyScraper } from './shopify';
import type { ParsedPage, Scraper, ScraperSource } from './types';

/** Every source kind except operator-uploaded files has a scraper. */
export type ScrapableKind = Exclude<SourceKind, 'manual'>;

export const scrapers = {
  'ebay-search': ebaySearchScraper,
  'ebay-item': ebayItemScraper,
  shopify: shopifyScraper,
  css: cssScraper,
} satisfies Record<ScrapableKind, Scraper>;

export function isScrapableKind(kind: string): kind is ScrapableKind {
  return Object.prototype.hasOwnProperty.call(scrapers, kind);
}

export function getScraper(kind: string): Scraper {
  if (!isScrapableKind(kind)) {
    const known = Object.keys(scrapers).join(', ');
    throw new ScraperConfigError(
      kind === 'manual'
        ? 'manual sources are imported from files, not scraped'
        : `unknown scraper kind "${kind}" (known: ${known})`,
    );
  }
  return scrapers[kind];
}

/**
 * Parses one saved body, as the CLI `parse` command does. `source` defaults to an ad-hoc source
 * of that kind with no config (the css kind needs its selectors in `source.config`).
 */
export function parsePage(
  kind: string,
  body: string,
  url: string,
  source?: Partial<ScraperSource>,
): ParsedPage {
  const scraper = getScraper(kind);
  const fullSource: ScraperSource = {
    id: source?.id ?? 0,
    name: source?.name ?? `adhoc-${kind}`,
    kind: scraper.kind,
    baseUrl: source?.baseUrl ?? null,
    pageLimit: source?.pageLimit ?? 1,
    config: source?.config ?? {},
  };
  return scraper.parse(body, { url, source: fullSource });
}
