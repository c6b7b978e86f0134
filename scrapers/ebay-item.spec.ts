import { ebayItemFirstPageUrl, parseEbayItem } from './ebay-item';
import { BlockedError, ParseError, ScraperConfigError } from './errors';
import { golden, readFixturePage, testSource } from './lib/golden';

const source = testSource({ kind: 'ebay-item' });
const url = 'https://www.ebay.com/itm/226771798286';
const parse = (body: string, pageUrl = url) => parseEbayItem(body, { url: pageUrl, source });

describe('parseEbayItem on the saved RTX 5090 page', () => {
  const page = parse(readFixturePage('ebay/item-2025-06-us-rtx5090.html'));

  it('matches its golden file', () => {
    expect(page).toEqual(golden('item-2025-06-us-rtx5090', page));
  });

  it('reads the hand-checked facts', () => {
    expect(page.listings).toHaveLength(1);
    expect(page.listings[0]).toMatchObject({
      externalId: '226771798286',
      // The trailing "-" separator span is not part of the title.
      title: 'NVIDIA GeForce RTX 5090 FE Founders Edition',
      // ebay.com shows the seller's EUR price with US separators: "EUR 3,500.00".
      price: 3500,
      currency: 'EUR',
      // "EUR 150.00 (approx US $170.21) DHL": shipping in the listing currency.
      shipping: 150,
      condition: 'New',
      seller: 'salomon0651',
      location: 'Paris, France',
      status: 'active',
      buyingFormat: 'buy_it_now',
      url: 'https://www.ebay.com/itm/226771798286',
    });
  });

  it('keeps the French item specifics as they are', () => {
    expect(page.listings[0]?.attributes).toMatchObject({
      'Taille de la mémoire': '24 Go',
      'Type de mémoire': 'GDDR6X',
      'Modèle du chipset/processeur graphique': 'RTX 5090',
      Marque: 'NVIDIA',
      'Numéro de pièce fabricant': '900-1G136-2510-000',
      "Exigences en matière de câble d'alimentation": 'PCI-E 8 broches + 8 broches',
      Condition: 'New',
    });
    expect(Object.keys(page.listings[0]?.attributes ?? {})).toHaveLength(15);
  });
});

const itemPage = (inner: string) => `<html><head>
  <link rel="canonical" href="https://www.ebay.co.uk/itm/123456789012"></head><body>
  <div class="x-item-title"><h1 class="x-item-title__mainTitle"><span>Dell PowerEdge R740</span></h1></div>
  ${inner}</body></html>`;

describe('parseEbayItem states', () => {
  it('reads an ended auction with bids and quantity', () => {
    const page = parse(
      itemPage(`
      <div class="d-statusmessage">Bidding has ended on this item.</div>
      <div class="x-bid-price"><div class="x-price-primary"><span>£410.00</span></div></div>
      <div class="x-bid-count"><span>12 bids</span></div>
      <div class="x-quantity__availability"><span>3 available</span></div>`),
      'https://www.ebay.co.uk/itm/123456789012',
    );
    expect(page.listings[0]).toMatchObject({
      externalId: '123456789012',
      price: 410,
      currency: 'GBP',
      buyingFormat: 'auction',
      bids: 12,
      status: 'ended',
      quantityAvailable: 3,
      url: 'https://www.ebay.co.uk/itm/123456789012',
    });
  });

  it('reads a sold item and "Last one"', () => {
    const page = parse(
      itemPage(`<div class="ux-message">This listing sold on Tue, 3 Jun at 10:12.</div>
      <div class="x-price-primary"><span>£99.99</span></div>
      <div class="x-quantity__availability">Last one</div>`),
    );
    expect(page.listings[0]).toMatchObject({ status: 'sold', quantityAvailable: 1, price: 99.99 });
  });

  it('keeps an item without a price (price null)', () => {
    expect(parse(itemPage('')).listings[0]).toMatchObject({ price: null, currency: 'GBP' });
  });

  it('throws ParseError without a title and BlockedError on the bot wall', () => {
    expect(() => parse('<html><body><p>nothing</p></body></html>')).toThrow(ParseError);
    expect(() => parse(readFixturePage('ebay/challenge-2025-10-bot-wall.html'))).toThrow(
      BlockedError,
    );
  });
});

describe('ebayItemFirstPageUrl', () => {
  it('takes an id or a URL', () => {
    expect(ebayItemFirstPageUrl(source, '226771798286')).toBe(url);
    expect(
      ebayItemFirstPageUrl(source, 'https://www.ebay.de/itm/Some-Title/226771798286?hash=x&_trk=1'),
    ).toBe('https://www.ebay.de/itm/226771798286');
    expect(() => ebayItemFirstPageUrl(source, 'dell r740')).toThrow(ScraperConfigError);
  });
});
