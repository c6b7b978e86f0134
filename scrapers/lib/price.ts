/**
 * Money parsing for marketplace text in any locale: "$1,234.56", "EUR 1.234,56", "1 199€ 95",
 * "CHF 1'234.50", "$10.00 to $20.00", "Free delivery", "+EUR 4,99 Versand", "Best offer".
 *
 * Separator rule (digit groups first, then the currency):
 * - both "." and "," present: the last one is the decimal separator;
 * - one kind repeated ("1.234.567"), or apostrophes/spaces: thousands separators;
 * - one separator followed by exactly three digits ("1.234", "1,234") is a thousands separator,
 *   because a price does not have three decimals, unless the currency has three minor digits
 *   (KWD, BHD...), the integer part is 0, or the hint says that character is the decimal mark;
 * - any other single separator ("17,72", "4.5") is the decimal separator.
 * Currency: an explicit ISO code or symbol wins; bare "$" and "¥" take the hint's currency when
 * it is a dollar or yen/yuan currency (else USD, JPY); an unknown symbol or code gives currency
 * null with a reason, never a guess.
 */

export interface PriceHint {
  /** The page or source currency (ISO 4217), used when the text has no symbol. */
  currency?: string | null;
  /** Force the decimal mark for ambiguous single separators. */
  decimalSeparator?: '.' | ',';
}

export interface ParsedPrice {
  /** Lowest amount shown; 0 for "free"; null when the text shows no price ("Best offer"). */
  amount: number | null;
  /** High end of a range ("$10 to $20"), else null. */
  amountMax: number | null;
  /** ISO 4217 code, or null when unknown (see reason). */
  currency: string | null;
  /** True for "Free shipping", "Kostenloser Versand"... */
  free: boolean;
}

export interface PriceAnalysis {
  /** null when the text could not be read as a price at all. */
  price: ParsedPrice | null;
  /** Why the price (or its amount or currency) is null; null when everything was understood. */
  reason: string | null;
}

