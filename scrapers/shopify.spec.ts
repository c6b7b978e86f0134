import { ParseError, ScraperConfigError } from './errors';
import { testSource } from './lib/golden';
import { loadHtml } from './lib/html';
import { htmlToText, parseShopifyProducts, shopifyFirstPageUrl } from './shopify';

// Constructed in the shape of a storefront /products.json response (prices as strings, tags as
// an array, option1..3 per variant); no real shop's data is copied here.
const products = {
  products: [
    {
      id: 7001,
      title: 'Dell PowerEdge R740xd',
      handle: 'dell-r740xd',
      body_html:
        '<p>2x Xeon Gold 6130<br>256GB&nbsp;RAM</p><ul><li>12x LFF</li><li>H730P</li></ul>',
      vendor: 'Dell',
      product_type: 'Server',
      tags: ['2U', 'refurbished'],
      options: [
        { name: 'Condition', position: 1, values: ['Refurbished', 'Used'] },
        { name: 'RAM', position: 2, values: ['128GB', '256GB'] },
      ],
      images: [{ id: 1, src: '//cdn.shopify.com/s/files/r740xd.jpg' }],
      variants: [
        {
          id: 11,
          title: 'Refurbished / 256GB',
          option1: 'Refurbished',
          option2: '256GB',
          option3: null,
          sku: 'R740-256',
          available: true,
          price: '1899.00',
          compare_at_price: '2199.00',
          inventory_quantity: 4,
        },
        {
          id: 12,
          title: 'Used / 128GB',
          option1: 'Used',
          option2: '128GB',
          option3: null,
          sku: 'R740-128',
          available: false,
          price: '1499.50',
          compare_at_price: null,
        },
      ],
    },
    {
      id: 7002,
      title: 'Mellanox ConnectX-4 Dual Port',
      handle: 'cx4',
      body_html: '',
      vendor: 'Mellanox',
      product_type: 'NIC',
      tags: 'nic, 25gbe',
      options: [{ name: 'Title', position: 1, values: ['Default Title'] }],
      images: [],
      variants: [
        {
          id: 21,
          title: 'Default Title',
          option1: 'Default Title',
          available: true,
          price: '89.00',
          sku: '',
        },
      ],
    },
    { id: 7003, title: 'Broken product without handle', variants: [] },
  ],
};
const source = testSource({
  kind: 'shopify',
  baseUrl: 'https://rack.example.com',
  config: { currency: 'EUR' },
});
const url = 'https://rack.example.com/products.json?limit=250&page=2';

