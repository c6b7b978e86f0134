/**
 * Local HTTP server that plays eBay and a Shopify refurbisher, deterministically, for tests,
 * benchmarks and the newcomer demo. node:http only.
 *
 *   GET  /sch/i.html?_nkw=<q>&_pgn=<n>&_ipg=<perPage>&_markup=scard|sitem&_sop=<sort>
 *   GET  /itm/<id>                 item page (ended/sold state, specifics, quantity)
 *   GET  /itm/<id>/desc            seller description (the item page's iframe)
 *   GET  /shop/products.json?page=N&limit=L   Shopify public products feed
 *   GET  /shop/products/<handle>[.json]       product page / single product JSON
 *   GET  /shop/collections/<all|servers|gpu|...>/products.json
 *        (the shop also answers at the origin root: /products.json, /products/<handle>)
 *   GET  /robots.txt
 *   POST /__sim/advance?hours=N    POST /__sim/fault {route,type,delayMs?,times?}
 *   DELETE /__sim/fault[/<id>]     POST /__sim/reset     GET /__sim/state   GET /__sim/items/<id>
 */
import http from 'node:http';
import type { Socket } from 'node:net';
import { formatZodIssues } from '../../src/listings/raw-listing';
import { Catalog, DEFAULT_START } from './catalog';
import {
  SORT_CODES,
  renderDescription,
  renderItem,
  renderItemMissing,
  renderSearch,
  type RenderContext,
  type SearchMarkup,
} from './ebay-pages';
import { FaultRegistry, faultRequestSchema, type ActiveFault, type FaultSpec } from './faults';
import {
  PIXEL_PNG,
  botWallPage,
  captchaPage,
  forbiddenPage,
  notFoundPage,
  robotsTxt,
  serverErrorPage,
} from './misc-pages';
import { Shop, renderProductPage, toJson } from './shop';

export interface SimulatorOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  seed?: number;
  /** Initial eBay listings. Default 600. */
  items?: number;
  host?: string;
  /** Search markup when the request does not say (&_markup=). Default 'scard'. */
  markup?: SearchMarkup;
  /** Shopify products. Default 120. */
  shopProducts?: number;
  /** eBay's "Shop on eBay" placeholder card first on each search page. Default true. */
  placeholders?: boolean;
  /** Simulated start instant (ms). Default 2026-03-02T17:00Z. */
  startTime?: number;
  /** Called once per request with a short line (method, path, status, route). */
  log?: (line: string) => void;
}

export type RouteName =
  | 'search'
  | 'item'
  | 'itemDescription'
  | 'image'
  | 'shopProducts'
  | 'shopProduct'
  | 'robots'
  | 'control'
  | 'other';

export interface RequestCounters {
  total: number;
  /** Requests answered with an injected fault. */
  faulted: number;
  byRoute: Record<RouteName, number>;
}

export interface SimulatorState {
  seed: number;
  clock: string;
  startedAt: string;
  hoursElapsed: number;
  items: { total: number; active: number; ended: number; sold: number };
  shopProducts: number;
  markup: SearchMarkup;
  faults: ReturnType<FaultRegistry['list']>;
  requests: RequestCounters;
}

export interface Simulator {
  /** Origin, e.g. http://127.0.0.1:4010 (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly catalog: Catalog;
  readonly shop: Shop;
  readonly requests: RequestCounters;
  /** Move simulated time forward: prices drop, items sell or end, new ones appear. */
  advance(hours: number): SimulatorState;
  /** Make requests whose path+query match `route` fail; returns the fault id. */
  setFault(route: RegExp | string, fault: FaultSpec): string;
  clearFaults(): void;
  /** Back to the start: fresh catalog and shop from the seed, no faults, counters zeroed. */
  reset(): void;
  state(): SimulatorState;
  /** Stops listening and destroys every open socket, hung requests included. */
  close(): Promise<void>;
}

interface Reply {
  status: number;
  type: string;
  body: string | Buffer;
  headers?: Record<string, string>;
}

const HTML = 'text/html; charset=utf-8';
const JSON_TYPE = 'application/json; charset=utf-8';

function json(status: number, value: unknown): Reply {
  return { status, type: JSON_TYPE, body: JSON.stringify(value) };
}

function html(status: number, body: string): Reply {
  return { status, type: HTML, body };
}

function emptyCounters(): RequestCounters {
  return {
    total: 0,
    faulted: 0,
    byRoute: {
      search: 0,
      item: 0,
      itemDescription: 0,
      image: 0,
      shopProducts: 0,
      shopProduct: 0,
      robots: 0,
      control: 0,
      other: 0,
    },
  };
}

