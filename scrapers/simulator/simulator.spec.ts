import * as cheerio from 'cheerio';
import http from 'node:http';
import { Catalog, itemState, type SimItem } from './catalog';
import { startSimulator, type Simulator } from './server';

interface WireProduct {
  id: number;
  title: string;
  handle: string;
  tags: unknown;
  variants: Array<{ price: string; available: unknown; option1: unknown; sku: unknown }>;
}

const text = async (url: string, init?: RequestInit) => {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), headers: res.headers };
};

/** Pages carry absolute links to their own origin; compare them without it. */
const stripOrigin = (body: string, origin: string) => body.split(origin).join('ORIGIN');

function cardIds(body: string): string[] {
  const $ = cheerio.load(body);
  return $('li.s-card[data-listingid]')
    .map((_, el) => $(el).attr('data-listingid') ?? '')
    .get()
    .filter((id) => /^\d{12}$/.test(id));
}

describe('catalog', () => {
  it('is the same for the same seed, byte for byte, and differs for another seed', () => {
    const a = JSON.stringify(new Catalog({ seed: 42, items: 300 }).snapshot());
    const b = JSON.stringify(new Catalog({ seed: 42, items: 300 }).snapshot());
    const c = JSON.stringify(new Catalog({ seed: 43, items: 300 }).snapshot());
    expect(a).toBe(b);
    expect(c).not.toBe(a);
  });

  it('holds servers, GPUs and parts with 12-digit unique ids and sane prices', () => {
    const catalog = new Catalog({ seed: 5, items: 800 });
    const items = catalog.all();
    const ids = new Set(items.map((i) => i.id));
    expect(ids.size).toBe(items.length);
    for (const item of items) {
      expect(item.id).toMatch(/^[1-3]\d{11}$/);
      expect(item.title.length).toBeGreaterThan(10);
      expect(item.title.length).toBeLessThanOrEqual(80);
      expect(item.startPrice).toBeGreaterThan(0);
      expect(item.specifics.length).toBeGreaterThan(2);
    }
    const kinds = new Set(items.map((i) => i.category));
    for (const k of ['server', 'gpu', 'ram', 'drive', 'psu', 'cpu', 'raid', 'nic', 'caddy']) {
      expect(kinds.has(k as never)).toBe(true);
    }
    expect(items.some((i) => i.format === 'auction')).toBe(true);
    expect(items.some((i) => i.bestOffer)).toBe(true);
    expect(items.some((i) => i.priceMax !== null)).toBe(true);
    expect(items.some((i) => i.currency !== 'USD')).toBe(true);
    const a100 = items.filter(
      (i) => i.format === 'fixed' && i.condition !== 'parts' && /A100 80GB/.test(i.title),
    );
    for (const g of a100) expect(itemState(g, catalog.now).price).toBeGreaterThan(2000);
  });

  it('advance() is path independent: 2h + 3h equals 5h', () => {
    const a = new Catalog({ seed: 9, items: 200 });
    const b = new Catalog({ seed: 9, items: 200 });
    a.advance(2);
    a.advance(3);
    b.advance(5);
    expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
  });

  it('advance() drops prices, ends and sells listings, and lists new ones', () => {
    const catalog = new Catalog({ seed: 11, items: 400 });
    const before = new Map(catalog.all().map((i) => [i.id, catalog.stateOf(i)]));
    const added = catalog.advance(24 * 7);
    expect(added.length).toBeGreaterThan(10);
    let dropped = 0;
    let finished = 0;
    for (const item of catalog.all()) {
      const was = before.get(item.id);
      if (!was) continue;
      const now = catalog.stateOf(item);
      if (item.format === 'fixed' && now.price < was.price) dropped += 1;
      if (was.status === 'active' && now.status !== 'active') finished += 1;
    }
    expect(dropped).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(0);
    expect(() => catalog.advance(-1)).toThrow(RangeError);
  });

  it('search matches every word, honours -exclusions and returns only active listings', () => {
    const catalog = new Catalog({ seed: 3, items: 600 });
    const hits = catalog.search('dell r640');
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      expect(h.title.toLowerCase()).toContain('r640');
      expect(catalog.stateOf(h).status).toBe('active');
    }
    const noBackplanes = catalog.search('r640 -backplane');
    expect(noBackplanes.every((h) => !/backplane/i.test(h.title))).toBe(true);
    expect(catalog.search('qqqzzznomatch')).toHaveLength(0);
  });

  it('repeated searches follow the clock and callers cannot change them', () => {
    const catalog = new Catalog({ seed: 5, items: 400 });
    const ids = (items: readonly SimItem[]) => items.map((i) => i.id);
    const sorts = ['best', 'price_low', 'newly_listed', 'ending_soonest'] as const;
    const atStart = ids(catalog.search('', 'price_low'));
    catalog.search('', 'price_low').splice(0); // a caller emptying its copy
    expect(ids(catalog.search('', 'price_low'))).toEqual(atStart);
    let hours = 0;
    for (const step of [0, 30, 200]) {
      catalog.advance(step);
      hours += step;
      const twin = new Catalog({ seed: 5, items: 400 });
      twin.advance(hours);
      for (const sort of sorts) {
        for (const query of ['', 'dell', 'r640 -backplane']) {
          expect(ids(catalog.search(query, sort))).toEqual(ids(twin.search(query, sort)));
        }
      }
    }
    expect(ids(catalog.search('', 'price_low'))).not.toEqual(atStart);
  });
});

