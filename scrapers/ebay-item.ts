import type { RawListing } from '../src/listings/raw-listing';
import { ParseError, ScraperConfigError } from './errors';
import { assertDomNotBlocked } from './lib/blocked';
import {
  canonicalItemUrl,
  EBAY_DEFAULT_BASE_URL,
  ebayItemIdFromUrl,
  ebaySiteCurrency,
} from './lib/ebay';
import {
  absoluteUrl,
  cleanText,
  firstInteger,
  textSkipping,
  textWithout,
  withDocument,
  type Cheerio,
  type CheerioAPI,
  type AnyNode,
} from './lib/html';
import { finalizeListings, type Skipped } from './lib/page';
import { analyzePrice, parseShipping } from './lib/price';
import type { ParseContext, ParsedPage, Scraper, ScraperSource } from './types';

/**
 * eBay item page ("View Item"), 2022+ markup (`x-item-title`, `x-price-primary`,
 * `ux-labels-values` item specifics) with fallbacks for the older `#itemTitle`/`#prcIsum` page.
 * Item specifics are kept as key/value attributes in the page's own language.
 */

const TITLE_SELECTORS = [
  'h1.x-item-title__mainTitle',
  '.x-item-title h1',
  '#itemTitle',
  'h1[itemprop="name"]',
];
const STATUS_SELECTORS =
  '.d-statusmessage, .x-alert, .ux-message, .vi-notify-new-bg-wrapper, #msgPanel, .vi-ended, .x-item-status, .statusMessage';
const SOLD_STATUS_RE =
  /this (?:listing|item) (?:was )?sold|(?:^|\s)sold on\b|winning bid|artikel wurde verkauft|verkauft am|objet vendu|vendu le|oggetto venduto|artículo vendido/i;
const ENDED_STATUS_RE =
  /(?:this listing|bidding) (?:was ended|has ended|ended)|listing (?:has )?ended|no longer available|angebot (?:wurde )?beendet|dieses angebot ist beendet|annonce (?:est )?terminée|enchère terminée|inserzione (?:è )?terminata|anuncio (?:ha )?finalizado/i;
