/**
 * A simulated Shopify refurbisher: products with option variants, served in the public
 * /products.json shape, whose prices and stock change with the same simulated clock as eBay.
 */
import { CHASSIS, CPUS, DIMMS, DRIVES, GPUS, PSUS } from './catalog-data';
import { DAY_MS, HOUR_MS } from './catalog';
import { amount, esc, slug } from './html';
import { Rng, cents, sellerPrice } from './prng';

export const SHOP_NAME = 'Northgate Server Refurb';

interface VariantPlan {
  id: number;
  options: string[];
  sku: string;
  price: number;
  grams: number;
  drops: Array<{ at: number; factor: number }>;
  soldOutAt: number | null;
  restockAt: number | null;
}

export interface ShopProduct {
  id: number;
  title: string;
  handle: string;
  bodyHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  createdAt: number;
  optionNames: string[];
  variants: VariantPlan[];
  imageIds: number[];
}

export interface ShopifyVariantJson {
  id: number;
  title: string;
  option1: string | null;
  option2: string | null;
  option3: string | null;
  sku: string;
  requires_shipping: boolean;
  taxable: boolean;
  featured_image: null;
  available: boolean;
  price: string;
  grams: number;
  compare_at_price: string | null;
  position: number;
  product_id: number;
  created_at: string;
  updated_at: string;
}

export interface ShopifyProductJson {
  id: number;
  title: string;
  handle: string;
  body_html: string;
  published_at: string;
  created_at: string;
  updated_at: string;
  vendor: string;
  product_type: string;
  tags: string[];
  variants: ShopifyVariantJson[];
  images: Array<{
    id: number;
    created_at: string;
    position: number;
    updated_at: string;
    product_id: number;
    variant_ids: number[];
    src: string;
    width: number;
    height: number;
  }>;
  options: Array<{ name: string; position: number; values: string[] }>;
}

/** Shopify prints shop-local times with an offset: "2026-02-14T10:22:31-05:00". */
export function shopifyTime(ms: number): string {
  const local = new Date(ms - 5 * HOUR_MS).toISOString().slice(0, 19);
  return `${local}-05:00`;
}

export class Shop {
  readonly products: ShopProduct[] = [];
  private readonly byHandle = new Map<string, ShopProduct>();

  constructor(seed: number, count: number, startTime: number) {
    const rng = new Rng(seed, 'shop');
    let productId = 7_400_000_000_000 + rng.int(0, 99_999_999) * 1000;
    let variantId = 42_100_000_000_000 + rng.int(0, 99_999_999) * 1000;
    for (let i = 0; i < count; i++) {
      const prng = new Rng(seed, 'shop-product', i);
      const draft = draftProduct(prng);
      productId += prng.int(1_000_000, 90_000_000);
      let handle = slug(draft.title);
      if (this.byHandle.has(handle)) handle = `${handle}-${i}`;
      const createdAt = startTime - Math.floor(prng.float(2 * DAY_MS, 200 * DAY_MS) / 1000) * 1000;
      const variants: VariantPlan[] = draft.combos.map((combo) => {
        variantId += prng.int(1_000_000, 9_000_000);
        const drops: Array<{ at: number; factor: number }> = [];
        if (prng.chance(0.35)) {
          drops.push({
            at: startTime + Math.floor(prng.float(-10 * DAY_MS, 30 * DAY_MS) / 1000) * 1000,
            factor: Math.round(prng.float(0.85, 0.96) * 1000) / 1000,
          });
        }
        const soldOut = prng.chance(0.3);
        const soldOutAt = soldOut
          ? startTime + Math.floor(prng.float(-5 * DAY_MS, 20 * DAY_MS) / 1000) * 1000
          : null;
        const restockAt =
          soldOutAt !== null && prng.chance(0.5)
            ? soldOutAt + Math.floor(prng.float(DAY_MS, 10 * DAY_MS) / 1000) * 1000
            : null;
        return {
          id: variantId,
          options: combo.options,
          sku: combo.sku,
          price: combo.price,
          grams: draft.grams,
          drops,
          soldOutAt,
          restockAt,
        };
      });
      const product: ShopProduct = {
        id: productId,
        title: draft.title,
        handle,
        bodyHtml: draft.bodyHtml,
        vendor: draft.vendor,
        productType: draft.productType,
        tags: draft.tags,
        createdAt,
        optionNames: draft.optionNames,
        variants,
        imageIds: [productId + 11, productId + 12].slice(0, prng.int(1, 2)),
      };
      this.products.push(product);
      this.byHandle.set(handle, product);
    }
  }

