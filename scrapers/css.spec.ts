import { cssFirstPageUrl, parseCssConfig, parseCssPage } from './css';
import { BlockedError, ParseError, ScraperConfigError } from './errors';
import { golden, readFixturePage, testSource } from './lib/golden';

const ldlcConfig = {
  card: 'li.pdt-item',
  title: '.title-3',
  price: '.price',
  url: '.title-3 a',
  idAttribute: 'data-id',
  currency: 'EUR',
  conditionPattern: '·\\s*(Occasion|Reconditionné)\\s*$',
  attributes: { stock: '.stock-web .stock', specs: '.desc' },
};
const ldlcSource = testSource({
  kind: 'css',
  name: 'ldlc',
  baseUrl: 'https://www.ldlc.com',
  config: ldlcConfig,
});
const ldlcUrl = 'https://www.ldlc.com/recherche/rtx%205070%20ti/';

describe('css scraper on the saved LDLC page', () => {
  const page = parseCssPage(readFixturePage('retail/ldlc-gpu-search-2026-08.html'), {
    url: ldlcUrl,
    source: ldlcSource,
  });

  it('matches its golden file', () => {
    expect(page).toEqual(golden('ldlc-gpu-search-2026-08', page));
  });

  it('reads "1 199€95" prices, ids, used items', () => {
    expect(page.listings).toHaveLength(27);
    expect(page.skipped).toEqual([]);
    expect(page.nextPageUrl).toBeNull();
    expect(page.listings[0]).toMatchObject({
      externalId: 'AR202505270008',
      title: 'Gainward GeForce RTX 5070 Ti Phoenix-S',
      price: 1199.95,
      currency: 'EUR',
      url: 'https://www.ldlc.com/fiche/PB00686242.html',
      condition: null,
    });
    expect(page.listings.find((l) => l.externalId === 'AR202506100043')?.price).toBe(839.95);
    const used = page.listings.filter((l) => l.condition === 'Occasion');
    expect(used).toHaveLength(6);
    expect(used[0]).toMatchObject({ externalId: 'AR202510080001', price: 1079.95 });
    expect(page.listings.find((l) => l.externalId === 'AR202504090029')?.attributes?.stock).toBe(
      'Rupture',
    );
  });

  it('falls back to the URL for the id', () => {
    const { idAttribute: _ignored, ...noId } = ldlcConfig;
    const byUrl = parseCssPage(readFixturePage('retail/ldlc-gpu-search-2026-08.html'), {
      url: ldlcUrl,
      source: { ...ldlcSource, config: noId },
    });
    expect(byUrl.listings[0]?.externalId).toBe('PB00686242');
  });
});

describe('css config validation', () => {
  it('rejects a missing selector with a clear message', () => {
    expect(() => parseCssConfig({ card: 'li', title: '.t', url: 'a' }, 'src')).toThrow(
      /src: invalid config: price: /,
    );
  });

  it('rejects an invalid selector, an unknown key and a bad currency', () => {
    expect(() => parseCssConfig({ ...ldlcConfig, card: 'li[' })).toThrow(
      /card: "li\[" is not a valid CSS selector/,
    );
    expect(() => parseCssConfig({ ...ldlcConfig, cardz: 'li' })).toThrow(ScraperConfigError);
    expect(() => parseCssConfig({ ...ldlcConfig, currency: '€' })).toThrow(
      /currency: must be an ISO/,
    );
    expect(() => parseCssConfig({ ...ldlcConfig, conditionPattern: '(' })).toThrow(
      /conditionPattern/,
    );
  });
});

describe('css robustness', () => {
  const source = testSource({
    kind: 'css',
    config: {
      card: '.p',
      title: '.t',
      price: '.pr',
      url: 'a',
      container: '#results',
      currency: 'EUR',
    },
  });
  const parse = (html: string) =>
    parseCssPage(html, { url: 'https://shop.example.com/s?q=x', source });

  it('keeps cards without a price, reads "Best offer", dedupes, keeps unknown currency null', () => {
    const page = parse(`<div id="results">
      <div class="p"><a href="/p/1">x</a><span class="t">One</span></div>
      <div class="p"><a href="/p/2">x</a><span class="t">Two</span><span class="pr">Best offer</span></div>
      <div class="p"><a href="/p/2">x</a><span class="t">Two again</span><span class="pr">9,99 €</span></div>
      <div class="p"><a href="/p/3">x</a><span class="t">Three</span><span class="pr">₿ 0.01</span></div>
    </div>`);
    expect(page.listings.map((l) => [l.externalId, l.price, l.currency])).toEqual([
      ['1', null, 'EUR'],
      ['2', null, 'EUR'],
      ['3', 0.01, null],
    ]);
    expect(page.skipped).toEqual([{ reason: 'duplicate', detail: '2' }]);
  });

  it('returns zero listings for an empty results container', () => {
    expect(parse('<div id="results"><p>Aucun résultat</p></div>').listings).toEqual([]);
  });

  it('throws ParseError when neither cards nor container exist', () => {
    expect(() => parse('<html><body><p>maintenance</p></body></html>')).toThrow(ParseError);
  });

  it('throws BlockedError on a bot wall', () => {
    expect(() => parse(readFixturePage('ebay/challenge-2025-10-bot-wall.html'))).toThrow(
      BlockedError,
    );
  });

  it('survives truncated HTML', () => {
    const page = parse('<div id="results"><div class="p"><a href="/p/9">x</a><span class="t">Cut');
    expect(page.listings[0]).toMatchObject({ externalId: '9', title: 'Cut' });
  });
});

describe('cssFirstPageUrl', () => {
  it('uses a URL query, a searchUrl template, or the base URL', () => {
    expect(cssFirstPageUrl(ldlcSource, 'https://www.ldlc.com/x')).toBe('https://www.ldlc.com/x');
    const templated = {
      ...ldlcSource,
      config: { ...ldlcConfig, searchUrl: 'https://www.ldlc.com/recherche/{query}/' },
    };
    expect(cssFirstPageUrl(templated, 'rtx 5070')).toBe(
      'https://www.ldlc.com/recherche/rtx%205070/',
    );
    expect(() => cssFirstPageUrl({ ...ldlcSource, baseUrl: null }, 'rtx')).toThrow(
      ScraperConfigError,
    );
  });
});