const LOCATION_RE =
  /^(?:located in|item location|standort|artikelstandort|situé à|lieu où se trouve l'objet|si trova a|ubicado en|ubicación)\s*:?\s*(.+)$/i;
const QTY_RE =
  /(\d[\d.,]*)\s*(?:available|verfügbar|disponibles?|disponibili|beschikbaar|dostępn)/i;
const LAST_ONE_RE =
  /\b(?:last one|only one left|letzter artikel|dernier article|ultimo disponibile|último disponible)\b/i;

export function ebayItemFirstPageUrl(source: ScraperSource, query: string): string {
  const trimmed = query.trim();
  const base = (source.baseUrl ?? EBAY_DEFAULT_BASE_URL).replace(/\/+$/, '');
  if (/^https?:\/\//i.test(trimmed)) {
    const id = ebayItemIdFromUrl(trimmed);
    return id ? canonicalItemUrl(id, trimmed) : trimmed;
  }
  if (!/^\d{9,19}$/.test(trimmed)) {
    throw new ScraperConfigError(
      `ebay-item: "${query}" is neither an eBay item id nor an item URL`,
    );
  }
  return `${base}/itm/${trimmed}`;
}

export function parseEbayItem(body: string, ctx: ParseContext): ParsedPage {
  return withDocument(body, ($) => readItemPage($, ctx));
}

function readItemPage($: CheerioAPI, ctx: ParseContext): ParsedPage {
  assertDomNotBlocked($, ctx.url);

  const titleEl = TITLE_SELECTORS.map((s) => $(s).first()).find((el) => el.length > 0);
  if (!titleEl) throw new ParseError('eBay item: no item title element; markup changed?', ctx.url);
  const title = itemTitle($, titleEl);
  const canonical =
    $('link[rel="canonical"]').attr('href') ?? $('meta[property="og:url"]').attr('content') ?? null;
  const externalId = ebayItemIdFromUrl(canonical) ?? ebayItemIdFromUrl(ctx.url);
  if (!externalId)
    throw new ParseError('eBay item: no item id in canonical URL or page URL', ctx.url);

  const configured = ctx.source.config.currency;
  const siteCurrency =
    (typeof configured === 'string' && /^[A-Z]{3}$/.test(configured) ? configured : null) ??
    ebaySiteCurrency(canonical ?? ctx.url) ??
    ebaySiteCurrency(ctx.url);

  const bidPriceText = firstText($, ['.x-bid-price .x-price-primary', '#prcIsum_bidPrice']);
  const binPriceText = firstText($, [
    '.x-bin-price .x-price-primary',
    '.x-price-primary',
    '#prcIsum',
    '#mm-saleDscPrc',
    '[itemprop="price"]',
  ]);
  const priceText = bidPriceText ?? binPriceText;
  const priceAnalysis = analyzePrice(priceText, { currency: siteCurrency });
  const price = priceAnalysis.price;
  const currency = price ? price.currency : (siteCurrency ?? null);
  const skipped: Skipped[] = [];

  const shippingText = labelValue($, [
    '.ux-labels-values--shipping',
    '#shippingSummary',
    '#fshippingCost',
  ]);
  const shipping = shippingText
    ? parseShipping(shippingText, { currency, listingCurrency: currency })
    : null;

  const attributes = itemSpecifics($);
  const condition =
    firstText($, [
      '.x-item-condition-text .ux-textspans',
      '.x-item-condition-value',
      '#vi-itm-cond',
    ]) ?? conditionFromSpecifics($);

  const bids = firstInteger(
    firstText($, ['.x-bid-count', '#qty-test', '.vi-bid-count', '#vi-VR-bid-lnk']),
  );
  const timeLeft = firstText($, [
    '.x-end-time .ux-timer__text',
    '.ux-timer__text',
    '.x-end-time',
    '#vi-cdown_timeLeft',
  ]);
  const isAuction = bidPriceText !== null || bids !== null;
  const bestOffer = $('.x-offer-action, #boBtn_btn, .x-make-offer-action').length > 0;
  const buyItNow = $('.x-bin-action, #binBtn_btn').length > 0;

  return {
    ...finalize(
      {
        externalId,
        title,
        url: canonicalItemUrl(externalId, canonical ?? ctx.url),
        price: price?.amount ?? null,
        priceMax: price?.amountMax ?? null,
        currency,
        shipping: shipping?.amount ?? null,
        condition,
        buyingFormat: isAuction
          ? 'auction'
          : buyItNow
            ? 'buy_it_now'
            : bestOffer
              ? 'best_offer'
              : null,
        bestOffer,
        bids: isAuction ? bids : null,
        timeLeft: isAuction ? timeLeft : null,
        seller: firstText($, [
          '.x-sellercard-atf__info__about-seller a .ux-textspans',
          '.x-sellercard-atf__info__about-seller a',
          '.ux-seller-section__item--seller a',
          '.mbg-nw',
        ]),
        location: itemLocation($),
        quantityAvailable: quantity($),
        status: itemStatus($),
        imageUrl: itemImage($, ctx.url),
        attributes: Object.keys(attributes).length > 0 ? attributes : null,
      },
      skipped,
    ),
    nextPageUrl: null,
    totalResults: null,
  };
}

function finalize(
  listing: RawListing,
  skipped: Skipped[],
): Pick<ParsedPage, 'listings' | 'skipped'> {
  return finalizeListings([listing], skipped);
}

function firstText($: CheerioAPI, selectors: string[]): string | null {
  for (const selector of selectors) {
    const el = $(selector).first();
    if (el.length === 0) continue;
    const text = textWithout($, el);
    if (text !== '') return text;
  }
  return null;
}

function itemTitle($: CheerioAPI, el: Cheerio<AnyNode>): string {
  const visible = textSkipping(
    $,
    el,
    '.clipped, .vi-title-detail, .u-dspn, .x-item-title__seeOriginalTitle',
  );
  // The old page prefixes "Details about".
  const text = cleanText(visible).replace(/^(?:details about|details zu|détails sur)\s+/i, '');
  // A dangling separator span ("... Founders Edition" + "-") is not part of the title.
  return text.replace(/[\s\-–—|·:]+$/u, '').trim();
}

function labelValue($: CheerioAPI, selectors: string[]): string | null {
  for (const selector of selectors) {
    const el = $(selector).first();
    if (el.length === 0) continue;
    const values = el.find('.ux-labels-values__values').first();
    const text = textWithout($, values.length > 0 ? values : el, '.clipped, button, script, style');
    if (text !== '') return text;
  }
  return null;
}

/** Item specifics as label -> value, in the page's language. */
function itemSpecifics($: CheerioAPI): Record<string, string> {
  const attributes: Record<string, string> = {};
  const scopes = $(
    '.x-about-this-item, #viTabs_0_is, [data-testid="ux-layout-section-evo"], .ux-layout-section-evo',
  );
  const scope: Cheerio<AnyNode> = scopes.length > 0 ? scopes : $.root();
  const rows = scope.find('.ux-labels-values, dl.ux-labels-values');
  rows.each((_i, el) => {
    const row = $(el);
    const label = cleanText(row.find('.ux-labels-values__labels').first().text()).replace(
      /\s*:$/,
      '',
    );
    const valueEl = row.find('.ux-labels-values__values').first();
    if (label === '' || valueEl.length === 0) return;
    let value = textWithout(
      $,
      valueEl,
      '.clipped, button, .hide, [aria-hidden="true"], .ux-expandable-textual-display-block-inline__control, script, style',
    );
    if (row.is('[class*="--condition"]')) value = value.split(/:\s/)[0] ?? value;
    value = value.replace(/\s*\.\.\.$/, '').trim();
    if (value !== '' && !(label in attributes)) attributes[label] = value;
  });
  // The pre-2022 page: <div class="itemAttr"><table><td class="attrLabels">Brand:</td><td>..</td>
  $('.itemAttr td.attrLabels').each((_i, el) => {
    const label = cleanText($(el).text()).replace(/\s*:$/, '');
    const value = cleanText($(el).next('td').text());
    if (label !== '' && value !== '' && !(label in attributes)) attributes[label] = value;
  });
  return attributes;
}

function conditionFromSpecifics($: CheerioAPI): string | null {
  const row = $('.ux-labels-values--condition').first();
  if (row.length === 0) return null;
  const value = textWithout(
    $,
    row.find('.ux-labels-values__values').first(),
    '.clipped, button, .hide',
  );
  return value.split(/:\s/)[0]?.trim() || null;
}

function itemLocation($: CheerioAPI): string | null {
  let location: string | null = null;
  $('.ux-textspans, #itemLocation, .ux-labels-values--itemLocation, .vi-wp-loc').each((_i, el) => {
    if (location !== null) return;
    const match = LOCATION_RE.exec(cleanText($(el).text()));
    if (match?.[1]) location = cleanText(match[1]);
  });
  return location;
}

function quantity($: CheerioAPI): number | null {
  const text = firstText($, [
    '#qtyAvailability',
    '.x-quantity__availability',
    '.d-quantity__availability',
    '#qtySubTxt',
  ]);
  if (!text) return null;
  if (LAST_ONE_RE.test(text)) return 1;
  const match = QTY_RE.exec(text);
  // "More than 10 available" gives the lower bound 10.
  return match?.[1] ? firstInteger(match[1]) : null;
}

function itemStatus($: CheerioAPI): RawListing['status'] {
  const text = $(STATUS_SELECTORS)
    .map((_i, el) => cleanText($(el).text()))
    .get()
    .join(' | ');
  if (SOLD_STATUS_RE.test(text)) return 'sold';
  if (ENDED_STATUS_RE.test(text)) return 'ended';
  return 'active';
}

function itemImage($: CheerioAPI, base: string): string | null {
  const img = $('.ux-image-carousel-item img, #icImg, .x-photos-min-view img').first();
  const candidates = [
    img.attr('data-zoom-src'),
    img.attr('src'),
    $('meta[property="og:image"]').attr('content'),
  ];
  for (const value of candidates) {
    if (value && /^https?:|^\/\//.test(value)) return absoluteUrl(value, base);
  }
  return null;
}

export const ebayItemScraper: Scraper = {
  kind: 'ebay-item',
  transport: 'browser',
  firstPageUrl: ebayItemFirstPageUrl,
  parse: parseEbayItem,
};
