import * as cheerio from 'cheerio';
import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import { descendantTest, forgetDocument, isElement, type Matcher } from './select';

export type { AnyNode, Cheerio, CheerioAPI, Element };

/**
 * Parses HTML without running scripts; tolerant of truncated or malformed markup. htmlparser2
 * (HTML mode: implied end tags for p, li, td, option..., entities decoded) rather than cheerio's
 * default parse5: on a 60-card search page it parses in ~7 ms where parse5 took ~20 ms, two thirds
 * of the whole parse, and the parsers only need the element tree, not parse5's full HTML5 tree
 * construction (the golden tests on the saved real pages hold with either).
 */
export function loadHtml(body: string): CheerioAPI {
  return cheerio.load(body, { xml: { xmlMode: false, decodeEntities: true } });
}

/**
 * Parses `body`, lets `read` extract plain data from it, then takes the tree apart. Parsers use
 * this instead of loadHtml. A loaded document stays reachable after use until the next full
 * collection (cheerio defines a class per document, and V8 keeps such classes in the old
 * generation), so a young-generation collection could not free a page's tree while any node of
 * it stayed reachable through parent and child links. Cut apart, whatever stays reachable is a
 * lone node. `read` must return plain data, never nodes or selections.
 */
export function withDocument<T>(body: string, read: ($: CheerioAPI) => T): T {
  const $ = loadHtml(body);
  try {
    return read($);
  } finally {
    forgetDocument($);
    dismantle($.root().toArray());
  }
}

function dismantle(roots: AnyNode[]): void {
  const stack = [...roots];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if ('children' in node) {
      for (const child of node.children) stack.push(child);
      node.children = [];
    }
    node.parent = null;
    node.prev = null;
    node.next = null;
  }
}

/** Zero-width characters eBay sprinkles into obfuscated labels, and soft hyphens. */
const INVISIBLE_RE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

/** Collapses whitespace, removes invisible characters, trims. */
export function cleanText(text: string | null | undefined): string {
  return (text ?? '').replace(INVISIBLE_RE, '').replace(/\s+/g, ' ').trim();
}

/** Elements after which textWithout inserts a space, so adjacent blocks do not run together. */
const SEPARATED_TAGS: ReadonlySet<string> = new Set([
  'span',
  'div',
  'p',
  'li',
  'br',
  'td',
  'dt',
  'dd',
]);
const NOTHING_SEPARATED: ReadonlySet<string> = new Set();

/**
 * Text of an element with the given descendants removed (screen-reader text, badges), and a
 * space after every inline block so "Neu |Gewerblich" does not become "Neu |Gewerblich".
 *
 * Reads the tree in place. It used to clone the element and `.append(' ')` to every block, but
 * cheerio parses an appended string as an HTML fragment (a new parse5 parser per span), which
 * made this the parsers' hot spot.
 */
export function textWithout(
  $: CheerioAPI,
  el: Cheerio<AnyNode>,
  removeSelector = '.clipped, script, style, noscript',
): string {
  return cleanText(textSkipping($, el, removeSelector, SEPARATED_TAGS));
}

/**
 * `el.text()` as if the descendants matching `skipSelector` were removed first, with a space
 * after every descendant element whose tag is in `separated`. The document is not modified.
 */
export function textSkipping(
  $: CheerioAPI,
  el: Cheerio<AnyNode>,
  skipSelector: string,
  separated: ReadonlySet<string> = NOTHING_SEPARATED,
): string {
  const skip = descendantTest($, el, skipSelector);
  const parts: string[] = [];
  for (const root of el.toArray()) collectText(root, 'root', skip, separated, parts);
  return parts.join('');
}

/**
 * The traversal of domutils' textContent (what `.text()` uses): text nodes' data, recursing into
 * elements, documents and CDATA, never into comments; plus the skips and separators above.
 * What cheerio's find would not reach from the root (a template's content fragment directly
 * under it) is read but never skipped or separated.
 */
function collectText(
  node: AnyNode,
  reach: 'root' | 'findable' | 'unreached',
  skip: Matcher,
  separated: ReadonlySet<string>,
  parts: string[],
): void {
  if (reach === 'findable' && skip(node)) return;
  // nodeType 3 is Text (checked this way: domhandler is cheerio's dependency, not ours).
  if (node.nodeType === 3) {
    parts.push(node.data);
    return;
  }
  if (!('children' in node)) return; // comments, processing instructions
  for (const child of node.children) {
    const childReach = reach === 'root' ? (isElement(child) ? 'findable' : 'unreached') : reach;
    collectText(child, childReach, skip, separated, parts);
  }
  if (reach === 'findable' && 'name' in node && separated.has(node.name)) parts.push(' ');
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
