/**
 * eBay-like HTML for the simulator. The element and class names mirror saved real pages in
 * shared/data/pages/ebay (s-item and s-card search markups, the "evo" item page) so the real
 * parsers read these pages exactly as they read eBay's; eBay's scripts and CSS are left out.
 */
import {
  CONDITIONS,
  toUsd,
  type Catalog,
  type ItemState,
  type SimItem,
  type SortOrder,
} from './catalog';
import {
  amount,
  camelKey,
  cardMoney,
  count,
  endLong,
  endShort,
  esc,
  itemMoney,
  longDate,
  timeLeft,
} from './html';

export type SearchMarkup = 'scard' | 'sitem';

export interface SearchParams {
  query: string;
  page: number;
  perPage: number;
  sort: SortOrder;
  markup: SearchMarkup;
  /** Extra query parameters to carry into pagination links (e.g. _markup, _sop). */
  carry: Array<[string, string]>;
}

export interface RenderContext {
  /** Origin of the simulator, e.g. http://127.0.0.1:4010 (links are absolute, as on eBay). */
  base: string;
  catalog: Catalog;
  /** Put eBay's "Shop on eBay" placeholder card first on each page (real pages do). */
  placeholders: boolean;
}

export const SORT_CODES: Record<string, SortOrder> = {
  '12': 'best',
  '10': 'newly_listed',
  '15': 'price_low',
  '1': 'ending_soonest',
};

const SORT_PARAM: Record<SortOrder, string | null> = {
  best: null,
  newly_listed: '10',
  price_low: '15',
  ending_soonest: '1',
};

function searchUrl(ctx: RenderContext, p: SearchParams, page: number): string {
  const q = new URLSearchParams();
  q.set('_nkw', p.query);
  const sop = SORT_PARAM[p.sort];
  if (sop) q.set('_sop', sop);
  for (const [k, v] of p.carry) q.set(k, v);
  q.set('_pgn', String(page));
  return `${ctx.base}/sch/i.html?${q.toString()}`;
}

function itemUrl(ctx: RenderContext, item: SimItem, query: string): string {
  const hex = BigInt(item.id).toString(16);
  return `${ctx.base}/itm/${item.id}?_skw=${encodeURIComponent(query).replace(/%20/g, '+')}&hash=item${hex}:g:${item.imageId}`;
}

function imageUrl(ctx: RenderContext, item: SimItem, size: number): string {
  return `${ctx.base}/images/g/${item.imageId}/s-l${size}.webp`;
}

function shippingText(item: SimItem, markup: SearchMarkup): string {
  if (item.shipping === null) return 'Shipping not specified';
  const word = markup === 'scard' ? 'delivery' : 'shipping';
  if (item.shipping === 0) return markup === 'scard' ? 'Free delivery' : 'Free shipping';
  const usd = toUsd(item.shipping, item.currency);
  return `+${cardMoney(usd)} ${word}`;
}

