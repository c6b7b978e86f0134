/**
 * Deterministic catalog of a simulated used-server marketplace (eBay-like listings).
 *
 * Every listing carries its whole future at creation (price drops, unit sales, bids, the seller
 * ending it), drawn from its own seeded generator, so the state at any simulated time is a pure
 * function of (seed, clock): advance(2) then advance(3) equals advance(5), and the same seed gives
 * the same catalog byte for byte.
 */
import {
  CHASSIS,
  CPUS,
  DIMMS,
  DRIVES,
  FX_TO_USD,
  GPUS,
  PSUS,
  SELLERS,
  SIMPLE_PARTS,
  type ChassisModel,
  type CpuModel,
  type DimmModel,
  type DriveModel,
  type SellerProfile,
} from './catalog-data';
import { Rng, cents, hash32, sellerPrice } from './prng';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Simulated "now" when a catalog starts: a fixed instant, never the wall clock. */
export const DEFAULT_START = Date.UTC(2026, 2, 2, 17, 0, 0); // Mon 2026-03-02 17:00 UTC

export type Currency = 'USD' | 'GBP' | 'EUR';
export type ItemCategory =
  | 'server'
  | 'gpu'
  | 'ram'
  | 'drive'
  | 'psu'
  | 'cpu'
  | 'raid'
  | 'nic'
  | 'caddy'
  | 'backplane'
  | 'rails'
  | 'heatsink';

export type ConditionKey =
  | 'new'
  | 'new_other'
  | 'open_box'
  | 'used'
  | 'refurb_excellent'
  | 'refurb_very_good'
  | 'refurb_good'
  | 'seller_refurb'
  | 'parts';

interface ConditionInfo {
  /** Wording on search cards. */
  search: string;
  /** Wording on the item page. */
  item: string;
  /** Price multiplier against a working used unit. */
  factor: number;
  description: string;
}

export const CONDITIONS: Record<ConditionKey, ConditionInfo> = {
  new: {
    search: 'Brand New',
    item: 'New',
    factor: 1.45,
    description:
      'New: A brand-new, unused, unopened, undamaged item in its original packaging (where packaging is applicable).',
  },
  new_other: {
    search: 'New (Other)',
    item: 'New other (see details)',
    factor: 1.25,
    description:
      'New other (see details): A new, unused item with absolutely no signs of wear. The item may be missing the original packaging, or in the original packaging but not sealed.',
  },
  open_box: {
    search: 'Open Box',
    item: 'Open box',
    factor: 1.15,
    description:
      'Open box: An item in excellent, new condition with no wear. The item may be missing the original packaging or protective wrapping, or may be in the original packaging but not sealed.',
  },
  used: {
    search: 'Pre-Owned',
    item: 'Used',
    factor: 1,
    description:
      'Used: An item that has been used previously. The item may have some signs of cosmetic wear, but is fully operational and functions as intended.',
  },
  refurb_excellent: {
    search: 'Excellent - Refurbished',
    item: 'Excellent - Refurbished',
    factor: 1.2,
    description:
      'Excellent - Refurbished: The item is in like-new condition, backed by a one year warranty. It has been professionally refurbished, inspected and cleaned to excellent condition by qualified sellers.',
  },
  refurb_very_good: {
    search: 'Very Good - Refurbished',
    item: 'Very Good - Refurbished',
    factor: 1.15,
    description:
      'Very Good - Refurbished: The item shows minimal wear and is backed by a one year warranty. It is fully functional and has been professionally refurbished, inspected and cleaned to very good condition.',
  },
  refurb_good: {
    search: 'Good - Refurbished',
    item: 'Good - Refurbished',
    factor: 1.08,
    description:
      'Good - Refurbished: The item shows moderate wear and is backed by a one year warranty. It is fully functional and has been professionally refurbished, inspected and cleaned to good condition.',
  },
  seller_refurb: {
    search: 'Seller Refurbished',
    item: 'Seller refurbished',
    factor: 1.1,
    description:
      'Seller refurbished: An item that has been restored to working order by the eBay seller or a third party not approved by the manufacturer.',
  },
  parts: {
    search: 'Parts Only',
    item: 'For parts or not working',
    factor: 0.35,
    description:
      'For parts or not working: An item that does not function as intended and is not fully operational.',
  },
};

export interface SimSeller {
  name: string;
  feedback: number;
  positive: string;
  topRated: boolean;
}

export interface Variation {
  /** Option name as eBay shows it above the select box ("Quantity", "Memory"). */
  name: string;
  values: Array<{ label: string; price: number }>;
}

export interface SimItem {
  id: string;
  /** Position in the generation stream (initial listings first, then arrivals). */
  index: number;
  category: ItemCategory;
  title: string;
  brand: string;
  /** Seller's subtitle line, when the seller writes one. */
  tagline: string | null;
  currency: Currency;
  /** Buy It Now price, or the starting bid of an auction (listing currency, at listing time). */
  startPrice: number;
  /** High end of a variation listing's price range at listing time. */
  priceMax: number | null;
  variations: Variation | null;
  /** Shipping in the listing currency: 0 free, null "not specified" (local pickup). */
  shipping: number | null;
  shippingService: string;
  condition: ConditionKey;
  format: 'auction' | 'fixed';
  bestOffer: boolean;
  seller: SimSeller;
  city: string;
  country: string;
  quantity: number;
  specifics: Array<[string, string]>;
  description: string;
  imageId: string;
  listedAt: number;
  /** Auction end; null for Good 'Til Cancelled fixed-price listings. */
  endsAt: number | null;
  timeline: {
    drops: Array<{ at: number; factor: number }>;
    sales: number[];
    bids: Array<{ at: number; amount: number }>;
    sellerEndAt: number | null;
  };
}

export type ItemStatus = 'active' | 'ended' | 'sold';

export interface ItemState {
  status: ItemStatus;
  /** Current price (current bid for auctions), listing currency. */
  price: number;
  priceMax: number | null;
  /** Price before the seller's markdowns, when there were any. */
  wasPrice: number | null;
  bids: number;
  quantityAvailable: number;
  quantitySold: number;
  endedAt: number | null;
  /** Listed less than 24 simulated hours ago. */
  newListing: boolean;
}

