import { rawListingSchema } from '../src/listings/raw-listing';
import { parseEbaySearch, ebaySearchFirstPageUrl } from './ebay-search';
import { BlockedError, ParseError } from './errors';
import { golden, readFixturePage, testSource } from './lib/golden';
import type { ParsedPage } from './types';

const source = testSource({ kind: 'ebay-search' });
const parse = (body: string, url = 'https://www.ebay.com/sch/i.html?_nkw=x') =>
  parseEbaySearch(body, { url, source });
const byId = (page: ParsedPage, id: string) => {
  const listing = page.listings.find((l) => l.externalId === id);
  if (!listing) throw new Error(`listing ${id} not found`);
  return listing;
};

describe('parseEbaySearch on saved pages', () => {
  const pages = {
    auctions: {
      file: 'search-sitem-2021-03-us-auctions',
      url: 'https://www.ebay.com/sch/i.html?_from=R40&_nkw=hot+toys+star+wars&_sacat=246',
    },
    shirts: {
      file: 'search-sitem-2025-03-us-shirts',
      url: 'https://www.ebay.com/sch/i.html?_nkw=shirts&_sop=12',
    },
    laptops: {
      file: 'search-scard-2025-07-us-laptops',
      url: 'https://www.ebay.com/sch/i.html?_nkw=lenovo+laptop',
    },
    lego: {
      file: 'search-scard-2026-04-de-lego',
      url: 'https://www.ebay.de/sch/i.html?_nkw=LEGO+nan&LH_BIN=1',
    },
  };
  const results = Object.fromEntries(
    Object.entries(pages).map(([key, { file, url }]) => [
      key,
      parse(readFixturePage(`ebay/${file}.html`), url),
    ]),
  ) as Record<keyof typeof pages, ParsedPage>;

  it.each(Object.entries(pages))('%s matches its golden file', (key, { file }) => {
    const page = results[key as keyof typeof pages];
    expect(page).toEqual(golden(file, page));
    for (const listing of page.listings)
      expect(rawListingSchema.safeParse(listing).success).toBe(true);
  });

  it('old s-item markup: 58 results, 15 auctions with bids and time left', () => {
    const page = results.auctions;
    expect(page.listings).toHaveLength(58);
    expect(page.totalResults).toBe(5072);
    expect(page.nextPageUrl).toBe(
      'https://www.ebay.com/sch/i.html?_from=R40&_nkw=hot+toys+star+wars&_sacat=246&_pgn=2',
    );
    expect(page.listings.filter((l) => l.buyingFormat === 'auction')).toHaveLength(15);
    expect(byId(page, '184662176991')).toMatchObject({
      title: 'Hot Toys Star Wars Darth Maul 1:6 Scale Figure Solo A Star Wars Story DX18 New',
      price: 237.5,
      currency: 'USD',
      shipping: 19.99,
      bids: 17,
      timeLeft: '1d 6h left',
      buyingFormat: 'auction',
      condition: 'Brand New',
      url: 'https://www.ebay.com/itm/184662176991',
    });
    // "New Listing" badge is not part of the title; "or Best Offer" and free shipping.
    expect(byId(page, '254871683242')).toMatchObject({
      title: 'Star Wars Hot Toys Shock Trooper',
      price: 345,
      shipping: 0,
      bestOffer: true,
      buyingFormat: 'best_offer',
      condition: 'Pre-Owned',
    });
    // Auction with a Buy It Now option: the current bid is the price.
    expect(byId(page, '224347792266')).toMatchObject({
      price: 260,
      bids: 0,
      buyingFormat: 'auction',
    });
    // The obfuscated "SPONSORED" tag block is neither a card nor part of a title.
    expect(page.skipped).toEqual([{ reason: 'empty-card', detail: expect.any(String) }]);
    expect(page.listings.every((l) => !/S.?P.?O.?N.?S.?O.?R/.test(l.title))).toBe(true);
  });

  it('late s-item markup: price ranges, delivery estimates, locations', () => {
    const page = results.shirts;
    expect(page.listings).toHaveLength(60);
    expect(page.totalResults).toBe(7_000_000);
    expect(byId(page, '266282501377')).toMatchObject({
      title: "Men's Sleeveless Hi-Vis T-Shirt Safety Workwear High-Visibility Reflective Top",
      price: 12.66,
      priceMax: 15.19,
      shipping: 46.75,
      location: 'United Kingdom',
      condition: 'Brand New',
      buyingFormat: 'buy_it_now',
    });
    expect(byId(page, '253241346941')).toMatchObject({
      price: 10.44,
      priceMax: 15.96,
      shipping: 32.51,
    });
    expect(page.listings.some((l) => /opens in a new window/i.test(l.title))).toBe(false);
    expect(page.skipped.filter((s) => s.reason === 'placeholder')).toHaveLength(2);
  });

  it('s-card markup: seller, refurbished condition, new-listing badge', () => {
    const page = results.laptops;
    expect(page.listings).toHaveLength(60);
    expect(page.listings[0]).toMatchObject({
      externalId: '254654754368',
      title: 'HP EliteBook 840 G3 Laptop PC 14" HD Intel Core i5 8GB RAM 256GB SSD Windows 10',
      price: 149.26,
      currency: 'USD',
      shipping: 151.38,
      condition: 'Good - Refurbished',
      seller: 'discountcomputerdepot',
      location: 'United States',
      buyingFormat: 'buy_it_now',
      imageUrl: 'https://i.ebayimg.com/images/g/ddUAAeSwpOVoX4oo/s-l500.webp',
    });
    expect(byId(page, '267309912962')).toMatchObject({
      title: 'LENOVO ThinkPad E15 Gen2 20TDS00B00 i5-1135G7 2.40GHz 8GB RAM 256GB SSD "Offer"',
      price: 268,
      shipping: 90,
      bestOffer: true,
      seller: 'prism_electronics8',
      condition: 'Pre-Owned',
    });
    // A seller's promo subtitle line is not the condition.
    expect(byId(page, '256879744174').condition).toBe('Very Good - Refurbished');
    expect(byId(page, '376271436288')).toMatchObject({ shipping: 0, location: 'Japan' });
  });

  it('German s-card page: EUR prices, ranges, "Shop on eBay" placeholders skipped', () => {
    const page = results.lego;
    expect(page.listings).toHaveLength(60);
    expect(page.totalResults).toBe(1300);
    expect(page.listings.every((l) => l.currency === 'EUR')).toBe(true);
    expect(byId(page, '266831246079')).toMatchObject({
      title: 'Original LEGO® Großeltern Geschenk & Bank Oma Opa Minifiguren Nan Opa',
      price: 17.72,
      priceMax: 18.66,
      shipping: 10.24,
      condition: 'Neu',
      location: 'Großbritannien',
      buyingFormat: 'buy_it_now',
      url: 'https://www.ebay.de/itm/266831246079',
    });
    expect(byId(page, '357699187557')).toMatchObject({ price: 20.45, shipping: 6.82 });
    // "EUR 159,32 UVP EUR 160,47": the list price is not a range; "+ ca. EUR 15,81 Versand".
    expect(byId(page, '376558542026')).toMatchObject({
      price: 159.32,
      priceMax: null,
      shipping: 15.81,
    });
    expect(page.skipped).toEqual([
      { reason: 'placeholder', detail: 'Shop on eBay' },
      { reason: 'placeholder', detail: 'Shop on eBay' },
    ]);
    expect(page.listings.some((l) => /Fenster|Shop on eBay/.test(l.title))).toBe(false);
    expect(page.nextPageUrl).toBe(
      'https://www.ebay.de/sch/i.html?_nkw=LEGO+nan&LH_BIN=1&LH_ItemCondition=1000&_pgn=2',
    );
  });
});

