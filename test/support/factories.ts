import type { RawListing } from '../../src/listings/raw-listing';

let seq = 0;

export function makeRawListing(overrides: Partial<RawListing> = {}): RawListing {
  seq++;
  return {
    externalId: `ext-${seq}`,
    title: `Dell PowerEdge R740xd 2x Gold 6148 256GB #${seq}`,
    url: `https://www.ebay.com/itm/${100000000000 + seq}`,
    price: 3900,
    currency: 'USD',
    shipping: 0,
    condition: 'Used',
    buyingFormat: 'buy_it_now',
    seller: 'refurb-co',
    location: 'Texas, United States',
    status: 'active',
    ...overrides,
  };
}
