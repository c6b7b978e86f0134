import { analyzePrice, findMoney, parseAmount, parsePrice, parseShipping } from './price';

describe('parsePrice', () => {
  it.each([
    ['$1,234.56', 1234.56, 'USD'],
    ['US $1,234.56', 1234.56, 'USD'],
    ['US$19.95', 19.95, 'USD'],
    ['£899.99', 899.99, 'GBP'],
    ['EUR 1.234,56', 1234.56, 'EUR'],
    ['1.234,56 €', 1234.56, 'EUR'],
    ['EUR 17,72', 17.72, 'EUR'],
    ['EUR 3,500.00', 3500, 'EUR'], // ebay.com shows EUR with US separators
    ['1 199€ 95', 1199.95, 'EUR'], // LDLC
    ['1 199€95', 1199.95, 'EUR'],
    ['839€95', 839.95, 'EUR'],
    ['1 151€96', 1151.96, 'EUR'],
    ['C $1,200.00', 1200, 'CAD'],
    ['CA $45.00', 45, 'CAD'],
    ['AU $1,049.00', 1049, 'AUD'],
    ['AU $', null, null],
    ['S$ 1,299', 1299, 'SGD'],
    ['HK$ 2,400', 2400, 'HKD'],
    ["CHF 1'234.50", 1234.5, 'CHF'],
    ['CHF 1’234.50', 1234.5, 'CHF'],
    ['¥123,456', 123456, 'JPY'],
    ['CN¥ 1,299.00', 1299, 'CNY'],
    ['1 234,50 zł', 1234.5, 'PLN'],
    ['12 345 Kč', 12345, 'CZK'],
    ['₹1,23,456', 123456, 'INR'],
    ['GBP 12.00', 12, 'GBP'],
    ['12,99 EUR', 12.99, 'EUR'],
    ['USD12.50', 12.5, 'USD'],
    ['1\u202f234,56\u00a0€', 1234.56, 'EUR'],
    ['$0.99', 0.99, 'USD'],
    ['$5', 5, 'USD'],
  ])('%s -> %p %p', (text, amount, currency) => {
    const price = parsePrice(text);
    if (amount === null) {
      expect(price).toBeNull();
      return;
    }
    expect(price).toEqual({ amount, amountMax: null, currency, free: false });
  });

  it('reads ranges as low + high', () => {
    expect(parsePrice('$10.00 to $20.00')).toEqual({
      amount: 10,
      amountMax: 20,
      currency: 'USD',
      free: false,
    });
    expect(parsePrice('$12.66 to $15.19')).toMatchObject({ amount: 12.66, amountMax: 15.19 });
    expect(parsePrice('EUR 17,72 bis EUR 18,66')).toMatchObject({
      amount: 17.72,
      amountMax: 18.66,
      currency: 'EUR',
    });
    expect(parsePrice('10,00 € à 20,00 €')).toMatchObject({ amount: 10, amountMax: 20 });
    expect(parsePrice('$10 - $20')).toMatchObject({ amount: 10, amountMax: 20 });
  });

  it('does not read two unrelated amounts as a range', () => {
    expect(parsePrice('EUR 3,500.00 Approximately US $3,971.45')).toEqual({
      amount: 3500,
      amountMax: null,
      currency: 'EUR',
      free: false,
    });
    expect(parsePrice('EUR 159,32 UVP EUR 160,47')).toMatchObject({ amountMax: null });
    expect(parsePrice('$20.00 to $10.00')).toMatchObject({ amount: 20, amountMax: null });
  });

  it('takes the first price of "$345.00 or Best Offer"', () => {
    expect(parsePrice('$345.00 or Best Offer')).toMatchObject({ amount: 345, currency: 'USD' });
  });

  it.each(['Best offer', 'See price', 'Preisvorschlag', 'Price on request', 'Faire une offre'])(
    '"%s" is a null price, not an error',
    (text) => {
      const result = analyzePrice(text, { currency: 'EUR' });
      expect(result.price).toEqual({ amount: null, amountMax: null, currency: 'EUR', free: false });
      expect(result.reason).toMatch(/no price shown/);
    },
  );

  it.each(['Free', 'Free delivery', 'Kostenloser Versand', 'Livraison gratuite', 'Gratis'])(
    '"%s" is free (0)',
    (text) => {
      expect(parsePrice(text, { currency: 'USD' })).toEqual({
        amount: 0,
        amountMax: null,
        currency: 'USD',
        free: true,
      });
    },
  );

  it('gives null currency with a reason for an unknown symbol, never a guess', () => {
    const bitcoin = analyzePrice('₿0.015');
    expect(bitcoin.price).toEqual({ amount: 0.015, amountMax: null, currency: null, free: false });
    expect(bitcoin.reason).toBe('unknown currency marker "₿"');
    const code = analyzePrice('XBT 12.50');
    expect(code.price?.currency).toBeNull();
    expect(code.reason).toMatch(/XBT/);
    const unknownDollar = analyzePrice('ZZ $12.00');
    expect(unknownDollar.price?.currency).toBeNull();
  });

  it('needs the page currency for "kr" and bare numbers', () => {
    expect(analyzePrice('1 234 kr').price?.currency).toBeNull();
    expect(parsePrice('1 234 kr', { currency: 'SEK' })).toMatchObject({
      amount: 1234,
      currency: 'SEK',
    });
    const bare = analyzePrice('1234.56');
    expect(bare.price).toMatchObject({ amount: 1234.56, currency: null });
    expect(bare.reason).toBe('no currency symbol and no page currency');
    expect(parsePrice('1234.56', { currency: 'GBP' })).toMatchObject({ currency: 'GBP' });
  });

  it('takes bare "$" and "¥" in the page currency family', () => {
    expect(parsePrice('$12.00', { currency: 'CAD' })?.currency).toBe('CAD');
    expect(parsePrice('$12.00', { currency: 'EUR' })?.currency).toBe('USD');
    expect(parsePrice('¥1,299', { currency: 'CNY' })?.currency).toBe('CNY');
  });

  it('returns null with a reason when there is no amount', () => {
    expect(analyzePrice('')).toEqual({ price: null, reason: 'empty price text' });
    expect(analyzePrice(null).price).toBeNull();
    expect(analyzePrice('Sold out')).toEqual({ price: null, reason: 'no amount in "Sold out"' });
    expect(analyzePrice('see the photos, 16GB RAM').price).toBeNull();
  });
});