function pageShell(title: string, body: string, canonical: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en" class="srp-ds6">',
    '<head><meta charset="utf-8">',
    `<title>${esc(title)}</title>`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<link rel="canonical" href="${esc(canonical)}">`,
    '</head>',
    `<body class="s-page no-touch skin-large">`,
    '<div id="gh" class="gh-header"><a class="gh-logo" href="/">eBay Home</a></div>',
    body,
    '<footer id="glbfooter" class="gh-footer"><span>Copyright © 1995-2026 eBay Inc. All Rights Reserved.</span></footer>',
    '</body></html>',
  ].join('\n');
}

export function renderSearch(ctx: RenderContext, p: SearchParams): string {
  const matches = ctx.catalog.search(p.query, p.sort);
  const total = matches.length;
  const pages = Math.max(1, Math.ceil(total / p.perPage));
  const start = (p.page - 1) * p.perPage;
  const slice = matches.slice(start, start + p.perPage);
  const now = ctx.catalog.now;
  const cards: string[] = [];
  if (total > 0 && slice.length > 0 && ctx.placeholders) cards.push(placeholderCard(ctx, p.markup));
  slice.forEach((item, i) => {
    const state = ctx.catalog.stateOf(item);
    cards.push(
      p.markup === 'scard'
        ? sCard(ctx, item, state, p.query, now)
        : sItem(ctx, item, state, p.query, now, start + i + 1),
    );
  });

  const heading = `<h1 class="srp-controls__count-heading"><span class="BOLD">${count(total)}</span> results for <span class="BOLD">${esc(p.query)}</span></h1>`;
  const nullSearch =
    total === 0
      ? [
          '<div class="srp-save-null-search">',
          '<h3 class="srp-save-null-search__heading">No exact matches found</h3>',
          '<p class="srp-save-null-search__sub-heading">Search again using different keywords or try removing some filters. Or, save this search and we\'ll notify you when new items are listed.</p>',
          '</div>',
        ].join('')
      : '';
  const body = [
    '<div class="srp-main srp-main--isLarge"><div class="srp-main-content clearfix srp-main-content--flex" id="mainContent">',
    `<div class="srp-controls"><div class="srp-controls__control srp-controls__count">${heading}</div></div>`,
    '<div class="srp-river srp-layout-inner"><div class="srp-river-main clearfix" id="srp-river-main">',
    nullSearch,
    '<div class="srp-river-results clearfix" id="srp-river-results">',
    `<ul class="srp-results srp-${p.markup === 'scard' ? 'grid' : 'list'} clearfix">`,
    ...cards,
    '</ul></div>',
    total > 0 ? pagination(ctx, p, pages, p.markup) : '',
    '</div></div>',
    '</div></div>',
  ].join('\n');
  const title = p.query
    ? `${p.query.charAt(0).toUpperCase()}${p.query.slice(1)} for sale | eBay`
    : 'eBay';
  return pageShell(title, body, searchUrl(ctx, p, p.page));
}

function pagination(
  ctx: RenderContext,
  p: SearchParams,
  pages: number,
  markup: SearchMarkup,
): string {
  const headingId = `s0-55-0-9-8-4-4-0-3-0-5[61]-0-23-2-heading`;
  const first = Math.max(1, Math.min(p.page - 4, pages - 8));
  const last = Math.min(pages, first + 8);
  const items: string[] = [];
  for (let n = first; n <= last; n++) {
    items.push(
      `<li><a href="${esc(searchUrl(ctx, p, n))}" class="pagination__item"${n === p.page ? ' aria-current="page"' : ''}>${n}</a></li>`,
    );
  }
  const prev =
    p.page > 1
      ? `<a href="${esc(searchUrl(ctx, p, p.page - 1))}" type="previous" class="pagination__previous icon-link" aria-label="Go to previous search page"></a>`
      : '<button href="" type="previous" class="pagination__previous icon-btn" aria-disabled="true" aria-label="Go to previous search page"></button>';
  // On the last page eBay renders a disabled button, not a link.
  const next =
    p.page < pages
      ? `<a href="${esc(searchUrl(ctx, p, p.page + 1))}" type="next" class="pagination__next icon-link" aria-label="Go to next search page"></a>`
      : '<button href="" type="next" class="pagination__next icon-btn" aria-disabled="true" aria-label="Go to next search page"></button>';
  const nav = [
    `<nav role="navigation" class="pagination" aria-labelledby="${headingId}">`,
    `<span aria-live="polite" role="status"><h2 id="${headingId}" class="clipped">Results Pagination - Page ${p.page}</h2></span>`,
    prev,
    `<ol class="pagination__items">${items.join('')}</ol>`,
    next,
    '</nav>',
  ].join('');
  return markup === 'scard'
    ? `<div class="s-pagination"><div class="s-pagination__container">${nav}</div></div>`
    : `<div class="s-pagination"><span><span class="x-pagination x-pagination--align-left">${nav}</span></span></div>`;
}

function placeholderCard(ctx: RenderContext, markup: SearchMarkup): string {
  const href = `${ctx.base}/itm/123456?itmmeta=01JSIMPLACEHOLDER&hash=item1e240:g:placeholder`;
  if (markup === 'scard') {
    return [
      '<li data-listingid="2500219655424533" class="s-card s-card--vertical">',
      '<div class="su-card-container su-card-container--vertical"><div class="su-card-container__content"><div class="su-card-container__header">',
      `<a class="su-link" href="${href}" target="_blank"><div role="heading" aria-level="3" class="s-card__title"><span class="su-styled-text primary default">Shop on eBay</span></div></a>`,
      '<div class="s-card__subtitle-row"><div class="s-card__subtitle"><span class="su-styled-text secondary default">Brand New</span></div></div></div>',
      '<div class="su-card-container__attributes"><div class="su-card-container__attributes__primary">',
      '<div class="s-card__attribute-row"><span class="su-styled-text primary bold large-1 s-card__price">$20.00</span></div>',
      '<div class="s-card__attribute-row"><span class="su-styled-text secondary large">or Best Offer</span></div>',
      '</div></div></div></div></li>',
    ].join('');
  }
  return [
    '<li class="s-item s-item__pl-on-bottom" id="item1e240">',
    '<div class="s-item__wrapper clearfix"><div class="s-item__info clearfix">',
    `<a class="s-item__link" href="${href}" target="_blank"><div class="s-item__title"><span role="heading" aria-level="3">Shop on eBay</span></div><span class="clipped">Opens in a new window or tab</span></a>`,
    '<div class="s-item__subtitle"><span class="SECONDARY_INFO">Brand New</span></div>',
    '<div class="s-item__details clearfix"><div class="s-item__details-section--primary">',
    '<div class="s-item__detail s-item__detail--primary"><span class="s-item__price">$20.00</span></div>',
    '<div class="s-item__detail s-item__detail--primary"><span class="s-item__dynamic s-item__formatBestOfferEnabled">or Best Offer</span></div>',
    '</div></div></div></div></li>',
  ].join('');
}

function cardPrices(
  item: SimItem,
  state: ItemState,
): { low: number; high: number | null; was: number | null } {
  return {
    low: toUsd(state.price, item.currency),
    high: state.priceMax === null ? null : toUsd(state.priceMax, item.currency),
    was: state.wasPrice === null ? null : toUsd(state.wasPrice, item.currency),
  };
}

function percentOff(was: number, now: number): number {
  return Math.max(1, Math.round((1 - now / was) * 100));
}

function sCard(
  ctx: RenderContext,
  item: SimItem,
  state: ItemState,
  query: string,
  now: number,
): string {
  const href = esc(itemUrl(ctx, item, query));
  const { low, high, was } = cardPrices(item, state);
  const row = (inner: string) => `<div class="s-card__attribute-row">${inner}</div>`;
  const sec = (text: string) => `<span class="su-styled-text secondary large">${esc(text)}</span>`;
  const priceRow =
    high === null
      ? row(
          `<span class="su-styled-text primary bold large-1 s-card__price">${cardMoney(low)}</span>`,
        )
      : row(
          `<span class="su-styled-text primary bold large-1 s-card__price">${cardMoney(low)}</span><span class="su-styled-text primary bold default s-card__price"> to </span><span class="su-styled-text primary bold large-1 s-card__price">${cardMoney(high)}</span>`,
        );
  const primary: string[] = [priceRow];
  if (was !== null) {
    primary.push(
      row(
        `${sec('Was: ')}<span class="su-styled-text secondary strikethrough large">${cardMoney(was)}</span><span class="su-spacer --spacing-100"></span><span class="su-styled-text secondary bold large">${percentOff(was, low)}% off</span>`,
      ),
    );
  }
  if (item.format === 'auction' && item.endsAt !== null) {
    primary.push(
      row(
        `${sec(`${state.bids} ${state.bids === 1 ? 'bid' : 'bids'}`)}${sec(' · ')}<span class="s-card__time"><span class="clipped">Time left</span><span class="su-styled-text secondary large s-card__time-left">${timeLeft(item.endsAt - now)} left</span><span class="su-styled-text secondary large s-card__time-end">${endShort(item.endsAt)}</span></span>`,
      ),
    );
  } else {
    primary.push(row(sec(item.bestOffer ? 'or Best Offer' : 'Buy It Now')));
  }
  primary.push(row(sec(shippingText(item, 'scard'))));
  primary.push(row(sec(`Located in ${item.country}`)));
  if (state.quantityAvailable === 1 && item.quantity > 1) {
    primary.push(row('<span class="su-styled-text negative bold large">Last one</span>'));
  }
  if (state.quantitySold > 0 && item.quantity > 1) {
    primary.push(
      row(
        `<span class="su-styled-text primary bold large">${count(state.quantitySold)} sold</span>`,
      ),
    );
  }
  const secondary: string[] = [];
  if (item.seller.topRated) {
    secondary.push(
      row(
        '<div class="s-card__program-badge-container s-card__program-badge-container--topRatedSeller"><div class="su-program-badge s-card__program-badge"><span class="su-icon" aria-label="Top Rated Seller"></span><span class="su-styled-text small">Top Rated Seller</span></div></div>',
      ),
    );
  }
  secondary.push(
    row(sec(`${item.seller.name} (${count(item.seller.feedback)}) ${item.seller.positive}%`)),
  );
  const subtitle = [
    item.tagline
      ? `<div class="s-card__subtitle"><span class="su-styled-text secondary default">${esc(item.tagline)}</span></div>`
      : '',
    `<div class="s-card__subtitle"><span class="su-styled-text secondary default">${esc(CONDITIONS[item.condition].search)} · </span><span class="su-styled-text secondary default">${esc(item.brand)}</span></div>`,
  ].join('');
  const title = [
    state.newListing ? '<span class="s-card__new-listing">New Listing</span>' : '',
    `<span class="su-styled-text primary default">${esc(item.title)}</span>`,
    '<span class="clipped">Opens in a new window or tab</span>',
  ].join('');
  const hex = BigInt(item.id).toString(16);
  return [
    `<li id="item${hex}" data-listingid="${item.id}" data-view="mi:1686|iid:${item.index + 1}" class="s-card s-card--horizontal">`,
    '<div class="su-card-container su-card-container--horizontal">',
    `<div class="su-card-container__media"><div class="su-media su-media--image"><div class="su-media__primary"><div class="su-media__image"><a class="image-treatment" href="${href}" target="_blank"><img class="s-card__image" src="${esc(imageUrl(ctx, item, 140))}" alt="${esc(item.title)}"></a></div></div></div></div>`,
    '<div class="su-card-container__content">',
    `<div class="su-card-container__header"><a class="su-link" aria-label="Opens in a new window or tab" target="_blank" href="${href}"><div role="heading" aria-level="3" class="s-card__title">${title}</div></a>`,
    `<div class="s-card__subtitle-row">${subtitle}</div></div>`,
    '<div class="su-card-container__attributes">',
    `<div class="su-card-container__attributes__primary">${primary.join('')}</div>`,
    `<div class="su-card-container__attributes__secondary">${secondary.join('')}</div>`,
    '</div></div></div></li>',
  ].join('');
}

function sItem(
  ctx: RenderContext,
  item: SimItem,
  state: ItemState,
  query: string,
  now: number,
  position: number,
): string {
  const href = esc(itemUrl(ctx, item, query));
  const { low, high, was } = cardPrices(item, state);
  const detail = (inner: string) =>
    `<div class="s-item__detail s-item__detail--primary">${inner}</div>`;
  const price =
    high === null
      ? `<span class="s-item__price">${cardMoney(low)}</span>`
      : `<span class="s-item__price">${cardMoney(low)}<span class="DEFAULT"> to </span>${cardMoney(high)}</span>`;
  const primary: string[] = [detail(price)];
  if (was !== null) {
    primary.push(
      detail(
        `<span class="s-item__additional-price" role="text">Was: <span class="STRIKETHROUGH">${cardMoney(was)}</span></span> <span class="s-item__discount s-item__discount"><span class="BOLD">${percentOff(was, low)}% off</span></span>`,
      ),
    );
  }
  const secondary: string[] = [];
  if (item.format === 'auction' && item.endsAt !== null) {
    primary.push(
      detail(
        `<span class="s-item__bids s-item__bidCount">${state.bids} ${state.bids === 1 ? 'bid' : 'bids'}</span>`,
      ),
    );
    secondary.push(
      `<span class="s-item__detail s-item__detail--secondary"><span class="s-item__time"><span class="clipped">Time left</span><span class="s-item__time-left">${timeLeft(item.endsAt - now)} left</span><span class="s-item__time-end">${endShort(item.endsAt)}</span></span></span>`,
    );
  } else if (item.bestOffer) {
    primary.push(
      detail('<span class="s-item__dynamic s-item__formatBestOfferEnabled">or Best Offer</span>'),
    );
  } else {
    primary.push(detail('<span class="s-item__dynamic s-item__formatBuyItNow">Buy It Now</span>'));
  }
  primary.push(
    detail(
      `<span class="s-item__shipping s-item__logisticsCost">${esc(shippingText(item, 'sitem'))}</span>`,
    ),
  );
  primary.push(
    detail(`<span class="s-item__location s-item__itemLocation">from ${esc(item.country)}</span>`),
  );
  if (state.quantityAvailable === 1 && item.quantity > 1) {
    primary.push(
      detail(
        '<span class="s-item__dynamic s-item__lastOne"><span class="BOLD NEGATIVE">Last one</span></span>',
      ),
    );
  }
  if (state.quantitySold > 0 && item.quantity > 1) {
    primary.push(
      detail(
        `<span class="s-item__dynamic s-item__quantitySold"><span class="BOLD">${count(state.quantitySold)} sold</span></span>`,
      ),
    );
  }
  if (item.seller.topRated) {
    secondary.push(
      '<span class="s-item__detail s-item__detail--secondary"><span class="s-item__etrs"><span class="s-item__etrs-badge clipped">Top Rated Seller</span></span></span>',
    );
  }
  secondary.push(
    `<span class="s-item__detail s-item__detail--secondary"><span class="s-item__seller-info"><span class="s-item__seller-info-text">${esc(item.seller.name)} (${count(item.seller.feedback)}) ${item.seller.positive}%</span></span></span>`,
  );
  const hex = BigInt(item.id).toString(16);
  const newListing = state.newListing ? '<span class="LIGHT_HIGHLIGHT">New Listing</span>' : '';
  const subtitle = [
    item.tagline ? `<span>${esc(item.tagline)}</span>` : '',
    `<span class="SECONDARY_INFO">${esc(CONDITIONS[item.condition].search)}</span>`,
  ].join('');
  return [
    `<li class="s-item s-item__pl-on-bottom" data-view="mi:1686|iid:${position}" id="item${hex}">`,
    '<div class="s-item__wrapper clearfix">',
    `<div class="s-item__image-section"><div class="s-item__image"><a aria-hidden="true" tabindex="-1" href="${href}" target="_blank"><div class="s-item__image-wrapper image-treatment"><img alt="${esc(item.title)}" src="${esc(imageUrl(ctx, item, 500))}"></div></a></div></div>`,
    '<div class="s-item__info clearfix">',
    '<div class="s-item__caption"></div>',
    `<a class="s-item__link" href="${href}" target="_blank"><div class="s-item__title"><span role="heading" aria-level="3">${newListing}${esc(item.title)}</span></div><span class="clipped">Opens in a new window or tab</span></a>`,
    `<div class="s-item__subtitle">${subtitle}</div>`,
    '<div class="s-item__details clearfix">',
    `<div class="s-item__details-section--primary">${primary.join('')}</div>`,
    '<div class="s-item__details-section--center"></div>',
    `<div class="s-item__details-section--secondary">${secondary.join('')}</div>`,
    '</div></div></div></li>',
  ].join('');
}

// ---------------------------------------------------------------------------------------------
// Item page

function statusMessage(item: SimItem, state: ItemState): string {
  if (state.status === 'active' || state.endedAt === null) return '';
  const when = longDate(state.endedAt);
  let lines: string[];
  if (state.status === 'sold') {
    lines =
      item.format === 'auction'
        ? [
            `This listing has ended.`,
            `Bidding ended on ${when}. Winning bid: ${itemMoney(state.price, item.currency)}.`,
          ]
        : [`This listing sold on ${when}.`, 'This item is out of stock.'];
  } else {
    lines =
      item.format === 'auction'
        ? ['This listing has ended.', `This listing ended on ${when} with no bids.`]
        : [
            'This listing has ended.',
            `This listing was ended by the seller on ${when} because the item is no longer available.`,
          ];
  }
  return [
    '<div class="vim d-statusmessage" data-testid="d-statusmessage">',
    '<section class="page-notice page-notice--attention" role="region" aria-roledescription="Notice"><div class="page-notice__main"><div class="ux-message__content">',
    `<p class="ux-message__title"><span class="ux-textspans ux-textspans--BOLD">${esc(lines[0] ?? '')}</span></p>`,
    ...lines
      .slice(1)
      .map((l) => `<p class="ux-message__text"><span class="ux-textspans">${esc(l)}</span></p>`),
    '</div></div></section></div>',
  ].join('');
}

function labelsValues(label: string, value: string): string {
  return [
    `<dl data-testid="ux-labels-values" class="ux-labels-values ux-labels-values--inline col-6 ux-labels-values--${esc(camelKey(label))}">`,
    `<dt class="ux-labels-values__labels"><div class="ux-labels-values__labels-content"><div><span class="ux-textspans">${esc(label)}</span></div></div></dt>`,
    `<dd class="ux-labels-values__values"><div class="ux-labels-values__values-content"><div><span class="ux-textspans">${esc(value)}</span></div></div></dd>`,
    '</dl>',
  ].join('');
}

function conditionSpecific(item: SimItem): string {
  const info = CONDITIONS[item.condition];
  const short =
    info.description.length > 90 ? `${info.description.slice(0, 90)}... ` : info.description;
  return [
    '<dl data-testid="ux-labels-values" class="ux-labels-values ux-labels-values--inline col-6 ux-labels-values--condition">',
    '<dt class="ux-labels-values__labels"><div class="ux-labels-values__labels-content"><div><span class="ux-textspans">Condition</span></div></div></dt>',
    '<dd class="ux-labels-values__values"><div class="ux-labels-values__values-content"><div>',
    `<span class="ux-expandable-textual-display-block-inline"><span data-testid="text"><span class="ux-textspans">${esc(short)}</span></span><span class="ux-expandable-textual-display-block-inline__control" data-testid="viewMore"><button class="ux-action fake-link fake-link--action"><span class="ux-textspans">Read more<span class="clipped">about the condition</span></span></button></span></span>`,
    `<span aria-hidden="true" class="ux-expandable-textual-display-block-inline hide"><span data-testid="text"><span class="ux-textspans">${esc(info.description)} See the seller's listing for full details. </span></span></span>`,
    '</div></div></dd></dl>',
  ].join('');
}

