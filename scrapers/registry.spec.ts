import {
  FetchError,
  isRetryable,
  NavigationTimeoutError,
  ParseError,
  ScraperConfigError,
} from './errors';
import { readFixturePage } from './lib/golden';
import { getScraper, parsePage, scrapers } from './registry';

describe('registry', () => {
  it('has one scraper per scrapable kind, with matching kinds', () => {
    for (const [kind, scraper] of Object.entries(scrapers)) expect(scraper.kind).toBe(kind);
    expect(getScraper('shopify').transport).toBe('http');
    expect(getScraper('ebay-search').transport).toBe('browser');
  });

  it('refuses manual and unknown kinds clearly', () => {
    expect(() => getScraper('manual')).toThrow(/imported from files/);
    expect(() => getScraper('amazon')).toThrow(ScraperConfigError);
  });

  it('parses a saved page by kind', () => {
    const page = parsePage(
      'ebay-search',
      readFixturePage('ebay/search-scard-2026-04-de-lego.html'),
      'https://www.ebay.de/sch/i.html?_nkw=LEGO',
    );
    expect(page.listings).toHaveLength(60);
  });
});

describe('errors', () => {
  it('marks what is retryable', () => {
    expect(new FetchError(503, 'https://x').retryable).toBe(true);
    expect(new FetchError(429, 'https://x').retryable).toBe(true);
    expect(new FetchError(404, 'https://x').retryable).toBe(false);
    expect(new FetchError(null, 'https://x').retryable).toBe(true);
    expect(new NavigationTimeoutError('https://x', 30000)).toMatchObject({
      retryable: true,
      kind: 'navigation-timeout',
    });
    expect(new ParseError('bad', 'https://x')).toMatchObject({
      retryable: false,
      url: 'https://x',
      name: 'ParseError',
    });
    expect(isRetryable(new Error('bug'))).toBe(false);
  });
});