describe('simulator server', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 7, items: 500 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => sim.reset());

  it('serves the same pages for the same seed', async () => {
    const other = await startSimulator({ port: 0, seed: 7, items: 500 });
    try {
      for (const path of [
        '/sch/i.html?_nkw=dell&_pgn=2',
        '/sch/i.html?_nkw=tesla&_markup=sitem',
        '/shop/products.json?page=2',
      ]) {
        const a = await text(sim.url + path);
        const b = await text(other.url + path);
        expect(stripOrigin(a.body, sim.url)).toBe(stripOrigin(b.body, other.url));
      }
      const id = sim.catalog.all()[0]!.id;
      const a = await text(`${sim.url}/itm/${id}`);
      const b = await text(`${other.url}/itm/${id}`);
      expect(stripOrigin(a.body, sim.url)).toBe(stripOrigin(b.body, other.url));
    } finally {
      await other.close();
    }
  });

  it('paginates without duplicates and stops linking on the last page', async () => {
    const total = sim.catalog.search('').length;
    const perPage = 60;
    const seen = new Set<string>();
    let url: string | null = `${sim.url}/sch/i.html?_nkw=&_ipg=${perPage}`;
    let pages = 0;
    while (url && pages < 50) {
      const { body } = await text(url);
      const ids = cardIds(body);
      for (const id of ids) {
        expect(seen.has(id)).toBe(false);
        seen.add(id);
      }
      const $ = cheerio.load(body);
      url = $('a.pagination__next').attr('href') ?? null;
      pages += 1;
      if (!url) expect($('button.pagination__next[aria-disabled="true"]').length).toBe(1);
    }
    expect(pages).toBe(Math.ceil(total / perPage));
    expect(seen.size).toBe(total);
  });

  it('answers a query without matches with the "No exact matches found" page', async () => {
    const { status, body } = await text(`${sim.url}/sch/i.html?_nkw=qqqzzznomatch`);
    expect(status).toBe(200);
    const $ = cheerio.load(body);
    expect($('.srp-save-null-search__heading').text()).toBe('No exact matches found');
    expect($('li.s-card').length).toBe(0);
    expect($('a.pagination__next').length).toBe(0);
  });

  it('renders both markups with the real class names', async () => {
    const scard = cheerio.load((await text(`${sim.url}/sch/i.html?_nkw=dell`)).body);
    const card = scard('li.s-card[data-listingid]').eq(1);
    expect(card.find('.s-card__title .clipped').text()).toBe('Opens in a new window or tab');
    expect(card.find('.s-card__price').first().text()).toMatch(/^\$[\d,]+\.\d\d$/);
    expect(scard('li.s-card').first().find('.s-card__title').text()).toBe('Shop on eBay');
    const sitem = cheerio.load((await text(`${sim.url}/sch/i.html?_nkw=dell&_markup=sitem`)).body);
    const item = sitem('ul.srp-results > li.s-item').eq(1);
    expect(item.find('.s-item__title span[role=heading]').text().length).toBeGreaterThan(5);
    expect(item.find('.s-item__price').text()).toMatch(/\$/);
    expect(item.find('.s-item__shipping').text()).toMatch(/shipping|Shipping not specified/);
  });

  it('shows ended and sold items as such on the item page after time passes', async () => {
    const active = sim.catalog.all().filter((i) => sim.catalog.stateOf(i).status === 'active');
    sim.advance(24 * 20);
    const changed = active.filter((i) => sim.catalog.stateOf(i).status !== 'active');
    expect(changed.length).toBeGreaterThan(0);
    const sold = changed.find((i) => sim.catalog.stateOf(i).status === 'sold')!;
    const ended = changed.find((i) => sim.catalog.stateOf(i).status === 'ended')!;
    const soldPage = cheerio.load((await text(`${sim.url}/itm/${sold.id}`)).body);
    expect(soldPage('.d-statusmessage').text()).toMatch(/sold on|Bidding ended/);
    expect(soldPage('.x-quantity__availability').length).toBe(0);
    const endedPage = cheerio.load((await text(`${sim.url}/itm/${ended.id}`)).body);
    expect(endedPage('.d-statusmessage').text()).toContain('This listing has ended');
    const search = (await text(`${sim.url}/sch/i.html?_nkw=&_ipg=240`)).body;
    expect(search).not.toContain(`data-listingid="${sold.id}"`);
  });

  it('item pages carry title, price, specifics and quantity; unknown ids are 404', async () => {
    const item = sim.catalog
      .all()
      .find((i) => sim.catalog.stateOf(i).status === 'active' && i.format === 'fixed')!;
    const { status, body } = await text(`${sim.url}/itm/${item.id}`);
    expect(status).toBe(200);
    const $ = cheerio.load(body);
    expect($('h1.x-item-title__mainTitle').text()).toBe(item.title);
    expect($('.x-price-primary').first().text()).toMatch(/^(US \$|GBP |EUR )[\d,]+\.\d\d$/);
    expect($('.x-quantity__availability').text()).toMatch(/available|Last One/);
    const labels = $('.x-about-this-item dl dt')
      .map((_, el) => $(el).text())
      .get();
    expect(labels).toContain('Brand');
    expect(labels[0]).toBe('Condition');
    expect((await text(`${sim.url}/itm/100000000000`)).status).toBe(404);
  });

  it('serves products.json in the Shopify shape and pages to an empty list', async () => {
    const res = await fetch(`${sim.url}/shop/products.json?page=1&limit=50`);
    expect(res.headers.get('content-type')).toContain('application/json');
    const { products } = (await res.json()) as { products: WireProduct[] };
    expect(products).toHaveLength(50);
    const p = products[0]!;
    for (const key of [
      'id',
      'title',
      'handle',
      'body_html',
      'vendor',
      'product_type',
      'tags',
      'variants',
      'options',
      'images',
    ]) {
      expect(p).toHaveProperty(key);
    }
    expect(Array.isArray(p.tags)).toBe(true);
    const multi = products.find((x) => x.variants.length > 2)!;
    const prices = new Set(multi.variants.map((v) => v.price));
    expect(prices.size).toBeGreaterThan(1);
    for (const v of multi.variants) {
      expect(v.price).toMatch(/^\d+\.\d\d$/);
      expect(typeof v.available).toBe('boolean');
      expect(v).toHaveProperty('option1');
      expect(v).toHaveProperty('sku');
    }
    const page2 = (await (await fetch(`${sim.url}/shop/products.json?page=2&limit=50`)).json()) as {
      products: Array<{ id: number }>;
    };
    const ids1 = new Set(products.map((x) => x.id));
    expect(page2.products.every((x) => !ids1.has(x.id))).toBe(true);
    const past = (await (await fetch(`${sim.url}/shop/products.json?page=99&limit=50`)).json()) as {
      products: unknown[];
    };
    expect(past.products).toEqual([]);
    const html = await text(`${sim.url}/shop/products/${String(p.handle)}`);
    expect(html.status).toBe(200);
    expect(cheerio.load(html.body)('.product__title h1').text()).toBe(p.title);
  });

  it('serves a robots.txt that disallows /private/ and allows search', async () => {
    const { status, body, headers } = await text(`${sim.url}/robots.txt`);
    expect(status).toBe(200);
    expect(headers.get('content-type')).toContain('text/plain');
    expect(body).toMatch(/^User-agent: \*$/m);
    expect(body).toMatch(/^Disallow: \/private\/$/m);
    expect(body).toMatch(/^Allow: \/sch\/$/m);
    expect((await text(`${sim.url}/private/x`)).status).toBe(403);
  });

  it('advances time over the control API and reports state', async () => {
    const before = (await (await fetch(`${sim.url}/__sim/state`)).json()) as { clock: string };
    const res = await fetch(`${sim.url}/__sim/advance?hours=6`, { method: 'POST' });
    expect(res.status).toBe(200);
    const after = (await res.json()) as { clock: string; hoursElapsed: number };
    expect(Date.parse(after.clock) - Date.parse(before.clock)).toBe(6 * 3_600_000);
    expect(after.hoursElapsed).toBe(6);
    expect((await fetch(`${sim.url}/__sim/advance?hours=abc`, { method: 'POST' })).status).toBe(
      400,
    );
    await fetch(`${sim.url}/__sim/reset`, { method: 'POST' });
    expect(sim.state().hoursElapsed).toBe(0);
  });

  describe('faults', () => {
    const post = (body: unknown) =>
      fetch(`${sim.url}/__sim/fault`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json' },
      });

    it('500 for a number of requests, then clears itself', async () => {
      expect((await post({ route: '^/sch/', type: '500', times: 2 })).status).toBe(201);
      expect((await text(`${sim.url}/sch/i.html?_nkw=dell`)).status).toBe(500);
      expect((await text(`${sim.url}/itm/1`)).status).toBe(404); // other routes untouched
      expect((await text(`${sim.url}/sch/i.html?_nkw=dell`)).status).toBe(500);
      expect((await text(`${sim.url}/sch/i.html?_nkw=dell`)).status).toBe(200);
      expect(sim.requests.faulted).toBe(2);
    });

    it('bot wall and captcha pages', async () => {
      sim.setFault(/^\/sch\//, { type: 'botwall', times: 1 });
      const wall = await text(`${sim.url}/sch/i.html?_nkw=dell`);
      expect(wall.body).toContain('<title>Pardon Our Interruption...</title>');
      expect(wall.body).toContain('Checking your browser before you access eBay');
      sim.setFault('^/itm/', { type: 'captcha' });
      const id = sim.catalog.all()[0]!.id;
      expect((await text(`${sim.url}/itm/${id}`)).body).toContain(
        'Please verify yourself to continue',
      );
      sim.clearFaults();
      expect((await text(`${sim.url}/itm/${id}`)).body).toContain('x-item-title__mainTitle');
    });

    it('malformed pages are truncated HTML and JSON', async () => {
      sim.setFault('^/sch/', { type: 'malformed', times: 1 });
      const cut = await text(`${sim.url}/sch/i.html?_nkw=dell`);
      const full = await text(`${sim.url}/sch/i.html?_nkw=dell`);
      expect(cut.status).toBe(200);
      expect(cut.body.length).toBeLessThan(full.body.length / 2);
      expect(cut.body).not.toContain('</html>');
      sim.setFault('products\\.json', { type: 'malformed', times: 1 });
      const json = await text(`${sim.url}/shop/products.json`);
      expect(() => JSON.parse(json.body) as unknown).toThrow();
    });

    it('slow responses arrive after the delay', async () => {
      sim.setFault('^/robots', { type: 'slow', delayMs: 150, times: 1 });
      const { status, body } = await text(`${sim.url}/robots.txt`);
      expect(status).toBe(200);
      expect(body).toContain('Disallow: /private/');
    });

    it('rejects bad fault requests with a clear error', async () => {
      const res = await post({ route: '(', type: 'hang' });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(/regular expression/);
      expect((await post({ route: '^/', type: 'explode' })).status).toBe(400);
      expect(() => sim.setFault('^/', { type: 'nope' as never })).toThrow(/Unknown fault type/);
    });

    it('a hung request never answers, and close() still returns with it open', async () => {
      const own = await startSimulator({ port: 0, seed: 1, items: 20 });
      own.setFault('^/sch/', { type: 'hang' });
      const outcome = new Promise<string>((resolve) => {
        const req = http.get(`${own.url}/sch/i.html?_nkw=dell`, (res) =>
          resolve(`answered ${res.statusCode}`),
        );
        req.on('error', (err) => resolve(`error ${err.message}`));
      });
      // Wait until the server has the request, then close with it still open.
      for (let i = 0; i < 100 && own.requests.byRoute.search === 0; i++)
        await new Promise((r) => setTimeout(r, 10));
      expect(own.requests.faulted).toBe(1);
      await own.close();
      await expect(outcome).resolves.toMatch(/^error /);
    });
  });
});
