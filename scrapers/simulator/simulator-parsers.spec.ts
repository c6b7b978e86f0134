/**
 * The real parsers (scrapers/ebay-search.ts, ebay-item.ts, shopify.ts) read the simulator's pages
 * the way they read eBay's and Shopify's: counts, ids, titles, prices, currency, shipping,
 * next-page links and item specifics, in both search markups.
 */
import { rawListingSchema } from '../../src/listings/raw-listing';
import { parseEbayItem } from '../ebay-item';
import { parseEbaySearch } from '../ebay-search';
import { BlockedError, ParseError } from '../errors';
import { testSource } from '../lib/golden';
import { parseShopifyProducts, shopifyFirstPageUrl } from '../shopify';
import { toUsd } from './catalog';
import { startSimulator, type Simulator } from './server';

const get = async (url: string) => (await fetch(url)).text();

describe('real parsers on simulator pages', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 21, items: 700 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  describe.each(['scard', 'sitem'] as const)('eBay search, %s markup', (markup) => {
    const source = testSource({ kind: 'ebay-search' });

    it('reads every card of every page, with ids, titles, prices, shipping and next links', async () => {
      const query = 'dell';
      const expected = sim.catalog.search(query);
      expect(expected.length).toBeGreaterThan(60);
      let url: string | null = `${sim.url}/sch/i.html?_nkw=${query}&_ipg=50&_markup=${markup}`;
      const seen: string[] = [];
      let pages = 0;
      while (url && pages < 20) {
        const page = parseEbaySearch(await get(url), { url, source });
        pages += 1;
        for (const listing of page.listings) {
          expect(rawListingSchema.safeParse(listing).success).toBe(true);
          const item = sim.catalog.get(listing.externalId);
          expect(item).toBeDefined();
          if (!item) continue;
          const state = sim.catalog.stateOf(item);
          expect(listing.title).toBe(item.title);
          expect(listing.currency).toBe('USD');
          expect(listing.price).toBeCloseTo(toUsd(state.price, item.currency), 2);
          if (state.priceMax !== null)
            expect(listing.priceMax).toBeCloseTo(toUsd(state.priceMax, item.currency), 2);
          if (item.shipping !== null)
            expect(listing.shipping).toBeCloseTo(toUsd(item.shipping, item.currency), 2);
          if (item.format === 'auction') expect(listing.bids).toBe(state.bids);
          expect(listing.url).toContain(`/itm/${item.id}`);
          seen.push(listing.externalId);
        }
        expect(page.totalResults).toBe(expected.length);
        url = page.nextPageUrl;
      }
      expect(pages).toBe(Math.ceil(expected.length / 50));
      expect(seen).toEqual(expected.map((i) => i.id));
    });

    it('reads a page with no matches as empty, and a bot wall as blocked', async () => {
      const url = `${sim.url}/sch/i.html?_nkw=qqqzzznomatch&_markup=${markup}`;
      const page = parseEbaySearch(await get(url), { url, source });
      expect(page.listings).toHaveLength(0);
      expect(page.nextPageUrl).toBeNull();
      sim.setFault('^/sch/', { type: 'botwall', times: 1 });
      const wall = `${sim.url}/sch/i.html?_nkw=dell&_markup=${markup}`;
      const body = await get(wall);
      expect(() => parseEbaySearch(body, { url: wall, source })).toThrow(BlockedError);
    });
  });

  describe('eBay item page', () => {
    const source = testSource({ kind: 'ebay-item' });

    it('reads title, price, currency, quantity, seller and item specifics', async () => {
      const items = sim.catalog
        .all()
        .filter((i) => sim.catalog.stateOf(i).status === 'active')
        .slice(0, 40);
      expect(items.some((i) => i.currency !== 'USD')).toBe(true);
      for (const item of items) {
        const url = `${sim.url}/itm/${item.id}`;
        const page = parseEbayItem(await get(url), { url, source });
        expect(page.listings).toHaveLength(1);
        const listing = page.listings[0]!;
        const state = sim.catalog.stateOf(item);
        expect(listing.externalId).toBe(item.id);
        expect(listing.title).toBe(item.title);
        expect(listing.price).toBeCloseTo(state.price, 2);
        expect(listing.currency).toBe(item.currency);
        expect(listing.status ?? 'active').toBe('active');
        expect(listing.seller).toBe(item.seller.name);
        if (
          item.format === 'fixed' &&
          state.quantityAvailable <= 10 &&
          !(state.quantityAvailable === 1 && item.quantity > 1)
        ) {
          expect(listing.quantityAvailable).toBe(state.quantityAvailable);
        }
        for (const [key, value] of item.specifics) {
          if (key === 'Condition') continue;
          expect(listing.attributes?.[key]).toBe(value);
        }
      }
    });

    it('reads ended and sold listings as such', async () => {
      sim.advance(24 * 30);
      const done = sim.catalog.all().filter((i) => sim.catalog.stateOf(i).status !== 'active');
      const sold = done.find((i) => sim.catalog.stateOf(i).status === 'sold')!;
      const ended = done.find((i) => sim.catalog.stateOf(i).status === 'ended')!;
      for (const [item, status] of [
        [sold, 'sold'],
        [ended, 'ended'],
      ] as const) {
        const url = `${sim.url}/itm/${item.id}`;
        const listing = parseEbayItem(await get(url), { url, source }).listings[0];
        expect(listing?.status).toBe(status);
      }
    });
  });

  describe('Shopify products.json', () => {
    it('reads every variant of every page until the empty page', async () => {
      const source = testSource({ kind: 'shopify', baseUrl: `${sim.url}/shop` });
      let url: string | null = shopifyFirstPageUrl(source, '');
      let variants = 0;
      let pages = 0;
      while (url && pages < 30) {
        const page = parseShopifyProducts(await get(url), { url, source });
        for (const listing of page.listings) {
          expect(rawListingSchema.safeParse(listing).success).toBe(true);
          expect(listing.price).toBeGreaterThan(0);
          expect(listing.url).toMatch(/\/products\/[a-z0-9-]+/);
        }
        // The listing links resolve to the product pages.
        const first = page.listings[0];
        if (first?.url) expect((await fetch(first.url)).status).toBe(200);
        variants += page.listings.length;
        url = page.nextPageUrl;
        pages += 1;
      }
      const expected = sim.shop.products.reduce((n, p) => n + p.variants.length, 0);
      expect(variants).toBe(expected);
    });

    it('rejects a truncated products.json as a ParseError', async () => {
      const source = testSource({ kind: 'shopify', baseUrl: `${sim.url}/shop` });
      sim.setFault('products\\.json', { type: 'malformed', times: 1 });
      const url = shopifyFirstPageUrl(source, '');
      const body = await get(url);
      expect(() => parseShopifyProducts(body, { url, source })).toThrow(ParseError);
    });
  });
});