describe('parseShopifyProducts', () => {
  const page = parseShopifyProducts(JSON.stringify(products), { url, source });

  it('makes one listing per variant', () => {
    expect(page.listings.map((l) => l.externalId)).toEqual(['7001:11', '7001:12', '7002:21']);
    expect(page.listings[0]).toEqual({
      externalId: '7001:11',
      title: 'Dell PowerEdge R740xd - Refurbished / 256GB',
      url: 'https://rack.example.com/products/dell-r740xd?variant=11',
      price: 1899,
      priceMax: null,
      currency: 'EUR',
      shipping: null,
      condition: 'Refurbished',
      buyingFormat: 'fixed_price',
      quantityAvailable: 4,
      status: 'active',
      imageUrl: 'https://cdn.shopify.com/s/files/r740xd.jpg',
      attributes: {
        vendor: 'Dell',
        productType: 'Server',
        tags: '2U, refurbished',
        Condition: 'Refurbished',
        RAM: '256GB',
        sku: 'R740-256',
        available: 'true',
        compareAtPrice: '2199',
      },
      description: '2x Xeon Gold 6130\n256GB RAM\n12x LFF\nH730P',
    });
    expect(page.listings[1]).toMatchObject({
      price: 1499.5,
      quantityAvailable: 0,
      condition: 'Used',
    });
  });

  it('drops "Default Title" and reads comma-separated tags', () => {
    expect(page.listings[2]).toMatchObject({
      title: 'Mellanox ConnectX-4 Dual Port',
      quantityAvailable: null,
      description: null,
      attributes: { vendor: 'Mellanox', productType: 'NIC', tags: 'nic, 25gbe', available: 'true' },
    });
  });

  it('records invalid products and pages on while products come', () => {
    expect(page.skipped).toEqual([{ reason: 'invalid-product', detail: 'product 7003' }]);
    expect(page.nextPageUrl).toBe('https://rack.example.com/products.json?limit=250&page=3');
    const empty = parseShopifyProducts('{"products":[]}', { url, source });
    expect(empty).toEqual({ listings: [], nextPageUrl: null, totalResults: null, skipped: [] });
  });

  it('defaults to USD and rejects a bad currency config', () => {
    const usd = parseShopifyProducts(JSON.stringify(products), {
      url,
      source: { ...source, config: {} },
    });
    expect(usd.listings[0]?.currency).toBe('USD');
    expect(() =>
      parseShopifyProducts('{"products":[]}', {
        url,
        source: { ...source, config: { currency: 'euro' } },
      }),
    ).toThrow(ScraperConfigError);
  });

  it('throws ParseError on truncated JSON, HTML or a missing products array', () => {
    expect(() => parseShopifyProducts('{"products":[{"id":1', { url, source })).toThrow(
      /not valid JSON/,
    );
    expect(() => parseShopifyProducts('{"errors":"Not Found"}', { url, source })).toThrow(
      ParseError,
    );
    expect(() =>
      parseShopifyProducts('<html><body>Store closed</body></html>', { url, source }),
    ).toThrow(ParseError);
  });

  it('throws BlockedError on an HTML challenge', () => {
    expect(() =>
      parseShopifyProducts('<html><head><title>Just a moment...</title></head></html>', {
        url,
        source,
      }),
    ).toThrow(expect.objectContaining({ kind: 'blocked' }));
  });
});

describe('shopifyFirstPageUrl and htmlToText', () => {
  it('builds products.json URLs', () => {
    expect(shopifyFirstPageUrl(source, '')).toBe(
      'https://rack.example.com/products.json?limit=250&page=1',
    );
    expect(shopifyFirstPageUrl(source, 'servers')).toBe(
      'https://rack.example.com/collections/servers/products.json?limit=250&page=1',
    );
    expect(() => shopifyFirstPageUrl({ ...source, baseUrl: null }, '')).toThrow(ScraperConfigError);
  });

  it('turns markup into lines', () => {
    expect(htmlToText('<table><tr><td>CPU</td><td>2x 6130</td></tr></table>')).toBe('CPU 2x 6130');
    expect(htmlToText(null)).toBeNull();
  });

  /** The former implementation, which edited the tree: the reference for the single walk. */
  function editedTreeText(html: string): string | null {
    const $ = loadHtml(`<div id="root">${html}</div>`);
    const root = $('#root');
    root.find('script, style').remove();
    root.find('br').replaceWith('\n');
    root.find('p, div, li, tr, h1, h2, h3, h4, h5, h6, table, ul, ol').each((_i, el) => {
      $(el).prepend('\n').append('\n');
    });
    root.find('td, th').append(' ');
    const text = root
      .text()
      .split('\n')
      .map((line) => line.replace(/[ \t\u00a0]+/g, ' ').trim())
      .filter((line) => line !== '')
      .join('\n');
    return text === '' ? null : text.slice(0, 20000);
  }

  it.each([
    '<p>Tested<br>working</p><ul><li>2x PSU</li><li>rails<br/>and bezel</li></ul>',
    '<h2>Specs</h2><table><tr><th>CPU</th><td>2x 6130</td></tr><tr><td>RAM</td><td>256 GB</td></tr></table>',
    '<script>track()</script><style>.a{}</style>Plain &amp; simple&nbsp;text',
    '<div id="root">a nested root<p>x</p></div>tail',
    '</div><div id="root"><p>outside the wrapper</p></div>',
    '<template><p>template</p>content</template> after',
    '<svg><style>.x{}</style><text>svg</text></svg><!-- comment --><p>end</p>',
    '<table><td>a<td>b</table><p>unclosed<div>block</div>',
  ])('reads %s as the tree-editing version did', (html) => {
    expect(htmlToText(html)).toBe(editedTreeText(html));
  });
});