function intParam(value: string | null, fallback: number, min: number, max: number): number {
  if (value === null || !/^\d+$/.test(value.trim())) return fallback;
  const n = Number(value);
  return Math.min(max, Math.max(min, n));
}

/** Route of a request path (for counters and dispatch). */
function routeOf(method: string, path: string): RouteName {
  if (path.startsWith('/__sim/')) return 'control';
  if (path === '/robots.txt') return 'robots';
  if (path === '/sch/i.html') return 'search';
  if (/^\/itm\/\d+\/desc$/.test(path)) return 'itemDescription';
  if (/^\/itm\/(?:[^/]+\/)?\d+$/.test(path)) return 'item';
  if (path.startsWith('/images/') || path.startsWith('/shop/cdn/')) return 'image';
  if (
    path === '/shop/products.json' ||
    /^\/shop\/collections\/[a-z0-9-]+\/products\.json$/.test(path)
  ) {
    return 'shopProducts';
  }
  if (path.startsWith('/shop/products/')) return 'shopProduct';
  void method;
  return 'other';
}

/** Cut a body mid-way, the way a dropped upstream connection or a broken proxy does. */
function truncate(body: string | Buffer): string | Buffer {
  if (Buffer.isBuffer(body)) return body.subarray(0, Math.max(1, Math.floor(body.length / 3)));
  const cut = Math.max(1, Math.floor(body.length * 0.42));
  // Stop inside a tag when there is one nearby, so the HTML is visibly broken.
  const lt = body.indexOf('<', cut);
  const at = lt > 0 && lt - cut < 400 ? lt + 4 : cut;
  return body.slice(0, Math.min(at, body.length - 1));
}

