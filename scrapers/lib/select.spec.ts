import { readFileSync } from 'fs';
import { join } from 'path';
import {
  loadHtml,
  textSkipping,
  textWithout,
  type AnyNode,
  type Cheerio,
  type CheerioAPI,
} from './html';
import { findIn, firstIn, hasAncestor, nodeIs, queryAll, queryFirst } from './select';

/**
 * The fast lookups must answer exactly what cheerio answers. Each case runs both on the same
 * document and compares the elements found (identity and order), for selectors the index handles
 * and for ones it hands back to cheerio.
 */

const pages = join(__dirname, '../../test/fixtures/pages');
const read = (file: string) => readFileSync(join(pages, file), 'utf8');

const EDGE_HTML = `<!DOCTYPE html><html><head><title>t</title></head><body class="Page page">
<div id="main" class="river">
  <ul class="results">
    <li class="card s-item" data-id="1" id="c1"><div class="title">One <span class="clipped">hidden</span></div>
      <div class="row"><span class="price">$1</span><span class="price extra">$2</span></div>
      <a href="/itm/111111111">x</a><img src="a.png">
      <template><span class="price">$9</span><div class="row">in template</div></template>
      <ul><li class="card nested"><div class="title">Nested</div></li></ul>
    </li>
    <li class="card CARD" data-id="2" id="C1"><div class="title">Two</div><div class="row"><b class="price">$3</b></div>
      <svg><style>.x{}</style><text class="price">svg text</text></svg></li>
    <li class="card" data-listingid="3"><div class="rows"><div class="row row"><p>Three</p></div></div></li>
  </ul>
  <div class="rail"><li class="card foreign"><div class="title">Rail</div></li></div>
</div>
<template><div class="card in-template"><span class="title">T</span></div></template>
<div class="river">
  <div class="card"><span class="title">Outer</span><div class="river"><span class="title">Inner</span></div></div>
</div>
</body></html>`;

const SELECTORS = [
  '.card',
  'li.card',
  '.CARD',
  '#c1',
  '#C1',
  '.price',
  'span.price, b.price',
  '.price.extra',
  '[data-id]',
  '[data-id="2"]',
  'a[href*="/itm/"]',
  'img',
  '*',
  '.row .price',
  '.river .title',
  '.card .row .price',
  'ul .card .title',
  '.rows .row',
  '.title, .river .title',
  'div.s-card[data-listingid], li.card',
  'template',
  'span',
  'style, text',
  // not handled by the index: cheerio answers
  '.results > li',
  'li:first-child',
  '.card:not(.nested)',
  '.row ~ a',
  '[data-x="a b"]',
];

function sameNodes(actual: Cheerio<AnyNode>, expected: Cheerio<AnyNode>): void {
  expect(actual.toArray()).toHaveLength(expected.length);
  actual.toArray().forEach((node, i) => expect(node).toBe(expected[i]));
}

function scopesOf($: CheerioAPI): Array<Cheerio<AnyNode>> {
  return [
    $.root(),
    $('html'),
    $('body'),
    $('#main'),
    ...$('.card')
      .toArray()
      .map((el) => $(el)),
    $('.row').first(),
    $('template').first(),
    $('.nothing-here'),
    $('.title'),
  ];
}

describe('fast lookups answer like cheerio', () => {
  const documents: Array<[string, string]> = [
    ['edge cases', EDGE_HTML],
    ['eBay s-card page', read('ebay/search-scard-2026-04-de-lego.html')],
    ['eBay s-item page', read('ebay/search-sitem-2021-03-us-auctions.html')],
  ];

  describe.each(documents)('%s', (_name, html) => {
    const selectors = [
      ...SELECTORS,
      '.s-item__price',
      '.s-card__attribute-row .s-card__price',
      '.s-item__details span',
      '.su-card-container__header a, a.s-card__link',
    ];

    it('findIn and firstIn equal find() and find().first() in every scope', () => {
      const $ = loadHtml(html);
      for (const scope of scopesOf($)) {
        for (const selector of selectors) {
          sameNodes(findIn($, scope, selector), scope.find(selector));
          sameNodes(firstIn($, scope, selector), scope.find(selector).first());
        }
      }
    });

    it('queryAll and queryFirst equal $(selector) and its first()', () => {
      const $ = loadHtml(html);
      for (const selector of selectors) {
        sameNodes(queryAll($, selector), $(selector));
        sameNodes(queryFirst($, selector), $(selector).first());
      }
    });

    it('nodeIs and hasAncestor equal is() and parents()', () => {
      const $ = loadHtml(html);
      // Every node of the small page; a sample of the big ones (cheerio's is() is slow).
      const all = $('*').toArray();
      const step = all.length > 1000 ? 11 : 1;
      const nodes = all.filter((_node, i) => i % step === 0);
      for (const selector of selectors) {
        for (const node of nodes) {
          expect([selector, nodeIs($, node, selector)]).toEqual([selector, $(node).is(selector)]);
          expect([selector, hasAncestor($, node, selector)]).toEqual([
            selector,
            $(node).parents(selector).length > 0,
          ]);
        }
      }
    });
  });
});

/** The former textWithout: clone, remove, append a space to every block, read the copy. */
function clonedTextWithout($: CheerioAPI, el: Cheerio<AnyNode>, removeSelector: string): string {
  const copy = el.clone();
  copy.find(removeSelector).remove();
  copy.find('span, div, p, li, br, td, dt, dd').each((_i, node) => {
    $(node).append(' ');
  });
  return copy.text().replace(/\s+/g, ' ').trim();
}

describe('textWithout and textSkipping read the element as a trimmed copy would', () => {
  const removeSelectors = [
    '.clipped, script, style, noscript',
    '.clipped, .LIGHT_HIGHLIGHT, .s-card__new-listing, .s-item__new-listing, script, style',
    '.row .price',
    '.card .title',
    'li:first-child',
    '.title > span',
  ];

  it.each([
    ['edge cases', EDGE_HTML],
    ['eBay s-card page', read('ebay/search-scard-2025-07-us-laptops.html')],
  ])('%s', (_name, html) => {
    const $ = loadHtml(html);
    const elements = [
      ...$('.card, .s-card, .s-item, .row, .title, .s-card__attribute-row')
        .toArray()
        .map((el) => $(el)),
      $('body'),
      $('template'),
      $('.row'),
      $('.nothing-here'),
    ];
    for (const el of elements) {
      for (const selector of removeSelectors) {
        expect(textWithout($, el, selector)).toBe(clonedTextWithout($, el, selector));
        const copy = el.clone();
        copy.find(selector).remove();
        expect(textSkipping($, el, selector)).toBe(copy.text());
      }
    }
  });

  it('never edits the document', () => {
    const $ = loadHtml(EDGE_HTML);
    const before = $.html();
    textWithout($, $('body'));
    textSkipping($, $('.card'), '.price');
    expect($.html()).toBe(before);
  });
});
