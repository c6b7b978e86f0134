import { z } from 'zod';
import { formatZodIssues, type RawListing } from '../src/listings/raw-listing';
import { ParseError, ScraperConfigError } from './errors';
import { assertDomNotBlocked } from './lib/blocked';
import {
  absoluteUrl,
  cleanText,
  loadHtml,
  textWithout,
  withDocument,
  type Cheerio,
  type CheerioAPI,
  type AnyNode,
} from './lib/html';
import { firstIn, queryAll, queryFirst } from './lib/select';
import { finalizeListings, summarizeSkipped, type Skipped } from './lib/page';
import { analyzePrice, parseShipping, type PriceHint } from './lib/price';
import type { ParseContext, ParsedPage, Scraper, ScraperSource } from './types';

/**
 * A configurable scraper for shops without a dedicated parser: `source.config` names the CSS
 * selectors. Selectors other than `card` and `nextPage` are relative to each card.
 *
 * Example (LDLC): { card: 'li.pdt-item', title: '.title-3', price: '.price', url: '.title-3 a',
 *   idAttribute: 'data-id', currency: 'EUR' }
 */

const selector = z.string().trim().min(1, 'must be a non-empty CSS selector');

export const cssConfigSchema = z
  .object({
    /** One element per listing. */
    card: selector,
    title: selector,
    price: selector,
    /** Link element (its href) inside the card. */
    url: selector,
    /** Element holding the id (with idAttribute), else the id comes from the card or the URL. */
    id: selector.optional(),
    /** Attribute with the id: on `id`'s element when given, else on the card. */
    idAttribute: z.string().trim().min(1).optional(),
    /** Link to the next page (href). */
    nextPage: selector.optional(),
    condition: selector.optional(),
    /** Regex with one capture group read from the title, e.g. "·\\s*(Occasion|Reconditionné)$". */
    conditionPattern: z.string().min(1).optional(),
    shipping: selector.optional(),
    image: selector.optional(),
    description: selector.optional(),
    /** Extra facts: attribute name -> selector inside the card (stock, specs line...). */
    attributes: z.record(z.string().min(1), selector).optional(),
    /** Page currency (ISO 4217) when prices show no symbol. */
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .optional(),
    decimalSeparator: z.enum(['.', ',']).optional(),
    /** Element present on every results page, even an empty one (tells "no results" from "broken"). */
    container: selector.optional(),
    /** Element present only on an honest "no results" page. */
    noResults: selector.optional(),
    /** Search URL template for firstPageUrl, with "{query}" where the phrase goes. */
    searchUrl: z.string().includes('{query}').optional(),
  })
  .strict();

export type CssConfig = z.infer<typeof cssConfigSchema>;

/** Validates a css source config, including that every selector compiles. */
export function parseCssConfig(config: unknown, sourceName = 'css source'): CssConfig {
  const result = cssConfigSchema.safeParse(config);
  if (!result.success) {
    throw new ScraperConfigError(`${sourceName}: invalid config: ${formatZodIssues(result.error)}`);
  }
  const parsed = result.data;
  if (parsed.conditionPattern) {
    try {
      new RegExp(parsed.conditionPattern, 'iu');
    } catch (error) {
      throw new ScraperConfigError(
        `${sourceName}: invalid config: conditionPattern: ${(error as Error).message}`,
      );
    }
  }
  const probe = loadHtml('<div></div>');
  const selectors: Array<[string, string | undefined]> = [
    ['card', parsed.card],
    ['title', parsed.title],
    ['price', parsed.price],
    ['url', parsed.url],
    ['id', parsed.id],
    ['nextPage', parsed.nextPage],
    ['condition', parsed.condition],
    ['shipping', parsed.shipping],
    ['image', parsed.image],
    ['description', parsed.description],
    ['container', parsed.container],
    ['noResults', parsed.noResults],
    ...Object.entries(parsed.attributes ?? {}).map(([k, v]): [string, string] => [
      `attributes.${k}`,
      v,
    ]),
  ];
  for (const [name, value] of selectors) {
    if (value === undefined) continue;
    try {
      probe(value);
    } catch (error) {
      throw new ScraperConfigError(
        `${sourceName}: invalid config: ${name}: "${value}" is not a valid CSS selector (${(error as Error).message})`,
      );
    }
  }
  return parsed;
}

