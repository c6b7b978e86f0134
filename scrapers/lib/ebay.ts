/** eBay sites and item URLs. */

const SITE_CURRENCY: Array<[RegExp, string]> = [
  [/(^|\.)ebay\.com$/, 'USD'],
  [/(^|\.)ebay\.co\.uk$/, 'GBP'],
  [/(^|\.)ebay\.(de|fr|it|es|at|nl|ie|be|fi|pt|gr|sk)$/, 'EUR'],
  [/(^|\.)befr\.ebay\.be$|(^|\.)benl\.ebay\.be$/, 'EUR'],
  [/(^|\.)ebay\.ca$/, 'CAD'],
  [/(^|\.)ebay\.com\.au$/, 'AUD'],
  [/(^|\.)ebay\.ch$/, 'CHF'],
  [/(^|\.)ebay\.pl$/, 'PLN'],
  [/(^|\.)ebay\.com\.sg$/, 'SGD'],
  [/(^|\.)ebay\.com\.hk$/, 'HKD'],
  [/(^|\.)ebay\.com\.my$/, 'MYR'],
  [/(^|\.)ebay\.ph$/, 'PHP'],
  [/(^|\.)ebay\.in$/, 'INR'],
];

/** The currency an eBay site shows prices in by default, from any URL on it. */
export function ebaySiteCurrency(url: string | null | undefined): string | null {
  const host = hostOf(url);
  if (!host) return null;
  for (const [re, currency] of SITE_CURRENCY) if (re.test(host)) return currency;
  return null;
}

export function hostOf(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return null;
  }
}

/** Item id from "/itm/123456789012", "/itm/Some-Title/123456789012?..." or "?item=...". */
export function ebayItemIdFromUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  const path = /\/itm\/(?:[^/?#]*\/)?(\d{9,19})(?:[/?#]|$)/.exec(url);
  if (path?.[1]) return path[1];
  const query = /[?&](?:item|itm|iid|itemId)=(\d{9,19})\b/i.exec(url);
  return query?.[1] ?? null;
}

/** Canonical item URL on the same site, without tracking parameters. */
export function canonicalItemUrl(id: string, siteUrl: string | null | undefined): string {
  let origin = 'https://www.ebay.com';
  try {
    if (siteUrl) {
      const parsed = new URL(siteUrl);
      if (/(^|\.)ebay\./.test(parsed.hostname)) {
        // "ebay.com" placeholders and "m.ebay.com" both map to the www site.
        const host = parsed.hostname.replace(/^(?:m\.|ebay\.)/, (m) =>
          m === 'm.' ? 'www.' : 'www.ebay.',
        );
        origin = `https://${host}`;
      }
    }
  } catch {
    // keep the default origin
  }
  return `${origin}/itm/${id}`;
}

export const EBAY_DEFAULT_BASE_URL = 'https://www.ebay.com';
