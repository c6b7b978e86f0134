import { z } from 'zod';
import type { RawListing } from '../src/listings/raw-listing';
import { ParseError, ScraperConfigError } from './errors';
import { assertNotBlocked } from './lib/blocked';
import { cleanText, withDocument, type AnyNode, type CheerioAPI } from './lib/html';
import { finalizeListings, type Skipped } from './lib/page';
import type { ParseContext, ParsedPage, Scraper, ScraperSource } from './types';

/**
 * Shopify storefronts through the public `/products.json?page=N` endpoint (or
 * `/collections/<handle>/products.json`). Each variant is one listing.
 */

const PAGE_SIZE = 250;

const idSchema = z
  .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
  .transform(String);
const moneySchema = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => {
    if (v === null || v === undefined || v === '') return null;
    const n = typeof v === 'number' ? v : Number(v.replace(',', '.'));
    return Number.isFinite(n) && n >= 0 ? n : null;
  });

const variantSchema = z.object({
  id: idSchema,
  title: z.string().nullish(),
  price: moneySchema,
  compare_at_price: moneySchema,
  available: z.boolean().nullish(),
  sku: z.string().nullish(),
  inventory_quantity: z.number().int().nullish(),
  option1: z.string().nullish(),
  option2: z.string().nullish(),
  option3: z.string().nullish(),
  grams: z.number().nullish(),
  featured_image: z.object({ src: z.string() }).nullish(),
});

const productSchema = z.object({
  id: idSchema,
  title: z.string(),
  handle: z.string().min(1),
  body_html: z.string().nullish(),
  vendor: z.string().nullish(),
  product_type: z.string().nullish(),
  // Storefront JSON gives an array; the admin API and old themes a comma-separated string.
  tags: z.union([z.array(z.string()), z.string()]).nullish(),
  variants: z.array(z.unknown()),
  images: z.array(z.object({ src: z.string() }).loose()).nullish(),
  options: z
    .array(z.object({ name: z.string(), values: z.array(z.string()).nullish() }).loose())
    .nullish(),
});

const pageSchema = z.object({ products: z.array(z.unknown()) });

const CONDITION_KEY_RE = /^(?:condition|zustand|état|etat|condizione|estado|grade)$/i;

export function shopifyFirstPageUrl(source: ScraperSource, query: string): string {
  if (!source.baseUrl) {
    throw new ScraperConfigError(
      `shopify source "${source.name}" needs a baseUrl (the shop origin)`,
    );
  }
  const base = source.baseUrl.replace(/\/+$/, '');
  const collection = query.trim();
  const path =
    collection === '' || collection === 'all'
      ? '/products.json'
      : `/collections/${encodeURIComponent(collection)}/products.json`;
  const url = new URL(`${base}${path}`);
  url.searchParams.set('limit', String(PAGE_SIZE));
  url.searchParams.set('page', '1');
  return url.toString();
}