  get(handle: string): ShopProduct | undefined {
    return this.byHandle.get(handle);
  }

  /** Collection handles: "all" and one per product type ("servers", "gpu", "server-memory"...). */
  collections(): string[] {
    return ['all', ...new Set(this.products.map((p) => slug(p.productType)))];
  }

  /**
   * One page of /products.json (Shopify's default limit is 30, the maximum 250), optionally of
   * one collection; null for an unknown collection.
   */
  page(
    page: number,
    limit: number,
    now: number,
    base: string,
    collection = 'all',
  ): ShopifyProductJson[] | null {
    if (!this.collections().includes(collection)) return null;
    const members =
      collection === 'all'
        ? this.products
        : this.products.filter((p) => slug(p.productType) === collection);
    const start = (page - 1) * limit;
    return members.slice(start, start + limit).map((p) => toJson(p, now, base));
  }
}

function variantAt(
  v: VariantPlan,
  now: number,
): { price: number; compareAt: number | null; available: boolean; changedAt: number } {
  let factor = 1;
  let changedAt = 0;
  for (const d of v.drops) {
    if (d.at <= now) {
      factor *= d.factor;
      changedAt = Math.max(changedAt, d.at);
    }
  }
  let available = true;
  if (v.soldOutAt !== null && v.soldOutAt <= now) {
    available = v.restockAt !== null && v.restockAt <= now;
    changedAt = Math.max(changedAt, available && v.restockAt !== null ? v.restockAt : v.soldOutAt);
  }
  return {
    price: cents(v.price * factor),
    compareAt: factor < 1 ? v.price : null,
    available,
    changedAt,
  };
}

export function toJson(p: ShopProduct, now: number, base: string): ShopifyProductJson {
  const created = shopifyTime(p.createdAt);
  let updated = p.createdAt;
  const variants = p.variants.map((v, i): ShopifyVariantJson => {
    const s = variantAt(v, now);
    updated = Math.max(updated, s.changedAt);
    return {
      id: v.id,
      title: v.options.length > 0 ? v.options.join(' / ') : 'Default Title',
      option1: v.options[0] ?? 'Default Title',
      option2: v.options[1] ?? null,
      option3: v.options[2] ?? null,
      sku: v.sku,
      requires_shipping: true,
      taxable: true,
      featured_image: null,
      available: s.available,
      price: s.price.toFixed(2),
      grams: v.grams,
      compare_at_price: s.compareAt === null ? null : s.compareAt.toFixed(2),
      position: i + 1,
      product_id: p.id,
      created_at: created,
      updated_at: shopifyTime(Math.max(p.createdAt, s.changedAt)),
    };
  });
  const options =
    p.optionNames.length > 0
      ? p.optionNames.map((name, i) => ({
          name,
          position: i + 1,
          values: [...new Set(p.variants.map((v) => v.options[i] ?? ''))],
        }))
      : [{ name: 'Title', position: 1, values: ['Default Title'] }];
  return {
    id: p.id,
    title: p.title,
    handle: p.handle,
    body_html: p.bodyHtml,
    published_at: created,
    created_at: created,
    updated_at: shopifyTime(updated),
    vendor: p.vendor,
    product_type: p.productType,
    tags: p.tags,
    variants,
    images: p.imageIds.map((imgId, i) => ({
      id: imgId,
      created_at: created,
      position: i + 1,
      updated_at: created,
      product_id: p.id,
      variant_ids: [],
      src: `${base}/shop/cdn/files/${p.handle}-${i + 1}.jpg?v=${Math.floor(p.createdAt / 1000)}`,
      width: 1200,
      height: 900,
    })),
    options,
  };
}