const card = (id: string, title: string, price: string | null, extra = '') => `
  <li class="s-card" data-listingid="${id}">
    <a class="s-card__link" href="https://www.ebay.com/itm/${id}?_trkparms=abc&hash=item1">
      <div class="s-card__title" role="heading"><span>${title}</span>
      <span class="clipped">Opens in a new window or tab</span></div></a>
    <div class="s-card__subtitle"><span>Pre-Owned</span></div>
    ${price === null ? '' : `<div class="s-card__attribute-row"><span class="s-card__price">${price}</span></div>`}
    ${extra}
  </li>`;
const resultsPage = (cards: string) =>
  `<html><body><div id="srp-river-main"><ul class="srp-results">${cards}</ul></div></body></html>`;

describe('parseEbaySearch robustness', () => {
  it('keeps a card with no price (price null, not dropped)', () => {
    const page = parse(resultsPage(card('123456789012', 'Dell R740 no price', null)));
    expect(page.listings).toEqual([
      expect.objectContaining({
        externalId: '123456789012',
        price: null,
        title: 'Dell R740 no price',
      }),
    ]);
  });

  it('reads "Best offer" as a null price', () => {
    const row = '<div class="s-card__attribute-row"><span>or Best Offer</span></div>';
    const page = parse(resultsPage(card('123456789013', 'HPE DL380', 'Best offer', row)));
    expect(page.listings[0]).toMatchObject({
      price: null,
      bestOffer: true,
      buyingFormat: 'best_offer',
    });
  });

  it('leaves the currency null for an unknown symbol', () => {
    const page = parse(resultsPage(card('123456789014', 'Odd currency', '₿0.015')));
    expect(page.listings[0]).toMatchObject({ price: 0.015, currency: null });
  });

  it('dedupes cards with the same id', () => {
    const page = parse(
      resultsPage(
        card('123456789015', 'Same', '$10.00') + card('123456789015', 'Same again', '$11.00'),
      ),
    );
    expect(page.listings).toHaveLength(1);
    expect(page.listings[0]?.title).toBe('Same');
    expect(page.skipped).toEqual([{ reason: 'duplicate', detail: '123456789015' }]);
  });

  it('canonicalizes URLs and takes the id from the link when data-listingid is missing', () => {
    const html = resultsPage(`<li class="s-item"><a class="s-item__link"
      href="https://www.ebay.com/itm/Some-Title/254871683242?hash=item3b&_trksid=p1">
      <h3 class="s-item__title">Supermicro 2U</h3></a><span class="s-item__price">$1,234.56</span></li>`);
    expect(parse(html).listings[0]).toMatchObject({
      externalId: '254871683242',
      url: 'https://www.ebay.com/itm/254871683242',
      price: 1234.56,
    });
  });

  it('returns zero listings for an honest empty results page', () => {
    const html =
      '<html><body><div id="srp-river-main"><div class="srp-save-null-search">No exact matches found</div></div></body></html>';
    expect(parse(html)).toEqual({
      listings: [],
      nextPageUrl: null,
      totalResults: null,
      skipped: [],
    });
  });

  it('throws ParseError when the page has no result container at all', () => {
    expect(() => parse('<html><body><h1>Welcome</h1></body></html>')).toThrow(ParseError);
  });

  it('throws ParseError when many cards exist but none parse (markup changed)', () => {
    const broken = '<li class="s-card" data-listingid="1"><div class="x">?</div></li>'.repeat(5);
    expect(() => parse(resultsPage(broken))).toThrow(/5 cards but none parsed/);
  });

  it('survives truncated HTML', () => {
    const full = resultsPage(card('123456789016', 'Truncated GPU', '$99.00'));
    const page = parse(full.slice(0, full.indexOf('</ul>') - 10));
    expect(page.listings[0]).toMatchObject({ externalId: '123456789016', price: 99 });
  });

  it('detects the saved bot wall', () => {
    expect(() => parse(readFixturePage('ebay/challenge-2025-10-bot-wall.html'))).toThrow(
      BlockedError,
    );
  });

  it('skips results after the "fewer words" divider', () => {
    const html = resultsPage(
      card('123456789017', 'Exact', '$1.00') +
        '<li class="srp-river-answer srp-river-answer--REWRITE_START">Results matching fewer words</li>' +
        card('123456789018', 'Loose', '$2.00'),
    );
    const page = parse(html);
    expect(page.listings.map((l) => l.externalId)).toEqual(['123456789017']);
    expect(page.skipped).toEqual([{ reason: 'fewer-words-match', detail: '123456789018' }]);
  });
});

describe('ebaySearchFirstPageUrl', () => {
  it('builds the search URL on the source site', () => {
    expect(ebaySearchFirstPageUrl(source, 'dell r740xd')).toBe(
      'https://www.ebay.com/sch/i.html?_nkw=dell+r740xd',
    );
    expect(ebaySearchFirstPageUrl({ ...source, baseUrl: 'https://www.ebay.de/' }, 'LEGO')).toBe(
      'https://www.ebay.de/sch/i.html?_nkw=LEGO',
    );
  });
});