describe('parseAmount separators', () => {
  it.each([
    ['1.234', 'EUR', 1234],
    ['1.234', 'USD', 1234], // three digits after a lone separator are a group, not cents
    ['1,234', 'EUR', 1234],
    ['1,234', 'USD', 1234],
    ['0.999', 'USD', 0.999],
    ['1,234', 'KWD', 1.234], // three minor digits
    ['1.5', 'USD', 1.5],
    ['1,5', 'EUR', 1.5],
    ['17,72', 'EUR', 17.72],
    ['1.234.567', 'EUR', 1234567],
    ['1,234,567.89', 'USD', 1234567.89],
    ['1.234.567,89', 'EUR', 1234567.89],
    ['1 199', 'EUR', 1199],
    ["1'234.50", 'CHF', 1234.5],
    ['123456', 'JPY', 123456],
  ])('%s (%s) -> %p', (raw, currency, expected) => {
    expect(parseAmount(raw, currency)).toBe(expected);
  });

  it('follows an explicit decimal hint for the ambiguous case', () => {
    expect(parseAmount('1,234', 'EUR', { decimalSeparator: ',' })).toBe(1.234);
  });

  it.each(['1.2.3', '1,234.5.6', '1.23.45', '1,2345,6'])('rejects malformed %s', (raw) => {
    expect(parseAmount(raw, 'USD')).toBeNull();
  });
});

describe('parseShipping', () => {
  it.each([
    ['Free shipping', 0, 'USD'],
    ['Free delivery', 0, 'USD'],
    ['Free 4 day shipping', 0, 'USD'],
    ['Free International Shipping', 0, 'USD'],
    ['+$32.51 delivery', 32.51, 'USD'],
    ['+$46.75 shipping estimate', 46.75, 'USD'],
    ['+EUR 4,99 Versand', 4.99, 'EUR'],
    ['+ ca. EUR 12,96 Versand', 12.96, 'EUR'],
    ['+EUR 10,24 Lieferung', 10.24, 'EUR'],
    ['Kostenloser Versand', 0, 'USD'],
    ['Livraison gratuite', 0, 'USD'],
  ])('%s -> %p', (text, amount, currency) => {
    expect(parseShipping(text, { currency: 'USD' })).toEqual({ amount, currency, reason: null });
  });

  it('picks the amount in the listing currency', () => {
    const text = 'EUR 150.00 (approx US $170.21) DHL.';
    expect(parseShipping(text, { listingCurrency: 'EUR' })).toMatchObject({ amount: 150 });
    expect(parseShipping(text, { listingCurrency: 'USD' })).toMatchObject({ amount: 170.21 });
    expect(parseShipping(text, { listingCurrency: 'GBP' })).toMatchObject({ amount: null });
  });

  it('is unknown for freight and unspecified shipping', () => {
    expect(parseShipping('Shipping not specified').amount).toBeNull();
    expect(parseShipping('Freight').amount).toBeNull();
    expect(parseShipping('').reason).toBe('no shipping text');
  });
});

describe('findMoney', () => {
  it('skips numbers glued to words', () => {
    expect(findMoney('RTX 5090 16GB s-l500 i5-8350U')).toEqual([
      expect.objectContaining({ amount: 5090, currency: null, marker: 'RTX' }),
    ]);
  });
});