export interface CatalogOptions {
  seed?: number;
  /** Listings generated at the start (some of them already ended). Default 600. */
  items?: number;
  /** Simulated start instant (ms). Default 2026-03-02T17:00Z. */
  startTime?: number;
  /** New listings per simulated hour. Default items / 200. */
  arrivalsPerHour?: number;
}

export type SortOrder = 'best' | 'newly_listed' | 'price_low' | 'ending_soonest';

/** Listing currency to USD, rounded to cents (eBay.com shows converted prices on search cards). */
export function toUsd(amount: number, currency: Currency): number {
  return cents(amount * FX_TO_USD[currency]);
}

/** Lowercased alphanumeric tokens, the way search matches words. */
export function tokenize(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

export class Catalog {
  readonly seed: number;
  readonly startTime: number;
  readonly initialCount: number;
  readonly arrivalsPerHour: number;
  private clock: number;
  private readonly items: SimItem[] = [];
  private readonly byId = new Map<string, SimItem>();
  private readonly tokens = new Map<string, Set<string>>();
  private arrivalRng: Rng;
  private nextArrivalAt: number;
  /**
   * search() results at `searchCacheClock`: every results page of a query repeats the same
   * filter and sort over the whole catalog (the sort alone evaluates itemState O(n log n)
   * times), which made the simulator a large share of a scrape benchmark's CPU.
   */
  private readonly searchCache = new Map<string, readonly SimItem[]>();
  private searchCacheClock = Number.NaN;

  constructor(options: CatalogOptions = {}) {
    const seed = options.seed ?? 1;
    const count = options.items ?? 600;
    if (!Number.isInteger(seed)) throw new Error(`Catalog seed must be an integer, got ${seed}`);
    if (!Number.isInteger(count) || count < 0 || count > 200_000) {
      throw new Error(`Catalog items must be an integer from 0 to 200000, got ${count}`);
    }
    this.seed = seed;
    this.startTime = options.startTime ?? DEFAULT_START;
    this.clock = this.startTime;
    this.initialCount = count;
    this.arrivalsPerHour = options.arrivalsPerHour ?? Math.max(0.5, count / 200);
    for (let i = 0; i < count; i++)
      this.add(generateItem(this.seed, i, this.startTime, 'initial', this.byId));
    this.arrivalRng = new Rng(this.seed, 'arrivals');
    this.nextArrivalAt = this.startTime + this.arrivalRng.exp(HOUR_MS / this.arrivalsPerHour);
  }

  /** Current simulated time (ms since epoch). */
  get now(): number {
    return this.clock;
  }

  /** Move the simulated clock forward; returns the listings that appeared meanwhile. */
  advance(hours: number): SimItem[] {
    if (!Number.isFinite(hours) || hours < 0 || hours > 24 * 366) {
      throw new RangeError(`advance(hours) needs a number from 0 to 8784, got ${hours}`);
    }
    this.clock += Math.round(hours * HOUR_MS);
    const added: SimItem[] = [];
    while (this.nextArrivalAt <= this.clock) {
      const item = generateItem(
        this.seed,
        this.items.length,
        this.nextArrivalAt,
        'arrival',
        this.byId,
      );
      this.add(item);
      added.push(item);
      this.nextArrivalAt += this.arrivalRng.exp(HOUR_MS / this.arrivalsPerHour);
    }
    return added;
  }

  /** Every listing that exists by now (active or not), in generation order. */
  all(): readonly SimItem[] {
    return this.items;
  }

  get(id: string): SimItem | undefined {
    return this.byId.get(id);
  }

  stateOf(item: SimItem, at: number = this.clock): ItemState {
    return itemState(item, at);
  }

  counts(): { total: number; active: number; ended: number; sold: number } {
    const c = { total: this.items.length, active: 0, ended: 0, sold: 0 };
    for (const item of this.items) c[itemState(item, this.clock).status] += 1;
    return c;
  }

  /**
   * Active listings whose titles hold every query word (eBay's default title search). A word
   * starting with "-" excludes titles that hold it. An empty query matches every active listing.
   */
  search(query: string, sort: SortOrder = 'best'): SimItem[] {
    // Items only change with the clock (advance() moves it and adds arrivals).
    if (this.searchCacheClock !== this.clock) {
      this.searchCache.clear();
      this.searchCacheClock = this.clock;
    }
    const key = `${sort}\u0000${query}`;
    let hits = this.searchCache.get(key);
    if (!hits) {
      hits = this.searchUncached(query, sort);
      // A bounded cache: the simulator may be queried with any number of distinct queries.
      if (this.searchCache.size >= 256) this.searchCache.clear();
      this.searchCache.set(key, hits);
    }
    return [...hits];
  }

  private searchUncached(query: string, sort: SortOrder): SimItem[] {
    const words = query.trim().split(/\s+/).filter(Boolean);
    const include: string[] = [];
    const exclude: string[] = [];
    for (const w of words) {
      if (w.startsWith('-') && w.length > 1) exclude.push(...tokenize(w.slice(1)));
      else include.push(...tokenize(w));
    }
    const hits = this.items.filter((item) => {
      if (itemState(item, this.clock).status !== 'active') return false;
      const toks = this.tokens.get(item.id);
      if (!toks) return false;
      return include.every((w) => hasWord(toks, w)) && !exclude.some((w) => hasWord(toks, w));
    });
    return sortItems(hits, sort, this.seed, this.clock);
  }

  /** A plain-data view of everything generated so far, for determinism checks and debugging. */
  snapshot(): { seed: number; clock: string; items: Array<SimItem & { state: ItemState }> } {
    return {
      seed: this.seed,
      clock: new Date(this.clock).toISOString(),
      items: this.items.map((item) => ({ ...item, state: itemState(item, this.clock) })),
    };
  }

  private add(item: SimItem): void {
    this.items.push(item);
    this.byId.set(item.id, item);
    this.tokens.set(item.id, new Set(tokenize(item.title)));
  }
}

function hasWord(tokens: Set<string>, word: string): boolean {
  if (tokens.has(word)) return true;
  // "32gb" should find "(8x32GB)", "v100" should find "V100S": mixed letter+digit words match
  // inside a longer token, the way a shopper expects model numbers to match.
  if (word.length >= 3 && /[a-z]/.test(word) && /[0-9]/.test(word)) {
    for (const t of tokens) if (t.includes(word)) return true;
  }
  return false;
}

function sortItems(items: SimItem[], sort: SortOrder, seed: number, now: number): SimItem[] {
  const keyed = items.map((item) => ({ item, rank: hash32(seed, 'rank', item.id) }));
  const byId = (a: SimItem, b: SimItem) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  switch (sort) {
    case 'newly_listed':
      keyed.sort((a, b) => b.item.listedAt - a.item.listedAt || byId(a.item, b.item));
      break;
    case 'price_low': {
      const total = (i: SimItem) => {
        const s = itemState(i, now);
        return toUsd(s.price + (i.shipping ?? 0), i.currency);
      };
      keyed.sort((a, b) => total(a.item) - total(b.item) || byId(a.item, b.item));
      break;
    }
    case 'ending_soonest': {
      const end = (i: SimItem) => i.endsAt ?? Number.MAX_SAFE_INTEGER;
      keyed.sort((a, b) => end(a.item) - end(b.item) || a.rank - b.rank || byId(a.item, b.item));
      break;
    }
    default:
      keyed.sort((a, b) => a.rank - b.rank || byId(a.item, b.item));
  }
  return keyed.map((k) => k.item);
}

/** State of a listing at a simulated instant: a pure function of the listing and the time. */
export function itemState(item: SimItem, at: number): ItemState {
  const { timeline } = item;
  const newListing = at - item.listedAt < DAY_MS;
  if (item.format === 'auction') {
    const end = item.endsAt ?? Number.MAX_SAFE_INTEGER;
    const bids = timeline.bids.filter((b) => b.at <= at && b.at <= end);
    const last = bids[bids.length - 1];
    const price = last ? last.amount : item.startPrice;
    const over = at >= end;
    return {
      status: over ? (bids.length > 0 ? 'sold' : 'ended') : 'active',
      price,
      priceMax: null,
      wasPrice: null,
      bids: bids.length,
      quantityAvailable: over ? 0 : item.quantity,
      quantitySold: over && bids.length > 0 ? item.quantity : 0,
      endedAt: over ? end : null,
      newListing: !over && newListing,
    };
  }
  let factor = 1;
  for (const d of timeline.drops) if (d.at <= at) factor *= d.factor;
  const sold = timeline.sales.filter((s) => s <= at).length;
  const soldOutAt = sold >= item.quantity ? (timeline.sales[item.quantity - 1] ?? null) : null;
  const endAt =
    timeline.sellerEndAt !== null && timeline.sellerEndAt <= at ? timeline.sellerEndAt : null;
  let status: ItemStatus = 'active';
  let endedAt: number | null = null;
  if (soldOutAt !== null && (endAt === null || soldOutAt <= endAt)) {
    status = 'sold';
    endedAt = soldOutAt;
  } else if (endAt !== null) {
    status = 'ended';
    endedAt = endAt;
  }
  const quantitySold = Math.min(sold, item.quantity);
  const price = cents(item.startPrice * factor);
  return {
    status,
    price,
    priceMax: item.priceMax === null ? null : cents(item.priceMax * factor),
    wasPrice: factor < 1 ? item.startPrice : null,
    bids: 0,
    quantityAvailable: status === 'active' ? item.quantity - quantitySold : 0,
    quantitySold,
    endedAt,
    newListing: status === 'active' && newListing,
  };
}

// ---------------------------------------------------------------------------------------------
// Generation

interface Draft {
  category: ItemCategory;
  brand: string;
  title: string;
  /** Fair used value in USD for one unit in working used condition. */
  value: number;
  specifics: Array<[string, string]>;
  description: string;
  heavy: boolean;
  maxQuantity: number;
  conditions: ReadonlyArray<readonly [ConditionKey, number]>;
  auctionShare: number;
  variations?: (rng: Rng, unitPrice: number) => Variation | null;
  focus: 'server' | 'gpu' | 'part';
}

function generateItem(
  seed: number,
  index: number,
  anchor: number,
  origin: 'initial' | 'arrival',
  taken: ReadonlyMap<string, SimItem>,
): SimItem {
  const rng = new Rng(seed, 'item', index);
  const drawId = () =>
    String(rng.int(1, 3)) + String(rng.int(10_000_000, 99_999_999)) + String(rng.int(100, 999));
  let id = drawId();
  while (taken.has(id)) id = drawId();

  const category = rng.weighted<ItemCategory>([
    ['server', 30],
    ['gpu', 18],
    ['ram', 12],
    ['drive', 10],
    ['psu', 7],
    ['cpu', 6],
    ['raid', 4],
    ['nic', 4],
    ['caddy', 3],
    ['backplane', 2],
    ['rails', 2],
    ['heatsink', 2],
  ]);
  const draft = DRAFTERS[category](rng);
  const profile = pickSeller(rng, draft.focus);
  const condition = draft.conditions.length > 0 ? rng.weighted(draft.conditions) : 'used';
  const fx = FX_TO_USD[profile.currency];
  const unitUsd = draft.value * CONDITIONS[condition].factor * rng.float(0.82, 1.25);
  const unitPrice = sellerPrice(unitUsd / fx, rng);

  const isAuction = rng.chance(draft.auctionShare);
  const variations = !isAuction && draft.variations ? draft.variations(rng, unitPrice) : null;
  const quantity = isAuction
    ? 1
    : variations
      ? rng.int(6, 60)
      : quantityFor(rng, draft.maxQuantity);
  const format: SimItem['format'] = isAuction ? 'auction' : 'fixed';
  const bestOffer = !isAuction && !variations && rng.chance(0.4);

  let shipping: number | null;
  if (rng.chance(0.02)) shipping = null;
  else if (rng.chance(draft.heavy ? 0.35 : 0.6)) shipping = 0;
  else shipping = sellerPrice((draft.heavy ? rng.float(45, 160) : rng.float(4, 22)) / fx, rng);
  const shippingService =
    shipping === null
      ? 'Local pickup'
      : draft.heavy
        ? rng.pick(['UPS Ground', 'FedEx Ground or FedEx Home Delivery', 'Freight'])
        : profile.country === 'United States'
          ? rng.pick(['USPS Ground Advantage', 'UPS Ground', 'USPS Priority Mail'])
          : profile.country === 'China'
            ? 'Standard Shipping from outside US'
            : 'Expedited International Shipping';

  // When it was listed: initial listings spread over the past weeks (a tenth within a day).
  const duration = rng.pick([1, 3, 5, 7, 7, 10]) * DAY_MS;
  let listedAt: number;
  if (origin === 'arrival') listedAt = anchor;
  else if (isAuction) listedAt = anchor - Math.floor(rng.float(0, duration + 2 * DAY_MS));
  else if (rng.chance(0.1)) listedAt = anchor - Math.floor(rng.float(0, DAY_MS));
  else listedAt = anchor - Math.floor(rng.float(DAY_MS, 30 * DAY_MS));
  listedAt = Math.floor(listedAt / 1000) * 1000;
  const endsAt = isAuction ? listedAt + duration : null;

  const startPrice = isAuction
    ? rng.chance(0.35)
      ? Math.max(0.99, Math.min(rng.pick([0.99, 9.99, 49, 99]), cents(unitPrice * 0.5)))
      : sellerPrice(unitPrice * rng.float(0.45, 0.8), rng)
    : (variations?.values[0]?.price ?? unitPrice);
  const priceMax = variations
    ? (variations.values[variations.values.length - 1]?.price ?? null)
    : null;

  const timeline = buildTimeline(rng, {
    isAuction,
    listedAt,
    endsAt,
    quantity,
    startPrice,
    unitPrice,
  });
  const imageId =
    base62(hash32(seed, 'img', id), 4) + 'AAOSw' + base62(hash32(seed, 'img2', id), 6);

  return {
    id,
    index,
    category: draft.category,
    title: fitTitle(draft.title),
    brand: draft.brand,
    tagline: draft.focus === 'server' || rng.chance(0.3) ? profile.tagline : null,
    currency: profile.currency,
    startPrice,
    priceMax,
    variations,
    shipping,
    shippingService,
    condition,
    format,
    bestOffer,
    seller: {
      name: profile.name,
      feedback: profile.feedback,
      positive: profile.positive,
      topRated: profile.topRated,
    },
    city: profile.city,
    country: profile.country,
    quantity,
    specifics: [...draft.specifics, ['Condition', CONDITIONS[condition].item]],
    description: draft.description,
    imageId,
    listedAt,
    endsAt,
    timeline,
  };
}

function buildTimeline(
  rng: Rng,
  p: {
    isAuction: boolean;
    listedAt: number;
    endsAt: number | null;
    quantity: number;
    startPrice: number;
    unitPrice: number;
  },
): SimItem['timeline'] {
  const drops: Array<{ at: number; factor: number }> = [];
  const sales: number[] = [];
  const bids: Array<{ at: number; amount: number }> = [];
  let sellerEndAt: number | null = null;
  const sec = (ms: number) => Math.floor(ms / 1000) * 1000;

  if (p.isAuction && p.endsAt !== null) {
    const duration = p.endsAt - p.listedAt;
    const n = rng.chance(0.3) ? 0 : Math.min(40, 1 + Math.floor(rng.exp(6)));
    const target = Math.max(p.startPrice + n, p.unitPrice * rng.float(0.7, 1.08));
    const times: number[] = [];
    for (let i = 0; i < n; i++)
      times.push(sec(p.endsAt - duration * Math.pow(rng.next(), 3) - 1000));
    times.sort((a, b) => a - b);
    let amount = p.startPrice;
    times.forEach((at, i) => {
      const next = p.startPrice + (target - p.startPrice) * Math.pow((i + 1) / n, 1.4);
      amount = cents(Math.max(amount + (amount < 100 ? 1 : amount < 1000 ? 5 : 25), next));
      bids.push({ at, amount });
    });
    return { drops, sales, bids, sellerEndAt };
  }

  const dropCount = rng.weighted([
    [0, 50],
    [1, 30],
    [2, 15],
    [3, 5],
  ] as const);
  for (let i = 0; i < dropCount; i++) {
    drops.push({
      at: sec(p.listedAt + rng.float(6 * HOUR_MS, 30 * DAY_MS)),
      factor: Math.round(rng.float(0.85, 0.97) * 1000) / 1000,
    });
  }
  drops.sort((a, b) => a.at - b.at);
  const meanDays = p.quantity > 1 ? 25 : 40;
  for (let i = 0; i < p.quantity; i++) {
    if (rng.chance(p.quantity > 1 ? 0.7 : 0.5)) {
      sales.push(sec(p.listedAt + rng.exp(meanDays * DAY_MS) + HOUR_MS));
    }
  }
  sales.sort((a, b) => a - b);
  if (rng.chance(0.06)) sellerEndAt = sec(p.listedAt + rng.float(DAY_MS, 60 * DAY_MS));
  return { drops, sales, bids, sellerEndAt };
}

const NBSP = '\u00a0';

/** Glue a phrase so fitTitle keeps or drops it whole. */
function g(phrase: string): string {
  return phrase.trim().replace(/ +/g, NBSP);
}

/** eBay titles hold at most 80 characters: sellers drop trailing words to fit. */
function fitTitle(raw: string): string {
  const words = raw
    .replace(/[ \t\n]+/g, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0);
  const text = () => words.join(' ').split(NBSP).join(' ');
  while (words.length > 1 && text().length > 80) words.pop();
  return text().slice(0, 80).trim();
}

function quantityFor(rng: Rng, max: number): number {
  if (max <= 1 || rng.chance(0.55)) return 1;
  return Math.min(max, 2 + Math.floor(rng.exp(max / 4)));
}

function pickSeller(rng: Rng, focus: 'server' | 'gpu' | 'part'): SellerProfile {
  const fits = SELLERS.filter((s) => s.focus.includes(focus));
  return rng.pick(fits.length > 0 ? fits : SELLERS);
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
function base62(n: number, len: number): string {
  let out = '';
  let v = n;
  for (let i = 0; i < len; i++) {
    out += BASE62[v % 62] ?? '0';
    v = Math.floor(v / 62) + (i + 1) * 7919;
  }
  return out;
}

function cap(s: string, rng: Rng, upperChance = 0.15): string {
  return rng.chance(upperChance) ? s.toUpperCase() : s;
}

function tb(n: number): string {
  return n < 1 ? `${Math.round(n * 1000)}GB` : `${n}TB`;
}

const USED_CONDITIONS = [
  ['used', 55],
  ['seller_refurb', 12],
  ['refurb_very_good', 8],
  ['refurb_excellent', 5],
  ['refurb_good', 5],
  ['open_box', 4],
  ['new_other', 5],
  ['new', 3],
  ['parts', 3],
] as const;

const DRAFTERS: Record<ItemCategory, (rng: Rng) => Draft> = {
  server: draftServer,
  gpu: draftGpu,
  ram: draftRam,
  drive: draftDrive,
  psu: draftPsu,
  cpu: draftCpu,
  raid: (rng) => draftSimple(rng, 'raid'),
  nic: (rng) => draftSimple(rng, 'nic'),
  caddy: (rng) => draftSimple(rng, 'caddy'),
  backplane: (rng) => draftSimple(rng, 'backplane'),
  rails: (rng) => draftSimple(rng, 'rails'),
  heatsink: (rng) => draftSimple(rng, 'heatsink'),
};

function draftServer(rng: Rng): Draft {
  const ch: ChassisModel = rng.pick(CHASSIS);
  const bay = rng.pick(ch.bays);
  const family = rng.pick(ch.families);
  const cpu: CpuModel = rng.pick(CPUS.filter((c) => c.family === family));
  const barebone = rng.chance(0.14);
  const singleSocketBox = ch.model === 'R7515' || ch.model.startsWith('AS-1014S');
  const sockets = cpu.singleSocket || singleSocketBox ? 1 : rng.chance(0.1) ? 1 : 2;
  const dimmChoices = DIMMS.filter(
    (d) => d.ddr === 'DDR4' && d.mts >= Number(ch.ddr.slice(5)) - 300,
  );
  const dimm: DimmModel = rng.pick(dimmChoices.length > 0 ? dimmChoices : DIMMS);
  const dimmCount = rng.pick(
    [2, 4, 4, 8, 8, 8, 12, 16, 24].filter((n) => n <= (sockets === 1 ? 8 : 24)),
  );
  const ramGb = dimm.gb * dimmCount;
  const driveFit = DRIVES.filter(
    (d) => d.size === bay.size || (bay.size === '3.5' && d.kind === 'HDD' && d.size === '3.5'),
  );
  const withDrives = !barebone && rng.chance(0.55);
  const drive: DriveModel | null = withDrives
    ? rng.pick(driveFit.length > 0 ? driveFit : DRIVES)
    : null;
  const driveCount = drive ? rng.int(1, Math.min(bay.count, 12)) : 0;
  const raid = rng.pick(ch.raid);
  const watts = rng.pick(ch.psuWatts);
  const psuCount = rng.chance(0.85) ? 2 : 1;
  const cores = cpu.cores * sockets;
  const cpuLabel =
    cpu.vendor === 'AMD'
      ? `AMD ${cpu.name}`
      : rng.pick([`Xeon ${cpu.name}`, cpu.name, `Intel Xeon ${cpu.name}`]);
  const driveText = drive
    ? `${driveCount}x ${tb(drive.tb)} ${drive.kind === 'HDD' ? (drive.rpm && drive.rpm >= 10000 ? '10K SAS' : drive.iface.startsWith('SAS') ? 'SAS' : 'SATA') : drive.kind === 'NVMe' ? 'NVMe' : 'SSD'}`
    : rng.pick(['No HDD', 'No Drives', '', 'No HDD']);
  const ramText = rng.pick([
    `${ramGb}GB RAM`,
    `${ramGb}GB (${dimmCount}x${dimm.gb}GB)`,
    `${ramGb}GB DDR4`,
    `${ramGb}GB ${dimm.ddr} ${dimm.kind}`,
  ]);
  const model = rng.pick(ch.short);
  const brandUp = ch.brand === 'HPE' ? rng.pick(['HPE', 'HP']) : ch.brand;
  const cpuCount = sockets === 2 ? '2x' : '1x';
  // Phrases are glued with no-break spaces so fitting the title to 80 characters drops whole
  // phrases ("8x 1.2TB 10K SAS"), never half of one.
  const cpuPhrase = g(`${cpuCount} ${cpuLabel}`);
  const ramPhrase = g(ramText);
  const drivePhrase = g(driveText);
  const psuPhrase = g(`${psuCount}x ${watts}W`);
  const raidPhrase = g(raid);
  const mgmtPhrase = g(ch.mgmt);
  let title: string;
  if (barebone) {
    title = rng.pick([
      `${ch.brand} ${ch.line} ${ch.model} ${bay.label} Barebone Server ${sockets}x Heatsink ${raidPhrase} ${psuPhrase} PSU`,
      `${brandUp} ${model} ${bay.label} Barebones ${g('No CPU No RAM')} ${raidPhrase} ${mgmtPhrase} Rails`,
      `${ch.line} ${model} ${bay.count}-Bay ${bay.size}" Server Chassis ${psuPhrase} ${raidPhrase}`,
    ]);
  } else {
    title = rng.pick([
      `${ch.brand} ${ch.line} ${ch.model} ${bay.label} ${cpuPhrase} ${g(`${cpu.ghz}GHz ${cores}C`)} ${ramPhrase} ${drivePhrase} ${raidPhrase} ${psuPhrase}`,
      cap(
        `${brandUp} ${model} Server ${g(`${cpuCount} ${cpu.name} ${cpu.cores}-Core`)} ${ramPhrase} ${raidPhrase} ${mgmtPhrase}`,
        rng,
        0.4,
      ),
      `${brandUp} ${ch.line} ${ch.model} ${ch.rackUnits}U ${g(`| ${cpuCount} ${cpuLabel}`)} ${g(`| ${ramText}`)} ${g(`| ${driveText || 'No Drives'}`)} ${g(`| ${raid}`)}`,
      `${brandUp} ${model} ${g(`${sockets}x ${cpu.name} = ${cores} Cores`)} ${ramGb}GB ${bay.label} ${raidPhrase} Rails`,
      `${ch.line} ${model} ${bay.label} ${ch.rackUnits}U Rack Server ${cpuPhrase} ${ramPhrase} ${drivePhrase}`,
    ]);
  }
  const cpuValue = barebone ? 0 : cpu.price * sockets;
  const ramValue = barebone ? 0 : dimm.price * dimmCount * 0.85;
  const driveValue = drive ? drive.price * driveCount * 0.8 : 0;
  const specifics: Array<[string, string]> = [
    ['Brand', ch.brand],
    ['Product Line', ch.line],
    ['Model', ch.model],
    ['MPN', `${ch.mpnPrefix}${bay.label.startsWith('12') ? '-LFF' : ''}`],
    ['Form Factor', `Rack (${ch.rackUnits}U)`],
    ['Type', 'Rack Server'],
    ['Number of Drive Bays', String(bay.count)],
    ['Storage Controller', raid],
    ['Power Supply Wattage', `${watts} W`],
    ['Remote Management', ch.mgmt],
    ['Operating System', 'Not Included'],
  ];
  if (!barebone) {
    specifics.push(
      ['Processor', `${cpu.vendor} ${cpu.vendor === 'Intel' ? 'Xeon ' : ''}${cpu.name}`],
      ['Number of Processors', String(sockets)],
      ['Processor Speed', `${cpu.ghz} GHz`],
      ['Number of Cores', String(cores)],
      ['RAM Size', `${ramGb} GB`],
      ['Memory Type', `${dimm.ddr} SDRAM`],
    );
  }
  if (drive) {
    specifics.push(
      ['Storage Type', drive.kind === 'HDD' ? 'HDD' : 'SSD'],
      ['Hard Drive Capacity', `${cents(drive.tb * driveCount)} TB`],
    );
  }
  const description = [
    `<p>${ch.brand} ${ch.line} ${ch.model} ${ch.rackUnits}U rack server, ${bay.label} (${bay.count} x ${bay.size}" bays).</p>`,
    '<ul>',
    barebone
      ? '<li>CPU: none (heatsinks included)</li>'
      : `<li>CPU: ${sockets} x ${cpu.vendor} ${cpu.name} ${cpu.ghz}GHz ${cpu.cores}-core (${cores} cores total)</li>`,
    barebone
      ? '<li>RAM: none</li>'
      : `<li>RAM: ${ramGb}GB (${dimmCount} x ${dimm.gb}GB ${dimm.pc} ${dimm.kind})</li>`,
    drive
      ? `<li>Storage: ${driveCount} x ${tb(drive.tb)} ${drive.iface} ${drive.kind} (${drive.mpn})</li>`
      : '<li>Storage: no drives, caddies included</li>',
    `<li>Controller: ${raid}</li>`,
    `<li>Power: ${psuCount} x ${watts}W hot-plug PSU</li>`,
    `<li>Management: ${ch.mgmt}</li>`,
    '</ul>',
    '<p>Tested: POST, memory test and drive check. Rails not included unless stated in the title.</p>',
  ].join('');
  return {
    category: 'server',
    brand: ch.brand,
    title,
    value: ch.barebone + cpuValue + ramValue + driveValue + (psuCount === 2 ? 15 : 0),
    specifics,
    description,
    heavy: true,
    maxQuantity: 8,
    conditions: [
      ['used', 50],
      ['seller_refurb', 20],
      ['refurb_very_good', 10],
      ['refurb_excellent', 6],
      ['refurb_good', 6],
      ['parts', 3],
    ],
    auctionShare: 0.2,
    focus: 'server',
    variations: (r, unit) => {
      if (barebone || !r.chance(0.15)) return null;
      const step = dimm.price * 0.85 * dimmCount;
      return {
        name: 'Memory',
        values: [0.5, 1, 2].map((m) => ({
          label: `${Math.round(ramGb * m)}GB`,
          price: cents(Math.max(1, unit + step * (m - 1))),
        })),
      };
    },
  };
}

function draftGpu(rng: Rng): Draft {
  const gpu = rng.pick(GPUS);
  const consumer = gpu.partners.length > 0;
  const partner = consumer
    ? rng.pick(gpu.partners)
    : rng.pick(['NVIDIA', 'NVIDIA', 'Dell', 'HPE', 'PNY']);
  const busShort = gpu.bus.replace('PCI Express ', 'PCIe ').replace(' x16', '');
  const title = consumer
    ? rng.pick([
        `${partner} ${gpu.name} ${gpu.memGb}GB ${gpu.memType} Graphics Card`,
        `${partner === 'NVIDIA' ? 'NVIDIA' : `${partner} NVIDIA`} ${gpu.name} ${gpu.memGb}GB ${gpu.memType} ${busShort} GPU`,
        cap(`${gpu.short} ${gpu.memGb}GB ${partner} GPU - Tested, Works Great`, rng, 0.3),
        `NVIDIA ${gpu.name} ${gpu.memGb}GB Workstation Graphics Card ${gpu.mpn}`,
      ])
    : rng.pick([
        `NVIDIA ${gpu.name} ${gpu.memGb}GB ${gpu.memType} ${busShort} GPU Accelerator ${gpu.mpn}`,
        `Nvidia ${gpu.name} ${gpu.memGb}GB GPU Accelerator Card Passive Cooling`,
        `${partner === 'NVIDIA' ? '' : `${partner} `}NVIDIA ${gpu.name} ${gpu.memGb}GB ${gpu.bus.replace('PCI Express', 'PCI-E')} Graphics Accelerator Card`,
        cap(`${gpu.name} ${gpu.memGb}G ${gpu.memType} Tensor Core GPU *TESTED*`, rng, 0.25),
        `${gpu.mpn} NVIDIA ${gpu.short} ${gpu.memGb}GB PCIe Data Center GPU`,
      ]);
  return {
    category: 'gpu',
    brand: partner,
    title,
    value: gpu.price,
    specifics: [
      ['Brand', partner],
      ['Chipset Manufacturer', 'NVIDIA'],
      ['Chipset/GPU Model', `NVIDIA ${gpu.name}`],
      ['Memory Size', `${gpu.memGb} GB`],
      ['Memory Type', gpu.memType],
      ['Compatible Slot', gpu.bus],
      [
        'Cooling Component Included',
        gpu.cooling === 'Passive' ? 'Heatsink only (passive)' : 'Fan & Heatsink',
      ],
      ['Manufacturer Part Number', gpu.mpn],
    ],
    description: `<p>${gpu.name} ${gpu.memGb}GB ${gpu.memType}, ${gpu.bus}. ${gpu.cooling === 'Passive' ? 'Passively cooled: needs server airflow.' : 'Actively cooled.'}</p><p>Pulled from a working system, tested under load.</p>`,
    heavy: false,
    maxQuantity: 16,
    conditions: USED_CONDITIONS,
    auctionShare: 0.25,
    focus: 'gpu',
  };
}

function draftRam(rng: Rng): Draft {
  const d = rng.pick(DIMMS);
  const kit = rng.chance(0.3) ? rng.pick([2, 4, 8]) : 1;
  const gbTotal = d.gb * kit;
  const speed = `${d.ddr}-${d.mts}`;
  const ecc =
    d.kind === 'LRDIMM' ? 'ECC LRDIMM' : rng.pick(['ECC RDIMM', 'ECC REG', 'Registered ECC']);
  const title =
    kit > 1
      ? rng.pick([
          `${gbTotal}GB (${kit}x${d.gb}GB) ${d.brand} ${d.ddr} ${d.mts} ${ecc} Server RAM`,
          `${d.brand} ${gbTotal}GB Kit ${kit}x ${d.gb}GB ${d.pc} ${d.rank} ${ecc} ${d.mpn}`,
          `LOT OF ${kit} ${d.brand} ${d.gb}GB ${d.pc} ${d.ddr} ${ecc} Memory ${d.mpn}`,
        ])
      : rng.pick([
          `${d.brand} ${d.gb}GB ${d.pc} ${d.rank} ${d.ddr} ${ecc} Server Memory ${d.mpn}`,
          `${d.mpn} ${d.brand} ${d.gb}GB ${d.rank} ${speed} ${ecc} RAM`,
          `${d.brand} ${d.gb}gb ${d.pc.replace(/-[RL]$/, '')} ${d.rank} ${d.ddr} ${ecc} Reg Server Memory ${d.mpn}`,
          cap(
            `${d.gb}GB ${d.brand} ${d.ddr} ${d.mts}MHz ${d.rank} ${ecc} Server RAM ${d.mpn}`,
            rng,
            0.2,
          ),
        ]);
  return {
    category: 'ram',
    brand: d.brand,
    title,
    value: d.price * kit,
    specifics: [
      ['Brand', d.brand],
      ['MPN', d.mpn],
      ['Total Capacity', `${gbTotal} GB`],
      ['Capacity per Module', `${d.gb} GB`],
      ['Number of Modules', String(kit)],
      ['Type', `${d.ddr} SDRAM`],
      ['Bus Speed', `${d.pc.replace(/-[RL]$/, '')} (${speed})`],
      ['Form Factor', d.kind],
      ['Features', d.kind === 'LRDIMM' ? 'Load Reduced (LRDIMM), ECC' : 'Registered (RDIMM), ECC'],
      ['Rank', d.rank],
    ],
    description: `<p>${kit} x ${d.brand} ${d.gb}GB ${d.pc} ${d.rank} ${d.kind} (${d.mpn}). Pulled from working servers, tested with MemTest86.</p>`,
    heavy: false,
    maxQuantity: 200,
    conditions: USED_CONDITIONS,
    auctionShare: 0.12,
    focus: 'part',
    variations: (r, unit) =>
      kit === 1 && r.chance(0.3)
        ? {
            name: 'Quantity',
            values: [1, 2, 4, 8].map((n) => ({
              label: `${n} x ${d.gb}GB`,
              price: cents(unit * n * (n >= 4 ? 0.95 : 1)),
            })),
          }
        : null,
  };
}

function draftDrive(rng: Rng): Draft {
  const d = rng.pick(DRIVES);
  const oem = rng.pick(['', '', 'Dell ', 'HP ', 'NetApp ']);
  const rpm = d.rpm ? `${d.rpm >= 10000 ? `${d.rpm / 1000}K` : '7.2K'}` : '';
  const withTray = rng.chance(0.3);
  const title = rng.pick([
    `${oem}${d.brand} ${tb(d.tb)} ${d.iface} ${rpm} ${d.size}" ${d.kind === 'HDD' ? 'Hard Drive' : d.kind} ${d.mpn}`,
    `${d.mpn} ${d.brand} ${d.family} ${tb(d.tb)} ${d.size} ${d.iface} Enterprise ${d.kind === 'HDD' ? 'HDD' : 'SSD'}`,
    `${oem}${tb(d.tb)} ${d.kind === 'NVMe' ? 'U.2 NVMe' : d.iface.split(' ')[0]} ${d.size}in ${d.kind === 'HDD' ? `${rpm} HDD` : 'SSD'} ${d.mpn}${withTray ? ' w/ Tray' : ''}`,
  ]);
  return {
    category: 'drive',
    brand: d.brand,
    title,
    value: d.price,
    specifics: [
      ['Brand', d.brand],
      ['Product Line', d.family],
      ['MPN', d.mpn],
      ['Storage Capacity', `${d.tb < 1 ? Math.round(d.tb * 1000) + ' GB' : d.tb + ' TB'}`],
      ['Interface', d.iface],
      ['Drive Type(s) Supported', d.kind === 'HDD' ? 'HDD' : 'SSD'],
      ['Form Factor', `${d.size} in`],
      ...(d.rpm ? ([['Rotation Speed', `${d.rpm} RPM`]] as Array<[string, string]>) : []),
    ],
    description: `<p>${d.brand} ${d.family} ${tb(d.tb)} ${d.iface} ${d.size}" (${d.mpn}). SMART checked, wiped with a full overwrite pass.</p>`,
    heavy: false,
    maxQuantity: 120,
    conditions: USED_CONDITIONS,
    auctionShare: 0.12,
    focus: 'part',
    variations: (r, unit) =>
      r.chance(0.15)
        ? {
            name: 'Tray',
            values: [
              { label: 'No Tray', price: unit },
              { label: 'With Tray', price: cents(unit + 6) },
            ],
          }
        : null,
  };
}

function draftPsu(rng: Rng): Draft {
  const p = rng.pick(PSUS);
  const title = rng.pick([
    `${p.brand} ${p.pn} ${p.watts}W Power Supply ${p.efficiency} ${p.fits}`,
    `${p.brand} ${p.watts}W PSU ${p.altPn ?? p.pn} for ${p.fits}`,
    cap(
      `${p.altPn ?? p.pn} ${p.brand} ${p.watts}W ${p.efficiency} Hot Swap Power Supply`,
      rng,
      0.2,
    ),
  ]);
  return {
    category: 'psu',
    brand: p.brand,
    title,
    value: p.price,
    specifics: [
      ['Brand', p.brand],
      ['MPN', p.pn],
      ...(p.altPn ? ([['Spare Part Number', p.altPn]] as Array<[string, string]>) : []),
      ['Maximum Power', `${p.watts} W`],
      ['Efficiency', p.efficiency],
      ['Compatible Model', p.fits],
      ['Type', 'Server Power Supply'],
    ],
    description: `<p>${p.brand} ${p.pn} ${p.watts}W hot-plug power supply. Fits ${p.fits}.</p>`,
    heavy: false,
    maxQuantity: 80,
    conditions: USED_CONDITIONS,
    auctionShare: 0.1,
    focus: 'part',
  };
}

function draftCpu(rng: Rng): Draft {
  const c = rng.pick(CPUS);
  const pair = !c.singleSocket && rng.chance(0.25);
  const base =
    c.vendor === 'AMD'
      ? `AMD ${c.name} ${c.cores}-Core ${c.ghz}GHz SP3 Processor ${c.code}`
      : rng.pick([
          `Intel Xeon ${c.name} ${c.code} ${c.ghz}GHz ${c.cores}-Core CPU Processor`,
          `${c.code} Intel Xeon ${c.name} ${c.cores}C ${c.ghz}GHz Server CPU`,
          `Intel Xeon ${c.name} ${c.ghz}GHz ${c.cores} Core ${c.family.startsWith('v') ? 'LGA2011-3' : 'LGA3647'} CPU ${c.code}`,
        ]);
  return {
    category: 'cpu',
    brand: c.vendor,
    title: pair ? `MATCHED PAIR 2x ${base}` : base,
    value: c.price * (pair ? 2 : 1),
    specifics: [
      ['Brand', c.vendor],
      ['Processor Model', `${c.vendor === 'Intel' ? 'Xeon ' : ''}${c.name}`],
      ['Number of Cores', String(c.cores)],
      ['Clock Speed', `${c.ghz} GHz`],
      [c.vendor === 'Intel' ? 'S-Spec' : 'Part Number', c.code],
      [
        'Socket Type',
        c.vendor === 'AMD'
          ? 'Socket SP3'
          : c.family.startsWith('v')
            ? 'LGA 2011-3'
            : c.family === 'sp3'
              ? 'LGA 4189'
              : 'LGA 3647',
      ],
      ['Quantity', pair ? '2' : '1'],
    ],
    description: `<p>${pair ? 'Two' : 'One'} ${c.vendor} ${c.name} (${c.code}), ${c.cores} cores at ${c.ghz}GHz. Pulled from working servers.</p>`,
    heavy: false,
    maxQuantity: 40,
    conditions: USED_CONDITIONS,
    auctionShare: 0.15,
    focus: 'part',
  };
}

function draftSimple(rng: Rng, kind: ItemCategory): Draft {
  const choices = SIMPLE_PARTS.filter((p) => p.kind === kind);
  const p = rng.pick(choices.length > 0 ? choices : SIMPLE_PARTS);
  const title = rng.pick([
    `${p.brand} ${p.name} ${p.pn}`,
    `${p.pn} ${p.brand} ${p.name}`,
    `${p.brand} ${p.pn} ${p.name} ${p.fits}`,
    cap(`${p.name} ${p.pn} ${p.brand} OEM`, rng, 0.3),
  ]);
  return {
    category: kind,
    brand: p.brand,
    title,
    value: p.price,
    specifics: [['Brand', p.brand], ['MPN', p.pn], ['Compatible Model', p.fits], ...p.specifics],
    description: `<p>${p.brand} ${p.name} (${p.pn}). Compatible with ${p.fits}.</p>`,
    heavy: false,
    maxQuantity: kind === 'caddy' ? 300 : 60,
    conditions: USED_CONDITIONS,
    auctionShare: 0.08,
    focus: 'part',
    variations: (r, unit) =>
      kind === 'caddy' && r.chance(0.4)
        ? {
            name: 'Quantity',
            values: [1, 4, 8, 12].map((n) => ({
              label: `${n} Pack`,
              price: cents(unit * n * (n > 1 ? 0.85 : 1)),
            })),
          }
        : null,
  };
}