export function renderItem(ctx: RenderContext, item: SimItem): string {
  const state = ctx.catalog.stateOf(item);
  const now = ctx.catalog.now;
  const active = state.status === 'active';
  const url = `${ctx.base}/itm/${item.id}`;
  const price = itemMoney(state.price, item.currency);
  const approx =
    item.currency === 'USD'
      ? ''
      : `<div class="x-price-approx" data-testid="x-price-approx"><span class="x-price-approx__label"><span class="ux-textspans ux-textspans--SECONDARY">Approximately</span></span><span class="x-price-approx__price"><span class="ux-textspans ux-textspans--SECONDARY ux-textspans--BOLD">US $${amount(toUsd(state.price, item.currency))}</span></span></div>`;
  const primary = `<div class="x-price-primary" data-testid="x-price-primary"><span class="ux-textspans">${price}</span></div>${approx}`;

  let priceSection: string;
  if (item.format === 'auction') {
    const timer =
      active && item.endsAt !== null
        ? `<div class="vim x-end-time" data-testid="x-end-time"><span class="ux-textspans ux-textspans--BOLD">Ends in ${timeLeft(item.endsAt - now)}</span><span class="ux-textspans ux-textspans--SECONDARY"> · ${endLong(item.endsAt)}</span></div>`
        : '';
    priceSection = [
      '<div class="vim x-price-section mar-t-20" data-testid="x-price-section">',
      `<div class="vim x-bid-price" data-testid="x-bid-price"><div class="x-bid-price__content">`,
      `<div class="x-bid-price__label"><span class="ux-textspans">${active ? 'Current bid:' : state.bids > 0 ? 'Winning bid:' : 'Starting bid:'}</span></div>`,
      primary,
      `<div class="vim x-bid-count" data-testid="x-bid-count"><span class="ux-textspans ux-textspans--SECONDARY">${state.bids} ${state.bids === 1 ? 'bid' : 'bids'}</span></div>`,
      '</div></div>',
      timer,
      '</div>',
    ].join('');
  } else {
    priceSection = [
      '<div class="vim x-price-section mar-t-20" data-testid="x-price-section">',
      `<div class="vim x-bin-price" data-testid="x-bin-price"><div class="x-bin-price__content">${primary}</div></div>`,
      state.wasPrice !== null
        ? `<div class="x-additional-info"><span class="ux-textspans ux-textspans--SECONDARY">List price </span><span class="ux-textspans ux-textspans--STRIKETHROUGH">${itemMoney(state.wasPrice, item.currency)}</span></div>`
        : '',
      '</div>',
    ].join('');
  }

  const variations =
    item.variations && active
      ? [
          '<div class="vim x-msku-evo" data-testid="x-msku-evo">',
          `<label class="x-msku__label" for="x-msku__select-box-1000"><span class="ux-textspans">${esc(item.variations.name)}</span></label>`,
          `<span class="listbox-button"><select id="x-msku__select-box-1000" class="x-msku__select-box" name="${esc(item.variations.name)}">`,
          '<option value="-1" selected>- Select -</option>',
          ...item.variations.values.map((v, i) => {
            const factor = state.price / item.startPrice;
            return `<option value="${i}" data-sku-price="${amount(v.price * factor)}">${esc(v.label)}</option>`;
          }),
          '</select></span></div>',
        ].join('')
      : '';

  let availability = '';
  if (active) {
    const qty = state.quantityAvailable;
    const avail =
      qty > 10
        ? 'More than 10 available'
        : qty === 1 && item.quantity > 1
          ? 'Last One'
          : `${qty} available`;
    availability = [
      '<div class="vim x-quantity" data-testid="x-quantity"><div class="x-quantity__availability evo" data-testid="x-quantity-availability">',
      `<span class="ux-textspans ux-textspans--SECONDARY">${avail}</span>`,
      state.quantitySold > 0
        ? `<span class="ux-textspans ux-textspans--SECONDARY ux-textspans--EMPHASIS">${count(state.quantitySold)} sold</span>`
        : '',
      '</div></div>',
    ].join('');
  }

  const cta = (label: string, cls: string, primaryBtn: boolean) =>
    `<li><div class="vim ${cls}"><a class="ux-call-to-action fake-btn fake-btn--fluid fake-btn--large fake-btn--${primaryBtn ? 'primary' : 'secondary'}" href="${esc(url)}#${cls}" rel="nofollow"><span class="ux-call-to-action__cell"><span class="ux-call-to-action__text">${label}</span></span></a></div></li>`;
  const buybox = active
    ? [
        '<ul class="x-buybox-cta mar-t-20" data-testid="x-buybox-cta">',
        item.format === 'auction'
          ? cta('Place bid', 'x-bid-action', true)
          : cta('Buy It Now', 'x-bin-action', true),
        item.format === 'fixed' ? cta('Add to cart', 'x-atc-action', false) : '',
        item.bestOffer ? cta('Make offer', 'x-offer-action', false) : '',
        cta('Add to Watchlist', 'x-watch-action', false),
        '</ul>',
      ].join('')
    : '';

  const shipValue =
    item.shipping === null
      ? '<span class="ux-textspans ux-textspans--BOLD">Does not ship</span><span class="ux-textspans"> - local pickup only.</span>'
      : item.shipping === 0
        ? `<span class="ux-textspans ux-textspans--BOLD">Free ${esc(item.shippingService)}</span><span class="ux-textspans">. </span>`
        : `<span class="ux-textspans ux-textspans--BOLD">${itemMoney(item.shipping, item.currency)} </span>${
            item.currency === 'USD'
              ? ''
              : `<span class="ux-textspans ux-textspans--SECONDARY ux-textspans--BOLD">(approx US $${amount(toUsd(item.shipping, item.currency))})</span>`
          }<span class="ux-textspans">&nbsp;</span><span class="ux-textspans">${esc(item.shippingService)}</span><span class="ux-textspans">. </span>`;
  const shipping = [
    '<div class="vim d-shipping-minview mar-t-20" data-testid="d-shipping-minview"><div class="ux-layout-section-module__container"><div class="ux-layout-section-module"><div class="ux-layout-section ux-layout-section--shipping"><div class="ux-layout-section__item">',
    '<div class="ux-layout-section__row"><div class="ux-labels-values-with-hints"><div data-testid="ux-labels-values" class="ux-labels-values col-12 ux-labels-values--shipping">',
    '<div class="ux-labels-values__labels col-3"><div class="ux-labels-values__labels-content"><div><span class="ux-textspans">Shipping:</span></div></div></div>',
    `<div class="ux-labels-values__values col-9"><div class="ux-labels-values__values-content"><div>${shipValue}</div><div><span class="ux-textspans ux-textspans--SECONDARY">Located in: ${esc(item.city)}, ${esc(item.country)}</span></div></div></div>`,
    '</div></div></div>',
    '</div></div></div></div></div>',
  ].join('');

  const specifics = [
    conditionSpecific(item),
    ...item.specifics.filter(([k]) => k !== 'Condition').map(([k, v]) => labelsValues(k, v)),
  ];
  const rows: string[] = [];
  for (let i = 0; i < specifics.length; i += 2) {
    rows.push(
      `<div class="ux-layout-section-evo__row">${specifics
        .slice(i, i + 2)
        .map((s) => `<div class="ux-layout-section-evo__col">${s}</div>`)
        .join('')}</div>`,
    );
  }

  const availabilityLd = active
    ? 'https://schema.org/InStock'
    : state.status === 'sold'
      ? 'https://schema.org/SoldOut'
      : 'https://schema.org/OutOfStock';
  const conditionLd =
    item.condition === 'new'
      ? 'https://schema.org/NewCondition'
      : item.condition.startsWith('refurb') || item.condition === 'seller_refurb'
        ? 'https://schema.org/RefurbishedCondition'
        : item.condition === 'parts'
          ? 'https://schema.org/DamagedCondition'
          : 'https://schema.org/UsedCondition';
  const ld = {
    '@type': 'Product',
    '@context': 'https://schema.org',
    name: item.title,
    image: [`${ctx.base}/images/g/${item.imageId}/s-l1600.jpg`],
    brand: { '@type': 'Brand', name: item.brand },
    offers: {
      '@type': 'Offer',
      url,
      itemCondition: conditionLd,
      availability: availabilityLd,
      priceCurrency: 'USD',
      price: toUsd(state.price, item.currency).toFixed(2),
      shippingDetails:
        item.shipping === null
          ? undefined
          : {
              '@type': 'OfferShippingDetails',
              shippingRate: {
                '@type': 'MonetaryAmount',
                value: toUsd(item.shipping, item.currency).toFixed(2),
                currency: 'USD',
              },
            },
    },
  };

  const head = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head><meta charset="utf-8">',
    `<title>${esc(item.title)} | eBay</title>`,
    '<meta property="og:type" content="ebay-objects:item">',
    `<meta property="og:title" content="${esc(item.title)} | eBay">`,
    `<meta property="og:url" content="${esc(url)}">`,
    `<meta property="og:image" content="${esc(`${ctx.base}/images/g/${item.imageId}/s-l400.jpg`)}">`,
    `<link rel="canonical" href="${esc(url)}">`,
    `<script type="application/ld+json">${JSON.stringify(ld).replace(/</g, '\\u003c')}</script>`,
    '</head>',
  ].join('\n');

  const sellerUrl = `${ctx.base}/str/${encodeURIComponent(item.seller.name)}`;
  const body = [
    '<body class="vi-evo">',
    '<div id="gh" class="gh-header"><a class="gh-logo" href="/">eBay Home</a></div>',
    '<div class="x-vi-evo-main-container">',
    statusMessage(item, state),
    '<div class="x-evo-atf-top-river">',
    `<div class="x-evo-atf-left-river"><div class="vim x-photos" data-testid="x-photos"><img src="${esc(`${ctx.base}/images/g/${item.imageId}/s-l500.webp`)}" alt="${esc(item.title)}"></div></div>`,
    '<div class="x-evo-atf-right-river"><div class="vim d-vi-evo-region" data-testid="d-vi-evo-region">',
    `<div class="vim x-item-title" data-testid="x-item-title"><h1 class="x-item-title__mainTitle"><span class="ux-textspans ux-textspans--BOLD">${esc(item.title)}</span></h1>${
      item.tagline
        ? `<div class="x-item-title__subTitle"><span class="ux-textspans ux-textspans--SECONDARY">${esc(item.tagline)}</span></div>`
        : ''
    }</div>`,
    '<div class="vim x-sellercard-atf" data-testid="x-sellercard-atf"><div class="x-sellercard-atf__info">',
    `<div class="x-sellercard-atf__info__about-seller"><a href="${esc(sellerUrl)}" class="ux-action"><span class="ux-textspans ux-textspans--BOLD">${esc(item.seller.name)}</span></a><div class="x-sellercard-atf__about-seller"><div class="x-sellercard-atf__about-seller-item" data-testid="x-sellercard-atf__about-seller"><span class="ux-textspans ux-textspans--SECONDARY">(${count(item.seller.feedback)})</span></div></div></div>`,
    `<div class="x-sellercard-atf__data-item-wrapper"><div class="x-sellercard-atf__data-item" data-testid="x-sellercard-atf__data-item"><span class="ux-textspans ux-textspans--SECONDARY">${item.seller.positive}% positive</span></div><div class="x-sellercard-atf__data-item"><a href="${esc(sellerUrl)}" class="ux-action"><span class="ux-textspans">Seller's other items</span></a></div></div>`,
    '</div></div>',
    priceSection,
    `<div class="vim x-item-condition mar-t-20" data-testid="x-item-condition"><div class="x-item-condition-label"><span class="ux-textspans">Condition:</span></div><div class="x-item-condition-text"><div class="ux-icon-text"><span class="ux-icon-text__text"><span data-testid="ux-textual-display"><span class="ux-textspans">${esc(CONDITIONS[item.condition].item)}</span></span></span></div></div></div>`,
    variations,
    availability,
    buybox,
    shipping,
    `<div class="vim x-returns-minview"><span class="ux-textspans">Returns:</span> <span class="ux-textspans">${item.seller.topRated ? '30 days returns. Seller pays for return shipping.' : 'Seller does not accept returns.'}</span></div>`,
    '</div></div>',
    '</div>',
    '<div class="x-evo-tabs-region"><div class="tabs__content">',
    '<div id="viTabs_0_is" class="vim x-about-this-item" data-testid="x-about-this-item"><div class="ux-layout-section-module-evo__container"><div data-testid="ux-layout-section-module-evo" class="ux-layout-section-module-evo">',
    `<div class="ux-layout-section__textual-display ux-layout-section__textual-display--itemId"><span class="ux-textspans ux-textspans--SECONDARY">eBay item number:</span><span class="ux-textspans ux-textspans--BOLD">${item.id}</span></div>`,
    `<div class="ux-layout-section__textual-display ux-layout-section__textual-display--lastUpdated"><span class="ux-textspans ux-textspans--SECONDARY">Last updated on ${esc(longDate(Math.max(item.listedAt, lastChange(item, now))))}</span></div>`,
    '<div class="section-title"><div class="section-title__title-container"><h2 class="section-title__title"><span class="ux-layout-section-module-evo__title"><span class="ux-textspans">Item specifics</span></span></h2></div></div>',
    '<div data-testid="ux-layout-section-evo" class="ux-layout-section-evo ux-layout-section--features"><div data-testid="ux-layout-section-evo__item" class="ux-layout-section-evo__item ux-layout-section-evo__item--table-view">',
    ...rows,
    '</div></div>',
    '</div></div></div>',
    `<div class="vim d-item-description" data-testid="d-item-description"><iframe id="desc_ifr" title="Item description from the seller" src="${esc(`${ctx.base}/itm/${item.id}/desc`)}"></iframe></div>`,
    '</div></div>',
    '</div>',
    '</body></html>',
  ].join('\n');
  return `${head}\n${body}`;
}

/** Last time the listing changed before `now` (listing, markdown, sale, bid). */
function lastChange(item: SimItem, now: number): number {
  let last = item.listedAt;
  for (const d of item.timeline.drops) if (d.at <= now) last = Math.max(last, d.at);
  for (const s of item.timeline.sales) if (s <= now) last = Math.max(last, s);
  for (const b of item.timeline.bids) if (b.at <= now) last = Math.max(last, b.at);
  return last;
}

export function renderDescription(item: SimItem): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${esc(item.title)}</title></head><body><div id="ds_div">${item.description}</div></body></html>`;
}

export function renderItemMissing(base: string, id: string): string {
  return pageShell(
    'Error Page | eBay',
    `<div class="error-page"><h1 class="error-header__headline">We looked everywhere.</h1><p class="error-header__subheadline">Looks like this page is missing. If you still need help, visit our <a href="${esc(base)}/help">help pages</a>.</p><p class="error-page__item-id">Item ${esc(id)}</p></div>`,
    `${base}/itm/${id}`,
  );
}