export async function startSimulator(opts: SimulatorOptions = {}): Promise<Simulator> {
  const seed = opts.seed ?? 1;
  const itemsCount = opts.items ?? 600;
  const shopCount = opts.shopProducts ?? 120;
  const host = opts.host ?? '127.0.0.1';
  const markup: SearchMarkup = opts.markup ?? 'scard';
  const startTime = opts.startTime ?? DEFAULT_START;
  if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(shopCount) || shopCount < 0 || shopCount > 20_000) {
    throw new Error(`shopProducts must be an integer from 0 to 20000, got ${shopCount}`);
  }
  if (markup !== 'scard' && markup !== 'sitem')
    throw new Error(`markup must be scard or sitem, got ${String(markup)}`);
  const port = opts.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`port must be 0-65535, got ${port}`);

  let catalog = new Catalog({ seed, items: itemsCount, startTime });
  let shop = new Shop(seed, shopCount, startTime);
  let counters = emptyCounters();
  const faults = new FaultRegistry();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const hung = new Set<http.ServerResponse>();
  let base = '';
  let closing = false;
  let requestNo = 0;

  const state = (): SimulatorState => ({
    seed,
    clock: new Date(catalog.now).toISOString(),
    startedAt: new Date(catalog.startTime).toISOString(),
    hoursElapsed: (catalog.now - catalog.startTime) / 3_600_000,
    items: catalog.counts(),
    shopProducts: shop.products.length,
    markup,
    faults: faults.list(),
    requests: structuredClone(counters),
  });

  const advance = (hours: number): SimulatorState => {
    catalog.advance(hours);
    return state();
  };

  const reset = (): void => {
    catalog = new Catalog({ seed, items: itemsCount, startTime });
    shop = new Shop(seed, shopCount, startTime);
    counters = emptyCounters();
    faults.clear();
  };

  const renderCtx = (): RenderContext => ({
    base,
    catalog,
    placeholders: opts.placeholders ?? true,
  });

  /** The normal answer for a site route (everything but /__sim). */
  const siteReply = (method: string, url: URL, route: RouteName): Reply => {
    if (method !== 'GET' && method !== 'HEAD') {
      return { ...html(405, notFoundPage(url.pathname)), headers: { Allow: 'GET, HEAD' } };
    }
    const path = url.pathname;
    switch (route) {
      case 'robots':
        return { status: 200, type: 'text/plain; charset=utf-8', body: robotsTxt(base) };
      case 'search': {
        const q = url.searchParams;
        const requested = q.get('_markup');
        const pageMarkup: SearchMarkup =
          requested === 'sitem' || requested === 'scard' ? requested : markup;
        const carry: Array<[string, string]> = [];
        if (q.get('_ipg') !== null)
          carry.push(['_ipg', String(intParam(q.get('_ipg'), 60, 1, 240))]);
        if (requested === 'sitem' || requested === 'scard') carry.push(['_markup', requested]);
        return html(
          200,
          renderSearch(renderCtx(), {
            query: (q.get('_nkw') ?? '').trim().slice(0, 300),
            page: intParam(q.get('_pgn'), 1, 1, 100_000),
            perPage: intParam(q.get('_ipg'), 60, 1, 240),
            sort: SORT_CODES[q.get('_sop') ?? '12'] ?? 'best',
            markup: pageMarkup,
            carry,
          }),
        );
      }
      case 'item': {
        const id = /(\d+)$/.exec(path)?.[1] ?? '';
        const item = catalog.get(id);
        return item
          ? html(200, renderItem(renderCtx(), item))
          : html(404, renderItemMissing(base, id));
      }
      case 'itemDescription': {
        const id = /^\/itm\/(\d+)\/desc$/.exec(path)?.[1] ?? '';
        const item = catalog.get(id);
        return item ? html(200, renderDescription(item)) : html(404, notFoundPage(path));
      }
      case 'image':
        return {
          status: 200,
          type: 'image/png',
          body: PIXEL_PNG,
          headers: { 'Cache-Control': 'max-age=86400' },
        };
      case 'shopProducts': {
        const page = intParam(url.searchParams.get('page'), 1, 1, 1_000_000);
        const limit = intParam(url.searchParams.get('limit'), 30, 1, 250);
        const collection = /^\/shop\/collections\/([a-z0-9-]+)\//.exec(path)?.[1] ?? 'all';
        const products = shop.page(page, limit, catalog.now, base, collection);
        return products ? json(200, { products }) : json(404, { errors: 'Not Found' });
      }
      case 'shopProduct': {
        const m = /^\/shop\/products\/([a-z0-9-]+?)(\.json)?$/.exec(path);
        const product = m?.[1] ? shop.get(m[1]) : undefined;
        if (!product)
          return m?.[2] ? json(404, { errors: 'Not Found' }) : html(404, notFoundPage(path));
        return m?.[2]
          ? json(200, { product: toJson(product, catalog.now, base) })
          : html(200, renderProductPage(product, catalog.now, base));
      }
      default:
        if (path.startsWith('/private/')) return html(403, forbiddenPage());
        if (path === '/' || path === '') return html(200, indexPage(base));
        return html(404, notFoundPage(path));
    }
  };

  const controlReply = async (req: http.IncomingMessage, url: URL): Promise<Reply> => {
    const method = req.method ?? 'GET';
    const path = url.pathname;
    if (path === '/__sim/state' && method === 'GET') return json(200, state());
    if (path === '/__sim/reset' && method === 'POST') {
      reset();
      return json(200, state());
    }
    if (path === '/__sim/advance' && method === 'POST') {
      let raw: unknown = url.searchParams.get('hours');
      if (raw === null) raw = ((await readJson(req)) as { hours?: unknown } | null)?.hours;
      const hours = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
      if (typeof hours !== 'number' || !Number.isFinite(hours) || hours < 0 || hours > 8784) {
        return json(400, {
          error: 'hours must be a number from 0 to 8784, e.g. POST /__sim/advance?hours=6',
        });
      }
      return json(200, advance(hours));
    }
    if (path === '/__sim/fault' && method === 'POST') {
      const body = await readJson(req);
      const parsed = faultRequestSchema.safeParse(body);
      if (!parsed.success)
        return json(400, { error: `bad fault: ${formatZodIssues(parsed.error)}` });
      const { route, ...spec } = parsed.data;
      const fault = faults.add(route, spec);
      return json(201, { id: fault.id, faults: faults.list() });
    }
    if (path === '/__sim/fault' && method === 'DELETE') {
      faults.clear();
      return json(200, { faults: [] });
    }
    const del = /^\/__sim\/fault\/([\w-]+)$/.exec(path);
    if (del?.[1] && method === 'DELETE') {
      return faults.remove(del[1])
        ? json(200, { faults: faults.list() })
        : json(404, { error: `no fault ${del[1]}` });
    }
    const item = /^\/__sim\/items\/(\d+)$/.exec(path);
    if (item?.[1] && method === 'GET') {
      const found = catalog.get(item[1]);
      return found
        ? json(200, { ...found, state: catalog.stateOf(found) })
        : json(404, { error: `no item ${item[1]}` });
    }
    return json(404, {
      error: `unknown control route ${method} ${path}`,
      routes: [
        'GET /__sim/state',
        'POST /__sim/advance?hours=N',
        'POST /__sim/fault',
        'DELETE /__sim/fault',
        'POST /__sim/reset',
        'GET /__sim/items/<id>',
      ],
    });
  };

  const send = (req: http.IncomingMessage, res: http.ServerResponse, reply: Reply): void => {
    if (res.writableEnded || res.destroyed) return;
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body, 'utf8') : reply.body;
    res.writeHead(reply.status, {
      'Content-Type': reply.type,
      'Content-Length': String(body.length),
      'Cache-Control': 'no-cache, no-store',
      ...reply.headers,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };

  const applyFault = (
    fault: ActiveFault,
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    route: RouteName,
  ): void => {
    const n = ++requestNo;
    const requested = `${base}${url.pathname}${url.search}`;
    switch (fault.type) {
      case '500':
        send(req, res, html(500, serverErrorPage()));
        return;
      case '429':
        send(req, res, {
          ...html(
            429,
            '<!DOCTYPE html><html><head><title>Too Many Requests</title></head><body><h1>Too Many Requests</h1></body></html>',
          ),
          headers: { 'Retry-After': String(Math.max(1, Math.ceil(fault.delayMs / 1000))) },
        });
        return;
      case 'hang':
        // Never answer; close() destroys the socket.
        hung.add(res);
        res.on('close', () => hung.delete(res));
        return;
      case 'reset':
        req.socket.destroy();
        return;
      case 'botwall':
        send(req, res, html(200, botWallPage(base, requested, n)));
        return;
      case 'captcha':
        send(req, res, html(200, captchaPage(base, requested, n)));
        return;
      case 'malformed': {
        const reply = siteReply(req.method ?? 'GET', url, route);
        send(req, res, { ...reply, body: truncate(reply.body) });
        return;
      }
      case 'slow': {
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!closing) send(req, res, siteReply(req.method ?? 'GET', url, route));
        }, fault.delayMs);
        timers.add(timer);
        return;
      }
    }
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      url = new URL(req.url ?? '/', base);
    } catch {
      send(req, res, html(400, notFoundPage('(bad request line)')));
      return;
    }
    // Shopify serves a shop at its origin root (/products.json, /products/<handle>); the same
    // shop is also mounted under /shop. Both spellings answer.
    if (/^\/(?:products(?:\.json|\/)|collections\/)/.test(url.pathname))
      url.pathname = `/shop${url.pathname}`;
    const route = routeOf(method, url.pathname);
    counters.total += 1;
    counters.byRoute[route] += 1;
    res.on('finish', () =>
      opts.log?.(`${method} ${url.pathname}${url.search} ${res.statusCode} ${route}`),
    );
    if (route === 'control') {
      send(req, res, await controlReply(req, url));
      return;
    }
    const fault = faults.take(`${url.pathname}${url.search}`);
    if (fault) {
      counters.faulted += 1;
      opts.log?.(`${method} ${url.pathname}${url.search} fault=${fault.type} (${fault.id})`);
      applyFault(fault, req, res, url, route);
      return;
    }
    send(req, res, siteReply(method, url, route));
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      if (!res.headersSent) send(req, res, json(500, { error: `simulator error: ${message}` }));
      else res.destroy();
    });
  });
  // Keep idle connections open longer than clients (undici keeps them 4 s) so a client never
  // reuses a socket the server is closing at that moment ("fetch failed" under load).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('simulator: no TCP address');
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  base = `http://${hostForUrl}:${address.port}`;

  const close = async (): Promise<void> => {
    if (closing) return;
    closing = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const res of hung) res.destroy();
    hung.clear();
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    await closed;
  };

  return {
    url: base,
    port: address.port,
    get catalog() {
      return catalog;
    },
    get shop() {
      return shop;
    },
    get requests() {
      return structuredClone(counters);
    },
    advance,
    setFault: (route, fault) => faults.add(route, fault).id,
    clearFaults: () => faults.clear(),
    reset,
    state,
    close,
  };
}

async function readJson(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    if (size > 64 * 1024) throw new Error('request body over 64 KiB');
    chunks.push(buf);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { __invalidJson: text.slice(0, 100) };
  }
}

function indexPage(base: string): string {
  const links = [
    '/sch/i.html?_nkw=dell+r740xd',
    '/sch/i.html?_nkw=tesla+v100&_markup=sitem',
    '/sch/i.html?_nkw=32gb+pc4-2666v',
    '/shop/products.json?page=1&limit=30',
    '/robots.txt',
    '/__sim/state',
  ];
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Rackhound marketplace simulator</title></head><body><h1>Rackhound marketplace simulator</h1><ul>${links
    .map((l) => `<li><a href="${base}${l}">${l}</a></li>`)
    .join('')}</ul></body></html>`;
}