export function parseShopifyProducts(body: string, ctx: ParseContext): ParsedPage {
  const trimmed = body.trimStart();
  if (!trimmed.startsWith('{')) {
    assertNotBlocked(body, ctx.url);
    throw new ParseError(
      'shopify: expected products.json (a JSON object), got other content',
      ctx.url,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new ParseError('shopify: products.json is not valid JSON (truncated?)', ctx.url, {
      cause: error,
    });
  }
  const page = pageSchema.safeParse(json);
  if (!page.success) throw new ParseError('shopify: JSON has no "products" array', ctx.url);

  const currency = shopCurrency(ctx.source);
  const origin = shopOrigin(ctx);
  const skipped: Skipped[] = [];
  const candidates: RawListing[] = [];
  for (const raw of page.data.products) {
    const parsed = productSchema.safeParse(raw);
    if (!parsed.success) {
      skipped.push({ reason: 'invalid-product', detail: describeProduct(raw) });
      continue;
    }
    const product = parsed.data;
    for (const rawVariant of product.variants) {
      const variant = variantSchema.safeParse(rawVariant);
      if (!variant.success) {
        skipped.push({ reason: 'invalid-variant', detail: `product ${product.id}` });
        continue;
      }
      candidates.push(variantListing(product, variant.data, currency, origin));
    }
  }
  const { listings } = finalizeListings(candidates, skipped);
  return {
    listings,
    nextPageUrl: page.data.products.length > 0 ? pageUrl(ctx.url, 1) : null,
    totalResults: null,
    skipped,
  };
}

type Product = z.infer<typeof productSchema>;
type Variant = z.infer<typeof variantSchema>;

function variantListing(
  product: Product,
  variant: Variant,
  currency: string,
  origin: string,
): RawListing {
  const variantTitle = cleanText(variant.title);
  const title =
    variantTitle === '' || /^default title$/i.test(variantTitle)
      ? cleanText(product.title)
      : `${cleanText(product.title)} - ${variantTitle}`;

  const attributes: Record<string, string> = {};
  if (product.vendor) attributes.vendor = cleanText(product.vendor);
  if (product.product_type) attributes.productType = cleanText(product.product_type);
  const tags = Array.isArray(product.tags)
    ? product.tags
    : (product.tags ?? '').split(',').map((t) => t.trim());
  if (tags.filter(Boolean).length > 0) attributes.tags = tags.filter(Boolean).join(', ');
  const optionValues = [variant.option1, variant.option2, variant.option3];
  (product.options ?? []).forEach((option, i) => {
    const value = optionValues[i];
    if (value && !/^default title$/i.test(value) && option.name !== 'Title') {
      attributes[cleanText(option.name)] = cleanText(value);
    }
  });
  if (variant.sku) attributes.sku = cleanText(variant.sku);
  if (variant.available !== null && variant.available !== undefined) {
    attributes.available = String(variant.available);
  }
  if (variant.compare_at_price !== null)
    attributes.compareAtPrice = String(variant.compare_at_price);

  const conditionKey = Object.keys(attributes).find((k) => CONDITION_KEY_RE.test(k));
  const conditionTag = tags
    .map((t) => /^(?:condition|zustand)\s*[:_-]\s*(.+)$/i.exec(t)?.[1])
    .find(Boolean);
  const quantity =
    typeof variant.inventory_quantity === 'number'
      ? Math.max(0, variant.inventory_quantity)
      : variant.available === false
        ? 0
        : null;

  return {
    externalId: `${product.id}:${variant.id}`,
    title,
    url: `${origin}/products/${encodeURIComponent(product.handle)}?variant=${variant.id}`,
    price: variant.price,
    priceMax: null,
    currency,
    shipping: null,
    condition: (conditionKey ? attributes[conditionKey] : null) ?? conditionTag ?? null,
    buyingFormat: 'fixed_price',
    quantityAvailable: quantity,
    status: 'active',
    imageUrl: absoluteImage(variant.featured_image?.src ?? product.images?.[0]?.src ?? null),
    attributes,
    description: htmlToText(product.body_html),
  };
}

/** Elements whose content htmlToText puts on lines of its own. */
const LINE_SELECTOR = 'p, div, li, tr, h1, h2, h3, h4, h5, h6, table, ul, ol';

/** body_html as readable text: block elements become line breaks, entities decoded. */
export function htmlToText(html: string | null | undefined): string | null {
  if (!html || html.trim() === '') return null;
  const text = withDocument(`<div id="root">${html}</div>`, readLines)
    .split('\n')
    .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
  return text === '' ? null : text.slice(0, 20000);
}

function readLines($: CheerioAPI): string {
  const root = $('#root');
  // One walk collects the text. Editing the tree instead (prepend('\n') and append('\n') on
  // every block, then .text()) made cheerio parse each inserted string as an HTML fragment.
  const marks: LineMarks = {
    removed: new Set(root.find('script, style').toArray()),
    breaks: new Set(root.find('br').toArray()),
    lines: new Set(root.find(LINE_SELECTOR).toArray()),
    cells: new Set(root.find('td, th').toArray()),
  };
  const parts: string[] = [];
  for (const el of root.toArray()) collectLines(el, true, marks, parts);
  return parts.join('');
}

interface LineMarks {
  removed: ReadonlySet<AnyNode>;
  breaks: ReadonlySet<AnyNode>;
  lines: ReadonlySet<AnyNode>;
  cells: ReadonlySet<AnyNode>;
}

/**
 * The text `.text()` gives once scripts and styles are removed, every <br> is a line break,
 * blocks are wrapped in line breaks and cells followed by a space. A root keeps its own content
 * (a selection still holds an element removed from its parent).
 */
function collectLines(node: AnyNode, isRoot: boolean, marks: LineMarks, parts: string[]): void {
  if (node.nodeType === 3) {
    parts.push(node.data);
    return;
  }
  if (!('children' in node)) return; // comments, processing instructions
  if (!isRoot && marks.removed.has(node)) return;
  if (!isRoot && marks.breaks.has(node)) {
    parts.push('\n');
    return;
  }
  const line = marks.lines.has(node);
  if (line) parts.push('\n');
  for (const child of node.children) collectLines(child, false, marks, parts);
  if (line) parts.push('\n');
  if (marks.cells.has(node)) parts.push(' ');
}

function absoluteImage(src: string | null): string | null {
  if (!src) return null;
  return src.startsWith('//') ? `https:${src}` : src;
}

function shopCurrency(source: ScraperSource): string {
  const configured = source.config.currency;
  if (configured === undefined || configured === null) return 'USD';
  if (typeof configured !== 'string' || !/^[A-Z]{3}$/.test(configured)) {
    throw new ScraperConfigError(
      `shopify source "${source.name}": config.currency must be an ISO 4217 code such as "EUR"`,
    );
  }
  return configured;
}

function shopOrigin(ctx: ParseContext): string {
  for (const candidate of [ctx.source.baseUrl, ctx.url]) {
    if (!candidate) continue;
    try {
      return new URL(candidate).origin;
    } catch {
      // try the next one
    }
  }
  throw new ParseError('shopify: cannot tell the shop origin from baseUrl or page URL', ctx.url);
}

/** The same products.json URL with page advanced by `delta` (page defaults to 1). */
function pageUrl(current: string, delta: number): string {
  const url = new URL(current);
  const page = Number(url.searchParams.get('page') ?? '1');
  url.searchParams.set('page', String((Number.isInteger(page) && page > 0 ? page : 1) + delta));
  return url.toString();
}

function describeProduct(raw: unknown): string {
  if (raw && typeof raw === 'object' && 'id' in raw) {
    const id = raw.id;
    if (typeof id === 'string' || typeof id === 'number') return `product ${id}`;
  }
  return 'product without id';
}

export const shopifyScraper: Scraper = {
  kind: 'shopify',
  transport: 'http',
  firstPageUrl: shopifyFirstPageUrl,
  parse: parseShopifyProducts,
};