export interface MoneyToken {
  amount: number;
  /** ISO code, or null when the marker is unknown or absent. */
  currency: string | null;
  /** The currency marker as written ("US $", "€", "EUR"), or null. */
  marker: string | null;
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Currency markers

const ISO_CODES: ReadonlySet<string> = new Set(Intl.supportedValuesOf('currency'));
const DOLLAR_CURRENCIES = new Set([
  'USD', 'CAD', 'AUD', 'NZD', 'SGD', 'HKD', 'TWD', 'MXN', 'ARS', 'CLP', 'COP', 'BSD', 'BBD',
  'BZD', 'BMD', 'FJD', 'GYD', 'JMD', 'LRD', 'NAD', 'SBD', 'SRD', 'TTD', 'XCD', 'BND', 'KYD',
]); // prettier-ignore
const YEN_CURRENCIES = new Set(['JPY', 'CNY']);
const KRONA_CURRENCIES = new Set(['SEK', 'NOK', 'DKK', 'ISK']);
/** Currencies with three minor digits, where "1,234" may be 1.234. */
const THREE_DECIMAL_CURRENCIES = new Set(['BHD', 'IQD', 'JOD', 'KWD', 'LYD', 'OMR', 'TND']);

/** Prefixed dollar forms: "US $", "C $", "AU $", "S$", "HK$"... (checked before bare "$"). */
const DOLLAR_PREFIXES: Record<string, string> = {
  US: 'USD', USD: 'USD', C: 'CAD', CA: 'CAD', CAD: 'CAD', AU: 'AUD', A: 'AUD', AUD: 'AUD',
  NZ: 'NZD', NZD: 'NZD', S: 'SGD', SG: 'SGD', SGD: 'SGD', HK: 'HKD', HKD: 'HKD', NT: 'TWD',
  MX: 'MXN', MXN: 'MXN', R: 'BRL', CL: 'CLP', COL: 'COP', AR: 'ARS',
}; // prettier-ignore

const SYMBOLS: Record<string, string> = {
  '€': 'EUR', '£': 'GBP', '₹': 'INR', '₩': 'KRW', '₽': 'RUB', '₺': 'TRY', '₪': 'ILS', '฿': 'THB',
  '₫': 'VND', '₱': 'PHP', '₴': 'UAH', '₦': 'NGN', '₡': 'CRC', '₸': 'KZT', '₼': 'AZN', '₾': 'GEL',
  '₭': 'LAK', '៛': 'KHR', '元': 'CNY', '円': 'JPY', 'zł': 'PLN', 'Kč': 'CZK', 'Ft': 'HUF',
  'lei': 'RON', 'лв': 'BGN', 'руб': 'RUB', 'р.': 'RUB', 'Rs': 'INR', 'Rp': 'IDR', 'RM': 'MYR',
  'Fr.': 'CHF', 'CHF': 'CHF', 'RMB': 'CNY', 'CN¥': 'CNY', 'JP¥': 'JPY',
}; // prettier-ignore

/** Marker before a number: "US $", "C $", "EUR", "€", "CHF", "CN¥", or any currency symbol. */
const PREFIX_RE =
  /(?:\b([A-Z]{1,3})\s?\$|\$|\b([A-Z]{3})|CN¥|JP¥|Fr\.|\bRs\.?|\bRp|\bRM|\p{Sc}|zł|Kč)\s*$/u;
/** Marker after a number: "€", "EUR", "zł", "kr", "Kč", "Ft", "lei", "円". */
const SUFFIX_RE = /^\s*(?:([A-Z]{3})\b|\p{Sc}|zł|Kč|Ft\b|kr\.?|lei\b|лв|руб|р\.|元|円|,-)/u;

interface Marker {
  marker: string;
  currency: string | null;
  unknown: boolean;
}

function resolveMarker(raw: string, hint: PriceHint | undefined): Marker {
  const marker = raw.trim();
  const hinted = hint?.currency ?? null;
  const dollar = /^([A-Z]{1,3})?\s?\$$/.exec(marker);
  if (dollar) {
    const prefix = dollar[1];
    if (!prefix) {
      const currency = hinted && DOLLAR_CURRENCIES.has(hinted) ? hinted : 'USD';
      return { marker, currency, unknown: false };
    }
    const currency = DOLLAR_PREFIXES[prefix];
    return currency
      ? { marker, currency, unknown: false }
      : { marker, currency: null, unknown: true };
  }
  if (marker === '¥' || marker === '￥') {
    const currency = hinted && YEN_CURRENCIES.has(hinted) ? hinted : 'JPY';
    return { marker, currency, unknown: false };
  }
  if (/^kr\.?$/.test(marker)) {
    // Swedish, Norwegian, Danish and Icelandic crowns all write "kr": only the page can tell.
    return hinted && KRONA_CURRENCIES.has(hinted)
      ? { marker, currency: hinted, unknown: false }
      : { marker, currency: null, unknown: true };
  }
  if (marker === ',-') return { marker, currency: hinted, unknown: false };
  const symbol = SYMBOLS[marker] ?? SYMBOLS[marker.replace(/\.$/, '')];
  if (symbol) return { marker, currency: symbol, unknown: false };
  if (/^[A-Z]{3}$/.test(marker)) {
    return ISO_CODES.has(marker)
      ? { marker, currency: marker, unknown: false }
      : { marker, currency: null, unknown: true };
  }
  return { marker, currency: null, unknown: true };
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** Spaces used as thousands separators: space, no-break space, narrow no-break, thin space. */
const GROUP_SPACE = '[ \\u00a0\\u202f\\u2009]';
const NUMBER_RE = new RegExp(
  `\\d{1,3}(?:(?:${GROUP_SPACE}|['’])\\d{3})+(?:[.,]\\d+)?|\\d[\\d.,]*\\d|\\d`,
  'gu',
);

/** Converts "1.234,56", "1 199", "1'234.50", "123,456" to a number; null when malformed. */
export function parseAmount(raw: string, currency: string | null, hint?: PriceHint): number | null {
  const compact = raw.replace(/[ \u00a0\u202f\u2009'’]/g, '');
  if (!/^\d[\d.,]*$/.test(compact)) return null;
  const dots = (compact.match(/\./g) ?? []).length;
  const commas = (compact.match(/,/g) ?? []).length;
  let normalized: string;
  if (dots > 0 && commas > 0) {
    const decimal = compact.lastIndexOf('.') > compact.lastIndexOf(',') ? '.' : ',';
    const group = decimal === '.' ? ',' : '.';
    const [intPart, fraction, ...rest] = compact.split(decimal);
    if (rest.length > 0 || intPart === undefined || fraction === undefined) return null;
    if (fraction.includes(group)) return null;
    normalized = `${intPart.split(group).join('')}.${fraction}`;
  } else if (dots + commas === 0) {
    normalized = compact;
  } else {
    const sep = dots > 0 ? '.' : ',';
    const parts = compact.split(sep);
    if (parts.length > 2) {
      // "1.234.567": grouping only, every group after the first has three digits (or two for
      // Indian lakh grouping "1,23,456", whose last group still has three).
      if (parts.slice(1).some((p) => p.length !== 3 && p.length !== 2)) return null;
      if (parts[parts.length - 1]?.length !== 3) return null;
      normalized = parts.join('');
    } else {
      const [intPart = '', fraction = ''] = parts;
      if (intPart === '' || fraction === '') return null;
      const isDecimal =
        fraction.length !== 3 ||
        intPart === '0' ||
        hint?.decimalSeparator === sep ||
        (currency !== null && THREE_DECIMAL_CURRENCIES.has(currency));
      normalized = isDecimal ? `${intPart}.${fraction}` : `${intPart}${fraction}`;
    }
  }
  const value = Number(normalized);
  return Number.isFinite(value) ? value : null;
}

/**
 * "1 199€95" / "12€ 99" (LDLC and other French shops write the cents after the symbol): moves the
 * symbol behind the cents so the number reads "1 199,95 €".
 */
function moveInfixSymbol(text: string): string {
  return text.replace(
    /(\d[\d \u00a0\u202f.]*?)\s*(\p{Sc})\s*(\d{2})(?![\d.,])/gu,
    (_m, int: string, sym: string, cents: string) => {
      const decimal = int.includes(',') ? '.' : ',';
      return `${int.trimEnd()}${decimal}${cents} ${sym}`;
    },
  );
}

function normalizeSpaces(text: string): string {
  return text.replace(/[\u200b-\u200d\u2060\u2063\ufeff]/g, '').replace(/\s+/g, ' ');
}

// ---------------------------------------------------------------------------------------------
// Public API

/** Every amount in the text with its currency marker, in reading order. */
export function findMoney(text: string, hint?: PriceHint): MoneyToken[] {
  const source = moveInfixSymbol(normalizeSpaces(text));
  const tokens: MoneyToken[] = [];
  for (const match of source.matchAll(NUMBER_RE)) {
    const start = match.index;
    const raw = match[0];
    const end = start + raw.length;
    const before = PREFIX_RE.exec(source.slice(Math.max(0, start - 8), start));
    const after = SUFFIX_RE.exec(source.slice(end, end + 8));
    // A number glued to letters ("s-l500", "16GB", "i5-8350U") is not an amount, unless the
    // letters are its currency ("USD12", "12EUR").
    const prevChar = source[start - 1] ?? '';
    const nextChar = source[end] ?? '';
    if (/[\p{L}/]/u.test(prevChar) && !before) continue;
    if (/\p{L}/u.test(nextChar) && !after) continue;
    const markerText = before?.[0] ?? after?.[0] ?? null;
    const marker = markerText ? resolveMarker(markerText, hint) : null;
    const currency = marker ? marker.currency : (hint?.currency ?? null);
    const amount = parseAmount(raw, currency, hint);
    if (amount === null) continue;
    tokens.push({ amount, currency, marker: marker?.marker ?? null, start, end });
  }
  return tokens;
}

const FREE_RE =
  /\b(?:free|gratis|kostenlos(?:er|e)?|gratuit[e]?|gratuita|gratuito|darmowa|bezpłatn\w*|zdarma|ingyenes|ücretsiz)\b|offert[e]?\b|\bsans frais\b|\bversandkostenfrei\b/iu;
const NO_PRICE_RE =
  /best offer|make (?:an )?offer|see price|price on request|request (?:a )?quote|call for price|contact (?:us )?for price|preisvorschlag|preis auf anfrage|preis anfragen|faire une offre|prix sur demande|offre directe|proposta|fai un'offerta|prezzo su richiesta|mejor oferta|precio a consultar|bieden|prijs op aanvraag|zaproponuj cenę|see details/iu;
const RANGE_JOIN_RE = /^\s*(?:to|bis|à|a|au|al|–|—|-|~|tot|até|do|hasta|fino a|à partir de)\s*$/iu;

/**
 * Reads a price. Returns the price (amount null for "Best offer"-style texts) and a reason
 * whenever something is missing: no number, an unknown currency marker, no currency at all.
 */
export function analyzePrice(text: string | null | undefined, hint?: PriceHint): PriceAnalysis {
  const input = normalizeSpaces(text ?? '').trim();
  if (input === '') return { price: null, reason: 'empty price text' };
  const tokens = findMoney(input, hint);
  const first = tokens[0];
  if (FREE_RE.test(input) && !tokens.some((t) => t.marker !== null)) {
    // "Free 4 day shipping": the number is not money.
    return {
      price: { amount: 0, amountMax: null, currency: hint?.currency ?? null, free: true },
      reason: null,
    };
  }
  if (!first) {
    if (FREE_RE.test(input)) {
      return {
        price: { amount: 0, amountMax: null, currency: hint?.currency ?? null, free: true },
        reason: null,
      };
    }
    if (NO_PRICE_RE.test(input)) {
      return {
        price: { amount: null, amountMax: null, currency: hint?.currency ?? null, free: false },
        reason: `no price shown: "${input.slice(0, 60)}"`,
      };
    }
    return { price: null, reason: `no amount in "${input.slice(0, 60)}"` };
  }
  let amountMax: number | null = null;
  const second = tokens[1];
  if (second) {
    const between = moveInfixSymbol(input).slice(first.end, second.start);
    const isRange =
      second.currency === first.currency &&
      second.amount >= first.amount &&
      RANGE_JOIN_RE.test(stripMarkers(between));
    if (isRange) amountMax = second.amount;
  }
  let reason: string | null = null;
  if (first.currency === null) {
    reason = first.marker
      ? `unknown currency marker "${first.marker}"`
      : 'no currency symbol and no page currency';
  }
  return {
    price: { amount: first.amount, amountMax, currency: first.currency, free: false },
    reason,
  };
}

function stripMarkers(between: string): string {
  return between
    .replace(/(?:\b[A-Z]{1,3}\s?)?\$|\b[A-Z]{3}\b|\p{Sc}|zł|Kč|Fr\.|CHF/gu, ' ')
    .replace(/\s+/g, ' ');
}

/** The price, or null when the text holds none; see analyzePrice for the reason. */
export function parsePrice(text: string | null | undefined, hint?: PriceHint): ParsedPrice | null {
  return analyzePrice(text, hint).price;
}

export interface ParsedShipping {
  /** 0 when free; null when unknown (not specified, freight, pickup only, other currency). */
  amount: number | null;
  currency: string | null;
  reason: string | null;
}

const SHIPPING_UNKNOWN_RE =
  /not specified|freight|local pickup|pickup only|abholung|retrait|nicht angegeben|non specificat|no especificado|see details|siehe details|voir détails/iu;

/**
 * Reads a shipping line: "Free delivery", "+$32.51 delivery", "+ ca. EUR 12,96 Versand",
 * "EUR 150.00 (approx US $170.21) DHL". With `listingCurrency`, an amount in another currency is
 * replaced by an approximation in the listing currency when the text gives one, else unknown.
 */
export function parseShipping(
  text: string | null | undefined,
  hint?: PriceHint & { listingCurrency?: string | null },
): ParsedShipping {
  const input = normalizeSpaces(text ?? '').trim();
  if (input === '') return { amount: null, currency: null, reason: 'no shipping text' };
  const tokens = findMoney(input, hint);
  if (FREE_RE.test(input) && !tokens.some((t) => t.marker !== null)) {
    return { amount: 0, currency: hint?.currency ?? null, reason: null };
  }
  if (tokens.length === 0) {
    if (SHIPPING_UNKNOWN_RE.test(input)) {
      return { amount: null, currency: null, reason: `shipping not stated: "${input}"` };
    }
    return { amount: null, currency: null, reason: `no amount in shipping "${input}"` };
  }
  const wanted = hint?.listingCurrency ?? null;
  const token = wanted ? (tokens.find((t) => t.currency === wanted) ?? null) : (tokens[0] ?? null);
  if (!token) {
    return {
      amount: null,
      currency: null,
      reason: `shipping in ${tokens[0]?.currency ?? 'unknown currency'}, listing in ${wanted}`,
    };
  }
  if (token.currency === null) {
    return { amount: null, currency: null, reason: `unknown currency in shipping "${input}"` };
  }
  return { amount: token.amount, currency: token.currency, reason: null };
}
