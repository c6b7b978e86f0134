import type { RawListing } from '../src/listings/raw-listing';
import { ParseError } from './errors';
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
  textWithout,
  withDocument,
  type Cheerio,
  type CheerioAPI,
  type AnyNode,
} from './lib/html';
import { findIn, firstIn, hasAncestor, nodeIs, queryAll, queryFirst } from './lib/select';
import { finalizeListings, summarizeSkipped, type Skipped } from './lib/page';
import { analyzePrice, parseShipping, type PriceHint } from './lib/price';
import type { ParseContext, ParsedPage, Scraper, ScraperSource } from './types';

/**
 * eBay search results, both card generations:
 * - `li.s-item` (to 2025): `.s-item__title`, `.s-item__price`, `.s-item__shipping`, ...
 * - `li.s-card[data-listingid]` (2025+): `.s-card__title`, `.s-card__price`, and unlabelled
 *   `.s-card__attribute-row` rows recognised by their text ("+$32.51 delivery", "Buy It Now").
 * A page may mix both (placeholder s-items hide inside s-card pages).
 */

const CARD_SELECTOR = 'li.s-item, li.s-card, div.s-card[data-listingid]';
/** Modules that hold cards which are not results of this query (rails, carousels, ads). */
const FOREIGN_CONTAINERS =
  '.srp-river-answer, .srp-merch__items-list, .srp-rail__left, .srp-main-right, .s-answer-region';
const RESULT_CONTAINERS =
  '#srp-river-results, ul.srp-results, .srp-results, #srp-river-main, .srp-river-main';
/** "No exact matches found" pages still carry the river; these mark them explicitly. */
const NO_RESULTS =
  '.srp-save-null-search, .srp-null-search, .s-message--NO_RESULTS, .srp-river-answer--NO_RESULTS';
/** Divider after which eBay lists "results matching fewer words": not matches of the query. */
const REWRITE_DIVIDER = '.srp-river-answer--REWRITE_START';

const NEW_LISTING_PREFIX_RE =
  /^(?:new listing|neues angebot|nouvelle annonce|nuovo annuncio|nuevo anuncio|nieuwe advertentie|nowa oferta|nytt objekt)\s*/i;
