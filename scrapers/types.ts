import type { RawListing } from '../src/listings/raw-listing';
import type { SourceKind } from '../src/sources/source.entity';

export type { RawListing, SourceKind };

/** The parts of a source row a scraper needs (no database types). */
export interface ScraperSource {
  id: number;
  name: string;
  kind: SourceKind;
  baseUrl: string | null;
  pageLimit: number;
  /** Kind-specific settings, e.g. CSS selectors for the `css` kind. */
  config: Record<string, unknown>;
}

export interface ParseContext {
  /** The URL the body was fetched from (resolves relative links). */
  url: string;
  source: ScraperSource;
}

export interface ParsedPage {
  listings: RawListing[];
  /** Absolute URL of the next page, or null on the last page. */
  nextPageUrl: string | null;
  /** Total results the page claims, when it says. */
  totalResults: number | null;
  /** Cards skipped and why (placeholders, no title...), for the run log. */
  skipped: Array<{ reason: string; detail?: string }>;
}

/**
 * One marketplace kind. Fetching is generic (see scrapers/fetch/*); a scraper only says where a
 * query starts and turns a fetched body into listings. parse() is a pure function of its input.
 */
export interface Scraper {
  kind: SourceKind;
  /** 'browser' pages are fetched with Playwright, 'http' with plain HTTP. */
  transport: 'browser' | 'http';
  /** First page URL for a query (a search phrase, an item id/URL, or a collection). */
  firstPageUrl(source: ScraperSource, query: string): string;
  /** Throws BlockedError on bot walls/captchas/logins and ParseError on unusable markup. */
  parse(body: string, ctx: ParseContext): ParsedPage;
}