export function cssFirstPageUrl(source: ScraperSource, query: string): string {
  const trimmed = query.trim();
  if (/^https?:\/\//i.test(trimmed)) return trimmed;
  const template = source.config.searchUrl;
  if (typeof template === 'string' && template.includes('{query}')) {
    return template.replace('{query}', encodeURIComponent(trimmed));
  }
  if (!source.baseUrl) {
    throw new ScraperConfigError(
      `css source "${source.name}": the query must be a URL, or set config.searchUrl ("...{query}...") or baseUrl`,
    );
  }
  return new URL(trimmed, source.baseUrl).toString();
}

export function parseCssPage(body: string, ctx: ParseContext): ParsedPage {
  const config = parseCssConfig(ctx.source.config, `css source "${ctx.source.name}"`);
  return withDocument(body, ($) => readCssPage($, config, ctx));
}

function readCssPage($: CheerioAPI, config: CssConfig, ctx: ParseContext): ParsedPage {
  assertDomNotBlocked($, ctx.url);

  const cards = queryAll($, config.card);
  if (cards.length === 0) {
    const honestEmpty =
      (config.noResults !== undefined && queryFirst($, config.noResults).length > 0) ||
      (config.container !== undefined && queryFirst($, config.container).length > 0);
    if (!honestEmpty) {
      throw new ParseError(
        `css: no element matches card selector "${config.card}" and no container/noResults marker; markup changed?`,
        ctx.url,
      );
    }
  }

  const hint: PriceHint = {
    currency: config.currency ?? null,
    decimalSeparator: config.decimalSeparator,
  };
  const conditionRe = config.conditionPattern ? new RegExp(config.conditionPattern, 'iu') : null;
  const skipped: Skipped[] = [];
  const candidates: RawListing[] = [];
  cards.each((_i, el) => {
    const result = parseCard($, $(el), config, ctx.url, hint, conditionRe);
    if ('skip' in result) skipped.push(result.skip);
    else candidates.push(result.listing);
  });
  const { listings } = finalizeListings(candidates, skipped);
  if (cards.length >= 3 && listings.length === 0) {
    throw new ParseError(
      `css: ${cards.length} cards but none parsed (${summarizeSkipped(skipped)})`,
      ctx.url,
    );
  }
  const nextHref = config.nextPage ? queryFirst($, config.nextPage).attr('href') : null;
  const nextPageUrl = absoluteUrl(nextHref, ctx.url);
  return {
    listings,
    nextPageUrl: nextPageUrl && nextPageUrl !== ctx.url ? nextPageUrl : null,
    totalResults: null,
    skipped,
  };
}

type CardResult = { listing: RawListing } | { skip: Skipped };

function parseCard(
  $: CheerioAPI,
  card: Cheerio<AnyNode>,
  config: CssConfig,
  base: string,
  hint: PriceHint,
  conditionRe: RegExp | null,
): CardResult {
  const pick = (sel: string | undefined): string | null => {
    if (!sel) return null;
    const el = firstIn($, card, sel);
    if (el.length === 0) return null;
    const text = textWithout($, el);
    return text === '' ? null : text;
  };
  const title = pick(config.title);
  const linkEl = firstIn($, card, config.url);
  const href = linkEl.attr('href') ?? firstIn($, linkEl, 'a[href]').attr('href') ?? null;
  const url = absoluteUrl(href, base);
  if (!title)
    return { skip: { reason: 'no-title', detail: url ?? cleanText(card.text()).slice(0, 60) } };

  const externalId = cardId($, card, config, url);
  if (!externalId) return { skip: { reason: 'no-id', detail: title } };

  const priceAnalysis = analyzePrice(pick(config.price), hint);
  const price = priceAnalysis.price;
  const currency = price ? price.currency : (hint.currency ?? null);
  const shippingText = pick(config.shipping);
  const shipping = shippingText
    ? parseShipping(shippingText, { ...hint, currency, listingCurrency: currency })
    : null;
  const attributes: Record<string, string> = {};
  for (const [key, sel] of Object.entries(config.attributes ?? {})) {
    const value = pick(sel);
    if (value) attributes[key] = value;
  }
  const condition = pick(config.condition) ?? (conditionRe?.exec(title)?.[1]?.trim() || null);
  const imageEl = firstIn($, card, config.image ? config.image : 'img');
  const imageSrc = imageEl.attr('data-src') ?? imageEl.attr('src') ?? null;

  return {
    listing: {
      externalId,
      title,
      url,
      price: price?.amount ?? null,
      priceMax: price?.amountMax ?? null,
      currency,
      shipping: shipping?.amount ?? null,
      condition,
      buyingFormat: price?.amount !== null && price?.amount !== undefined ? 'fixed_price' : null,
      status: 'active',
      imageUrl: imageSrc && !imageSrc.startsWith('data:') ? absoluteUrl(imageSrc, base) : null,
      attributes: Object.keys(attributes).length > 0 ? attributes : null,
      description: pick(config.description),
    },
  };
}

function cardId(
  $: CheerioAPI,
  card: Cheerio<AnyNode>,
  config: CssConfig,
  url: string | null,
): string | null {
  if (config.id || config.idAttribute) {
    const el = config.id ? firstIn($, card, config.id) : card;
    const value = config.idAttribute ? el.attr(config.idAttribute) : cleanText(el.text());
    if (value && value.trim() !== '') return value.trim();
  }
  if (!url) return null;
  // The last path segment without its extension: /fiche/PB00686242.html -> PB00686242.
  try {
    const parsed = new URL(url);
    const segment = parsed.pathname.split('/').filter(Boolean).pop();
    const id = segment?.replace(/\.[a-z0-9]{2,5}$/i, '');
    return id ? decodeURIComponent(id) : null;
  } catch {
    return null;
  }
}

export const cssScraper: Scraper = {
  kind: 'css',
  transport: 'browser',
  firstPageUrl: cssFirstPageUrl,
  parse: parseCssPage,
};