const SCREEN_READER_SUFFIX_RE =
  /\s*(?:opens in a new window or tab|wird in neuem fenster oder tab geöffnet|s'ouvre dans une nouvelle fenêtre ou un nouvel onglet|se abre en una nueva ventana o pestaña|si apre in una nuova finestra o scheda|wordt geopend in een nieuw venster of tabblad|otwiera się w nowym oknie lub na nowej karcie)\s*$/i;
const PLACEHOLDER_TITLE_RE =
  /^(?:shop on ebay|bei ebay einkaufen|acheter sur ebay|compra su ebay)$/i;
/** Placeholder cards link to a fake item. */
const PLACEHOLDER_ID = '123456';

const BIN_RE =
  /\b(?:buy it now|sofort-kaufen|achat immédiat|compralo subito|cómpralo ya|direct kopen|kup teraz|köp nu)\b/i;
const BEST_OFFER_RE =
  /\b(?:or best offer|best offer accepted|preisvorschlag|offre directe|ou offre|proposta d'acquisto|o mejor oferta|of bod|lub najlepsza oferta)\b/i;
const BIDS_RE =
  /^(\d[\d.,]*)\s*(?:bids?|gebote?|enchères?|offerte?|pujas?|biedingen?|ofert[ay]?)\b/i;
const TIME_LEFT_RE =
  /(?:\b\d+\s*[dhms]\b.*\b(?:left|übrig)|\bnoch\s+\d|\btime left\b|\bverbleibend|\brestant|\bmancano|\bquedan)/i;
const SHIPPING_RE =
  /(?:shipping|delivery|postage|versand|lieferung|livraison|envío|envio|spedizione|verzending|wysyłka|frete)/i;
const LOCATION_RE =
  /^(?:located in|from|aus|de|da|desde|uit|z|situé en|lieu où se trouve l'objet\s*:?|standort\s*:?)\s+(.{2,80})$/i;
const SELLER_RE = /^(\S{2,64})\s+\(([\d.,]+[kKm]?)\)\s+([\d.,]+)\s*%/;
const SOLD_RE = /^(?:sold|verkauft|vendu|venduto|vendido|verkocht|sprzedane)\b/i;
const ENDED_RE = /^(?:ended|beendet|terminé|terminata|finalizado|beëindigd|zakończon)/i;

export function ebaySearchFirstPageUrl(source: ScraperSource, query: string): string {
  const base = (source.baseUrl ?? EBAY_DEFAULT_BASE_URL).replace(/\/+$/, '');
  const url = new URL(`${base}/sch/i.html`);
  url.searchParams.set('_nkw', query.trim());
  return url.toString();
}

export function parseEbaySearch(body: string, ctx: ParseContext): ParsedPage {
  return withDocument(body, ($) => readSearchPage($, ctx));
}

function readSearchPage($: CheerioAPI, ctx: ParseContext): ParsedPage {
  assertDomNotBlocked($, ctx.url);

  const currency = pageCurrency($, ctx);
  const hint: PriceHint = { currency };
  const hasContainer = queryFirst($, RESULT_CONTAINERS).length > 0;
  const explicitNoResults = queryFirst($, NO_RESULTS).length > 0;
  const river: Cheerio<AnyNode> = queryFirst($, '#srp-river-main');
  const scope: Cheerio<AnyNode> = river.length > 0 ? river : $.root();

  const skipped: Skipped[] = [];
  const candidates: RawListing[] = [];
  let cardCount = 0;
  let failedCards = 0;
  let afterRewrite = false;
  findIn($, scope, `${CARD_SELECTOR}, ${REWRITE_DIVIDER}`).each((_i, el) => {
    if (nodeIs($, el, REWRITE_DIVIDER)) {
      afterRewrite = true;
      return;
    }
    if (hasAncestor($, el, FOREIGN_CONTAINERS)) return;
    if (hasAncestor($, el, CARD_SELECTOR)) return; // nested markup, counted via the outer card
    cardCount += 1;
    const result = parseCard($, $(el), ctx, hint);
    if ('skip' in result) {
      skipped.push(result.skip);
      if (result.skip.reason !== 'placeholder') failedCards += 1;
      return;
    }
    if (afterRewrite) {
      skipped.push({ reason: 'fewer-words-match', detail: result.listing.externalId });
      return;
    }
    candidates.push(result.listing);
  });

  if (cardCount === 0 && !hasContainer && !explicitNoResults) {
    throw new ParseError(
      'eBay search: no result list and no cards found; markup changed?',
      ctx.url,
    );
  }
  const { listings } = finalizeListings(candidates, skipped);
  const realCards = cardCount - skipped.filter((s) => s.reason === 'placeholder').length;
  if (realCards >= 3 && listings.length === 0 && failedCards === realCards) {
    throw new ParseError(
      `eBay search: ${realCards} cards but none parsed (${summarizeSkipped(skipped)})`,
      ctx.url,
    );
  }
  return {
    listings,
    nextPageUrl: nextPage($, ctx.url),
    totalResults: firstInteger(
      queryFirst(
        $,
        '.srp-controls__count-heading, .srp-controls__count, h1.srp-controls__count-heading',
      ).text(),
    ),
    skipped,
  };
}

function pageCurrency($: CheerioAPI, ctx: ParseContext): string | null {
  const configured = ctx.source.config.currency;
  if (typeof configured === 'string' && /^[A-Z]{3}$/.test(configured)) return configured;
  return (
    ebaySiteCurrency(ctx.url) ??
    ebaySiteCurrency(queryFirst($, 'link[rel="canonical"]').attr('href')) ??
    ebaySiteCurrency(ctx.source.baseUrl) ??
    null
  );
}

type CardResult = { listing: RawListing } | { skip: Skipped };

function parseCard(
  $: CheerioAPI,
  card: Cheerio<AnyNode>,
  ctx: ParseContext,
  hint: PriceHint,
): CardResult {
  const isSCard = nodeIs($, card[0]!, '.s-card');
  const title = cardTitle($, card);
  const href = findIn(
    $,
    card,
    'a.s-item__link, a.s-card__link, .su-card-container__header a, a[href*="/itm/"]',
  )
    .filter((_i, a) => /\/itm\//.test($(a).attr('href') ?? ''))
    .first()
    .attr('href');
  const linkId = ebayItemIdFromUrl(href);
  if (!title && !href) return { skip: { reason: 'empty-card', detail: cardHint(card) } };
  if ((title && PLACEHOLDER_TITLE_RE.test(title)) || linkId === PLACEHOLDER_ID) {
    return { skip: { reason: 'placeholder', detail: title || href } };
  }
  if (!title) return { skip: { reason: 'no-title', detail: linkId ?? cardHint(card) } };
  const dataId = card.attr('data-listingid');
  const idFromLi = /^item([0-9a-f]{6,})$/i.exec(card.attr('id') ?? '');
  const externalId =
    (dataId && /^\d{6,19}$/.test(dataId) ? dataId : null) ??
    linkId ??
    (idFromLi?.[1] ? String(parseInt(idFromLi[1], 16)) : null);
  if (!externalId) return { skip: { reason: 'no-id', detail: title } };

  const facts = isSCard ? sCardFacts($, card) : sItemFacts($, card);
  const priceResult = analyzePrice(facts.priceText, hint);
  const price = priceResult.price;
  // An unknown currency marker stays null; only a missing price falls back to the page currency.
  const currency = price ? price.currency : (hint.currency ?? null);
  const shipping = facts.shippingText
    ? parseShipping(facts.shippingText, { currency, listingCurrency: currency })
    : null;

  const allText = facts.rowTexts.join(' | ');
  const bids = facts.bidsText ? firstInteger(facts.bidsText) : null;
  const isAuction = bids !== null || facts.timeLeft !== null;
  const bestOffer = BEST_OFFER_RE.test(allText);
  const buyItNow = BIN_RE.test(allText);
  const buyingFormat: RawListing['buyingFormat'] = isAuction
    ? 'auction'
    : buyItNow
      ? 'buy_it_now'
      : bestOffer
        ? 'best_offer'
        : null;

  const url = canonicalItemUrl(externalId, absoluteUrl(href, ctx.url) ?? ctx.url);
  const listing: RawListing = {
    externalId,
    title,
    url,
    price: price?.amount ?? null,
    priceMax: price?.amountMax ?? null,
    currency,
    shipping: shipping?.amount ?? null,
    condition: facts.condition,
    buyingFormat,
    bestOffer,
    bids,
    timeLeft: facts.timeLeft,
    seller: facts.seller,
    location: facts.location,
    status: facts.status,
    imageUrl: cardImage($, card, ctx.url),
  };
  return { listing };
}

function cardHint(card: Cheerio<AnyNode>): string {
  return card.attr('data-listingid') ?? card.attr('id') ?? cleanText(card.text()).slice(0, 60);
}

function cardTitle($: CheerioAPI, card: Cheerio<AnyNode>): string {
  const el = firstIn($, card, '.s-card__title, .s-item__title');
  if (el.length === 0) return '';
  const text = textWithout(
    $,
    el,
    '.clipped, .LIGHT_HIGHLIGHT, .s-card__new-listing, .s-item__new-listing, script, style',
  );
  return text.replace(NEW_LISTING_PREFIX_RE, '').replace(SCREEN_READER_SUFFIX_RE, '').trim();
}

interface CardFacts {
  priceText: string | null;
  shippingText: string | null;
  condition: string | null;
  bidsText: string | null;
  timeLeft: string | null;
  seller: string | null;
  location: string | null;
  status: RawListing['status'];
  /** Every text row of the card, for format words ("Buy It Now", "or Best Offer"). */
  rowTexts: string[];
}

function sItemFacts($: CheerioAPI, card: Cheerio<AnyNode>): CardFacts {
  /** Text of the first selector (in order of preference) that matches something non-empty. */
  const text = (...selectors: string[]): string | null => {
    for (const selector of selectors) {
      const value = textWithout($, firstIn($, card, selector));
      if (value !== '') return value;
    }
    return null;
  };
  const rowTexts = findIn(
    $,
    card,
    '.s-item__detail, .s-item__details span, .s-item__purchase-options',
  )
    .map((_i, el) => textWithout($, $(el)))
    .get()
    .filter((t) => t.length > 0);
  const location = text('.s-item__location', '.s-item__itemLocation');
  const sellerText = text('.s-item__seller-info-text', '.s-item__seller-info');
  const caption =
    text(
      '.s-item__caption--signal',
      '.s-item__caption',
      '.s-item__title--tag',
      '.s-item__ended-date',
    ) ?? '';
  return {
    priceText: text('.s-item__price'),
    shippingText: text('.s-item__shipping', '.s-item__logisticsCost', '.s-item__freeXDays'),
    condition: text('.s-item__subtitle .SECONDARY_INFO', '.s-item__subtitle'),
    bidsText: text('.s-item__bids', '.s-item__bidCount'),
    timeLeft: text('.s-item__time-left', '.s-item__time-end', '.s-item__time'),
    seller: sellerText
      ? (SELLER_RE.exec(sellerText)?.[1] ?? sellerText.split(' ')[0] ?? null)
      : null,
    location: location ? stripLocation(location) : null,
    status: SOLD_RE.test(caption) ? 'sold' : ENDED_RE.test(caption) ? 'ended' : 'active',
    rowTexts,
  };
}

function sCardFacts($: CheerioAPI, card: Cheerio<AnyNode>): CardFacts {
  const rows = findIn($, card, '.s-card__attribute-row');
  let priceText: string | null = null;
  let shippingText: string | null = null;
  let bidsText: string | null = null;
  let timeLeft: string | null = null;
  let seller: string | null = null;
  let location: string | null = null;
  const rowTexts: string[] = [];
  rows.each((_i, el) => {
    const row = $(el);
    const text = textWithout($, row);
    if (text === '') return;
    rowTexts.push(text);
    const priceSpans = findIn($, row, '.s-card__price');
    if (priceSpans.length > 0 && priceText === null) {
      priceText = cleanText(
        priceSpans
          .map((_j, p) => $(p).text())
          .get()
          .join(' '),
      );
      return;
    }
    if (shippingText === null && (SHIPPING_RE.test(text) || /^\+/.test(text))) {
      shippingText = text;
      return;
    }
    if (bidsText === null && BIDS_RE.test(text)) {
      bidsText = text;
      return;
    }
    if (
      timeLeft === null &&
      (firstIn($, row, '.s-card__time-left').length > 0 || TIME_LEFT_RE.test(text))
    ) {
      timeLeft = text;
      return;
    }
    const sellerMatch = SELLER_RE.exec(text);
    if (seller === null && sellerMatch?.[1]) {
      seller = sellerMatch[1];
      return;
    }
    if (location === null && LOCATION_RE.test(text)) location = stripLocation(text);
  });
  if (priceText === null) {
    const fallback = cleanText(firstIn($, card, '.s-card__price').text());
    priceText = fallback === '' ? null : fallback;
  }
  const subtitles = findIn($, card, '.s-card__subtitle');
  const conditionLine = subtitles.length > 0 ? textWithout($, subtitles.last()) : '';
  const condition = cleanText(conditionLine.split(/\s[·|]\s?|\s?[·|]\s/)[0] ?? '') || null;
  const caption = cleanText(firstIn($, card, '.s-card__caption').text());
  return {
    priceText,
    shippingText,
    condition,
    bidsText,
    timeLeft,
    seller,
    location,
    status: SOLD_RE.test(caption) ? 'sold' : ENDED_RE.test(caption) ? 'ended' : 'active',
    rowTexts,
  };
}

function stripLocation(text: string): string {
  const match = LOCATION_RE.exec(text);
  return cleanText(match?.[1] ?? text);
}

function cardImage($: CheerioAPI, card: Cheerio<AnyNode>, base: string): string | null {
  const img = firstIn($, card, 'img.s-card__image, img.s-item__image-img, .s-item__image img, img');
  for (const attr of ['data-defer-load', 'data-src', 'src']) {
    const value = img.attr(attr);
    if (value && /^https?:|^\/\//.test(value) && !/\.gif(?:$|\?)/i.test(value)) {
      return absoluteUrl(value, base);
    }
  }
  return null;
}

function nextPage($: CheerioAPI, base: string): string | null {
  const candidates = queryAll(
    $,
    'a.pagination__next, a[type="next"], link[rel="next"], a[rel="next"]',
  ).filter((_i, el) => $(el).attr('aria-disabled') !== 'true');
  const href = candidates.first().attr('href');
  const url = absoluteUrl(href, base);
  return url && url !== base ? url : null;
}

export const ebaySearchScraper: Scraper = {
  kind: 'ebay-search',
  transport: 'browser',
  firstPageUrl: ebaySearchFirstPageUrl,
  parse: parseEbaySearch,
};
