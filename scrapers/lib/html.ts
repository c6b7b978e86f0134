import * as cheerio from 'cheerio';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

export type { AnyNode, Cheerio, CheerioAPI, Element };

/** Parses HTML without running scripts; tolerant of truncated or malformed markup. */
export function loadHtml(body: string): CheerioAPI {
  return cheerio.load(body);
}

/** Zero-width characters eBay sprinkles into obfuscated labels, and soft hyphens. */
const INVISIBLE_RE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

/** Collapses whitespace, removes invisible characters, trims. */
export function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(INVISIBLE_RE, '').replace(/\s+/g, ' ').trim();
}

/** Text of an element with the given descendants removed (screen-reader text, badges). */
export function textWithout(
  $: CheerioAPI,
  el: Cheerio<AnyNode>,
  removeSelector = '.clipped, script, style, noscript',
): string {
  const copy = el.clone();
  copy.find(removeSelector).remove();
  // Separate adjacent inline blocks so "Neu |Gewerblich" does not become "Neu |Gewerblich".
  copy.find('span, div, p, li, br, td, dt, dd').each((_i, node) => {
    $(node).append(' ');
  });
  return cleanText(copy.text());
}

/** Absolute URL or null (javascript:, empty, unparseable). */
export function absoluteUrl(href: string | null | undefined, base: string): string | null {
  const value = (href ?? '').trim();
  if (value === '' || /^(?:javascript|data|mailto):/i.test(value) || value === '#') return null;
  try {
    return new URL(value, base).toString();
  } catch {
    return null;
  }
}

/** Clamps optional strings to a schema limit; empty becomes null. */
export function limit(text: string | null | undefined, max: number): string | null {
  const value = cleanText(text);
  if (value === '') return null;
  return value.length > max ? value.slice(0, max) : value;
}

/** First integer in a text: "1,234 results" -> 1234, "1.300+ Ergebnisse" -> 1300. */
export function firstInteger(text: string | null | undefined): number | null {
  const match = /\d{1,3}(?:[.,' \u00a0\u202f]\d{3})+(?!\d)|\d+/.exec(cleanText(text));
  if (!match) return null;
  const value = Number(match[0].replace(/\D/g, ''));
  return Number.isSafeInteger(value) ? value : null;
}