/** The theme's product page (trimmed Dawn markup) for links shared from the JSON feed. */
export function renderProductPage(p: ShopProduct, now: number, base: string): string {
  const json = toJson(p, now, base);
  const first = json.variants.find((v) => v.available) ?? json.variants[0];
  const price = first ? `$${amount(Number(first.price))} USD` : '';
  const ld = {
    '@context': 'http://schema.org/',
    '@type': 'Product',
    name: p.title,
    url: `${base}/shop/products/${p.handle}`,
    brand: { '@type': 'Brand', name: p.vendor },
    offers: json.variants.map((v) => ({
      '@type': 'Offer',
      sku: v.sku,
      name: v.title,
      availability: v.available ? 'http://schema.org/InStock' : 'http://schema.org/OutOfStock',
      price: v.price,
      priceCurrency: 'USD',
      url: `${base}/shop/products/${p.handle}?variant=${v.id}`,
    })),
  };
  const selects = json.options
    .filter((o) => !(o.values.length === 1 && o.values[0] === 'Default Title'))
    .map(
      (o) =>
        `<div class="product-form__input product-form__input--dropdown"><label class="form__label" for="Option-${o.position}">${esc(o.name)}</label><select id="Option-${o.position}" class="select__select" name="options[${esc(o.name)}]">${o.values
          .map((v) => `<option value="${esc(v)}">${esc(v)}</option>`)
          .join('')}</select></div>`,
    )
    .join('');
  return [
    '<!doctype html>',
    '<html class="no-js" lang="en"><head><meta charset="utf-8">',
    `<title>${esc(p.title)} &ndash; ${esc(SHOP_NAME)}</title>`,
    `<link rel="canonical" href="${esc(`${base}/shop/products/${p.handle}`)}">`,
    '<meta property="og:type" content="product">',
    `<meta property="og:title" content="${esc(p.title)}">`,
    first ? `<meta property="og:price:amount" content="${amount(Number(first.price))}">` : '',
    '<meta property="og:price:currency" content="USD">',
    `<script type="application/ld+json">${JSON.stringify(ld).replace(/</g, '\\u003c')}</script>`,
    '</head><body class="template-product">',
    `<header class="header"><a class="header__heading-link" href="${esc(base)}/shop">${esc(SHOP_NAME)}</a></header>`,
    '<main id="MainContent" class="content-for-layout"><section class="product">',
    '<div class="product__info-container">',
    `<p class="product__text caption-with-letter-spacing">${esc(p.vendor)}</p>`,
    `<div class="product__title"><h1>${esc(p.title)}</h1></div>`,
    `<div class="price${first && !first.available ? ' price--sold-out' : ''}"><div class="price__container"><div class="price__regular"><span class="visually-hidden">Regular price</span><span class="price-item price-item--regular">${price}</span></div>${
      first?.compare_at_price
        ? `<div class="price__sale"><s class="price-item price-item--regular">$${amount(Number(first.compare_at_price))} USD</s></div>`
        : ''
    }</div>${first && !first.available ? '<span class="badge price__badge-sold-out">Sold out</span>' : ''}</div>`,
    `<variant-selects>${selects}</variant-selects>`,
    `<div class="product__description rte">${p.bodyHtml}</div>`,
    '</div>',
    `<script type="application/json" id="ProductJson-product-template">${JSON.stringify(json).replace(/</g, '\\u003c')}</script>`,
    '</section></main></body></html>',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------

interface ProductDraft {
  title: string;
  bodyHtml: string;
  vendor: string;
  productType: string;
  tags: string[];
  optionNames: string[];
  grams: number;
  combos: Array<{ options: string[]; sku: string; price: number }>;
}

function draftProduct(rng: Rng): ProductDraft {
  const kind = rng.weighted([
    ['server', 45],
    ['gpu', 20],
    ['ram', 15],
    ['drive', 12],
    ['psu', 8],
  ] as const);
  switch (kind) {
    case 'server':
      return draftServerProduct(rng);
    case 'gpu': {
      const gpu = rng.pick(GPUS);
      const graded = rng.chance(0.5);
      const base = sellerPrice(gpu.price * rng.float(1.0, 1.2), rng);
      return {
        title: `NVIDIA ${gpu.name} ${gpu.memGb}GB ${gpu.memType} ${gpu.cooling === 'Passive' ? 'Passive ' : ''}GPU`,
        bodyHtml: `<p>NVIDIA ${esc(gpu.name)} with ${gpu.memGb}GB ${esc(gpu.memType)}, ${esc(gpu.bus)}.</p><ul><li>Part number: ${esc(gpu.mpn)}</li><li>Tested under load for 24 hours</li><li>90-day warranty</li></ul>`,
        vendor: 'NVIDIA',
        productType: 'GPU',
        tags: ['GPU', 'NVIDIA', gpu.short, `${gpu.memGb}GB`, gpu.cooling],
        optionNames: graded ? ['Condition'] : [],
        grams: 1500,
        combos: graded
          ? [
              {
                options: ['Grade A'],
                sku: `GPU-${gpu.short.replace(/\s+/g, '')}-${gpu.memGb}-A`,
                price: base,
              },
              {
                options: ['Grade B'],
                sku: `GPU-${gpu.short.replace(/\s+/g, '')}-${gpu.memGb}-B`,
                price: cents(base * 0.9),
              },
            ]
          : [
              {
                options: [],
                sku: `GPU-${gpu.short.replace(/\s+/g, '')}-${gpu.memGb}`,
                price: base,
              },
            ],
      };
    }
    case 'ram': {
      const d = rng.pick(DIMMS);
      const unit = sellerPrice(d.price * rng.float(1.05, 1.3), rng);
      return {
        title: `${d.brand} ${d.gb}GB ${d.pc} ${d.rank} ${d.ddr} ${d.kind} ${d.mpn}`,
        bodyHtml: `<p>${esc(d.brand)} ${d.gb}GB ${esc(d.pc)} ${esc(d.rank)} ${esc(d.kind)} server memory (${esc(d.mpn)}).</p>`,
        vendor: d.brand,
        productType: 'Server Memory',
        tags: ['Memory', d.ddr, d.kind, `${d.gb}GB`, String(d.mts)],
        optionNames: ['Pack'],
        grams: 40,
        combos: [1, 2, 4, 8].map((n) => ({
          options: [n === 1 ? 'Single' : `${n}-Pack`],
          sku: `${d.mpn}-${n}`,
          price: cents(unit * n * (n >= 4 ? 0.95 : 1)),
        })),
      };
    }
    case 'drive': {
      const d = rng.pick(DRIVES);
      const unit = sellerPrice(d.price * rng.float(1.05, 1.3), rng);
      return {
        title: `${d.brand} ${d.family} ${d.tb < 1 ? `${Math.round(d.tb * 1000)}GB` : `${d.tb}TB`} ${d.iface} ${d.size}" ${d.kind} ${d.mpn}`,
        bodyHtml: `<p>${esc(d.brand)} ${esc(d.family)} ${esc(d.iface)} ${d.size}" drive, model ${esc(d.mpn)}. Wiped and SMART tested.</p>`,
        vendor: d.brand,
        productType: 'Hard Drive',
        tags: ['Storage', d.kind, d.iface.split(' ')[0] ?? d.iface, `${d.size}in`],
        optionNames: ['Caddy'],
        grams: d.size === '3.5' ? 700 : 250,
        combos: ['No Caddy', 'Dell 14G Tray', 'HPE Gen10 Tray'].map((c, i) => ({
          options: [c],
          sku: `${d.mpn}-${i === 0 ? 'BARE' : i === 1 ? 'DELL' : 'HPE'}`,
          price: cents(unit + (i === 0 ? 0 : 9)),
        })),
      };
    }
    default: {
      const p = rng.pick(PSUS);
      return {
        title: `${p.brand} ${p.watts}W ${p.efficiency} Power Supply ${p.pn}`,
        bodyHtml: `<p>${esc(p.brand)} ${p.watts}W hot-plug power supply (${esc(p.pn)}). Fits ${esc(p.fits)}.</p>`,
        vendor: p.brand,
        productType: 'Power Supply',
        tags: ['PSU', p.brand, `${p.watts}W`],
        optionNames: [],
        grams: 1100,
        combos: [
          { options: [], sku: p.pn, price: sellerPrice(p.price * rng.float(1.1, 1.5), rng) },
        ],
      };
    }
  }
}

function draftServerProduct(rng: Rng): ProductDraft {
  const ch = rng.pick(CHASSIS);
  const bay = rng.pick(ch.bays);
  const family = rng.pick(ch.families);
  const cpus = rng
    .sample(
      CPUS.filter((c) => c.family === family),
      3,
    )
    .sort((a, b) => a.price - b.price);
  const single = ch.model === 'R7515' || ch.model.startsWith('AS-1014S');
  const sockets = single ? 1 : 2;
  const dimm = DIMMS.find((d) => d.ddr === 'DDR4' && d.gb === 32 && d.mts >= 2666) ?? DIMMS[0];
  const memOptions = [64, 128, 256, 512]
    .slice(0, 3 + (rng.chance(0.3) ? 1 : 0))
    .slice(rng.int(0, 1));
  const drive =
    DRIVES.find((d) => d.size === bay.size && (bay.size === '3.5' ? d.tb === 4 : d.tb === 1.92)) ??
    DRIVES[0];
  const storage = ['No Drives', `4x ${drive?.tb ?? 4}TB ${drive?.kind === 'HDD' ? 'SAS' : 'SSD'}`];
  const combos: ProductDraft['combos'] = [];
  for (const cpu of cpus) {
    for (const mem of memOptions) {
      for (const [si, st] of storage.entries()) {
        const price =
          ch.barebone * 1.35 +
          cpu.price * sockets * 1.3 +
          (mem / 32) * (dimm?.price ?? 50) * 1.2 +
          (si === 1 ? 4 * (drive?.price ?? 40) * 1.2 : 0);
        combos.push({
          options: [`${sockets}x ${cpu.name}`, `${mem}GB`, st],
          sku: `${ch.mpnPrefix}-${bay.label.replace(/\s+/g, '')}-${cpu.name.replace(/\s+/g, '')}-${mem}-${si === 0 ? 'ND' : '4D'}`,
          price: cents(Math.round(price) - 0.01),
        });
      }
    }
  }
  return {
    title: `${ch.brand} ${ch.line} ${ch.model} ${bay.label} ${ch.rackUnits}U Server - Configure To Order`,
    bodyHtml: [
      `<p>Fully tested ${esc(ch.brand)} ${esc(ch.line)} ${esc(ch.model)} with ${bay.count} x ${bay.size}" bays.</p>`,
      '<ul>',
      `<li>Storage controller: ${esc(ch.raid[0] ?? 'Onboard')}</li>`,
      `<li>Remote management: ${esc(ch.mgmt)}</li>`,
      `<li>Power: 2 x ${ch.psuWatts[0] ?? 750}W redundant PSU</li>`,
      '<li>Rails and bezel included. 1-year warranty.</li>',
      '</ul>',
    ].join(''),
    vendor: ch.brand,
    productType: 'Servers',
    tags: [
      'Server',
      ch.brand,
      ch.model,
      `${ch.rackUnits}U`,
      bay.label,
      family.startsWith('epyc') ? 'AMD' : 'Intel',
    ],
    optionNames: ['Processor', 'Memory', 'Storage'],
    grams: ch.rackUnits === 1 ? 18000 : 27000,
    combos,
  };
}
