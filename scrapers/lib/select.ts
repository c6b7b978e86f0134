import type { Cheerio, CheerioAPI } from 'cheerio';
import type { AnyNode, Element } from 'domhandler';

/**
 * Faster equivalents of cheerio's `find`, `is` and `parents` for parsers that ask the same
 * questions of every card on a page.
 *
 * Each `card.find(selector)` parses and compiles its selector again, then tests every node of
 * the card: with 60 cards and ~30 lookups per card that was most of an eBay search page's parse
 * time, and each `$(selector)` over the whole document tests all of its ~2,000 elements.
 *
 * Here a compound selector (a tag, classes, ids and attribute tests, without pseudo-classes) is
 * evaluated once per loaded document: its candidates come from a class/id/tag index built in one
 * pass, and cheerio's own `.filter(compound)` decides, so matching stays cheerio's. Lookups then
 * walk only the scope's subtree and test set membership. Selectors made of such compounds joined
 * by commas and descendant combinators (`.a .b, img`) are handled, with cheerio's scoping rules;
 * anything else (`>`, `+`, `~`, pseudo-classes, escapes, quoted spaces) goes to cheerio unchanged.
 *
 * The index assumes the document is not modified once it has been queried, which holds for the
 * parsers: they read the page and never edit it.
 */

const COMPOUND_RE =
  /^(?:[a-zA-Z][\w-]*|\*)?(?:[.#][\w-]+|\[[\w-]+(?:[~|^$*]?=(?:"[^"\\]*"|'[^'\\]*'|[\w-]+))?\])*$/;
const TAG_RE = /^[a-zA-Z][\w-]*/;
const ID_RE = /#([\w-]+)/;
const CLASS_RE = /\.([\w-]+)/;

/** One comma-separated part: compounds joined by descendant combinators, outermost first. */
type Chain = readonly string[];

const parsedSelectors = new Map<string, readonly Chain[] | null>();

/** The selector's chains, or null when it uses anything beyond compounds and descendants. */
function parseSelector(selector: string): readonly Chain[] | null {
  let parsed = parsedSelectors.get(selector);
  if (parsed === undefined) {
    const chains = selector.split(',').map((part) => part.trim().split(/\s+/));
    parsed = chains.every((chain) => chain.every((c) => c !== '' && COMPOUND_RE.test(c)))
      ? chains
      : null;
    // Parsers use a fixed set of selectors; the bound only guards against unbounded configs.
    if (parsedSelectors.size < 2000) parsedSelectors.set(selector, parsed);
  }
  return parsed;
}

interface DocumentIndex {
  readonly all: Element[];
  /** Keys are lower-cased: a superset for every case-sensitivity mode. */
  readonly byClass: Map<string, Element[]>;
  readonly byId: Map<string, Element[]>;
  readonly byTag: Map<string, Element[]>;
  readonly compounds: Map<string, Set<AnyNode>>;
  /** Per selector: for each comma-separated part, the matches of its compounds. */
  readonly selectors: Map<string, ChainMatches[]>;
}

type ChainMatches = ReadonlyArray<ReadonlySet<AnyNode>>;

const indexes = new WeakMap<CheerioAPI, DocumentIndex>();

function push(map: Map<string, Element[]>, key: string, el: Element): void {
  const list = map.get(key);
  if (list) list.push(el);
  else map.set(key, [el]);
}

function indexOf($: CheerioAPI): DocumentIndex {
  let index = indexes.get($);
  if (index) return index;
  index = {
    all: [],
    byClass: new Map(),
    byId: new Map(),
    byTag: new Map(),
    compounds: new Map(),
    selectors: new Map(),
  };
  const visit = (nodes: readonly AnyNode[]): void => {
    for (const node of nodes) {
      if (!isElement(node)) {
        // A template's content is a document fragment: cheerio's `$()` still finds in it.
        if ('children' in node) visit(node.children);
        continue;
      }
      index.all.push(node);
      push(index.byTag, node.name.toLowerCase(), node);
      const id = node.attribs.id;
      if (id !== undefined) push(index.byId, id.toLowerCase(), node);
      const classes = node.attribs.class;
      if (classes !== undefined) {
        // Split like css-select's `~=` test (JS \s), so every element it can match is listed.
        for (const name of classes.toLowerCase().split(/\s+/)) {
          // A class repeated on one element is listed once (its lists end with this element).
          if (name !== '' && index.byClass.get(name)?.at(-1) !== node) {
            push(index.byClass, name, node);
          }
        }
      }
      visit(node.children);
    }
  };
  for (const root of $.root().toArray()) visit(root.children);
  indexes.set($, index);
  return index;
}

/**
 * Drops the document's index, emptied so that a matcher or selection still referenced somewhere
 * cannot hold every element of the page through it (see withDocument).
 */
export function forgetDocument($: CheerioAPI): void {
  const index = indexes.get($);
  if (!index) return;
  indexes.delete($);
  index.all.length = 0;
  index.byClass.clear();
  index.byId.clear();
  index.byTag.clear();
  for (const matches of index.compounds.values()) matches.clear();
  index.compounds.clear();
  index.selectors.clear();
}

/** Elements (including script and style), not text, comments or the document. */
export function isElement(node: AnyNode): node is Element {
  return node.nodeType === 1 && 'children' in node;
}

/** Every element of the document matching one compound selector. */
function compoundMatches($: CheerioAPI, compound: string): ReadonlySet<AnyNode> {
  const index = indexOf($);
  let matches = index.compounds.get(compound);
  if (!matches) {
    const id = ID_RE.exec(compound)?.[1];
    const cls = CLASS_RE.exec(compound)?.[1];
    const tag = TAG_RE.exec(compound)?.[0];
    const candidates =
      id !== undefined
        ? (index.byId.get(id.toLowerCase()) ?? [])
        : cls !== undefined
          ? (index.byClass.get(cls.toLowerCase()) ?? [])
          : tag !== undefined
            ? (index.byTag.get(tag.toLowerCase()) ?? [])
            : index.all;
    matches = new Set(candidates.length === 0 ? [] : $(candidates).filter(compound).toArray());
    index.compounds.set(compound, matches);
  }
  return matches;
}

/** A node test with cheerio's semantics for the lookup it was made for. */
export type Matcher = (node: AnyNode) => boolean;

const NO_MATCH: Matcher = () => false;

/**
 * How far up a descendant combinator may look. css-select climbs element parents only (a
 * template's content fragment stops it). Under a scope whose element has an element parent,
 * cheerio's find reads `.a .b` as `:scope .a .b` with a "flexible" first step: `.a` is the scope
 * itself or inside it, never above. `top` is the root of a detached copy: ancestors up to and
 * including it count, none above.
 */
type Reach = { scope: AnyNode } | { top: AnyNode } | 'document';

function matcherFor($: CheerioAPI, selector: string, reach: Reach): Matcher | null {
  const sets = chainMatches($, selector);
  if (!sets) return null;
  let scope: AnyNode | null = null;
  let top: AnyNode | null = null;
  if (reach !== 'document' && 'scope' in reach) {
    const parent = reach.scope.parent;
    if (isElement(reach.scope) && parent && isElement(parent)) scope = reach.scope;
  } else if (reach !== 'document') {
    top = reach.top;
  }
  return (node) => {
    for (const chain of sets) if (matchesChain(node, chain, scope, top)) return true;
    return false;
  };
}

function chainMatches($: CheerioAPI, selector: string): ChainMatches[] | null {
  const chains = parseSelector(selector);
  if (!chains) return null;
  const index = indexOf($);
  let sets = index.selectors.get(selector);
  if (!sets) {
    sets = chains.map((chain) => chain.map((compound) => compoundMatches($, compound)));
    index.selectors.set(selector, sets);
  }
  return sets;
}

/**
 * Whether `node` matches compounds c1 ... cn joined by descendant combinators: node matches cn,
 * and element ancestors match the others in order (the nearest match for each is the best
 * choice). With a scope, c1 may be the scope itself, and the scope must be reached.
 */
function matchesChain(
  node: AnyNode,
  chain: ChainMatches,
  scope: AnyNode | null,
  top: AnyNode | null,
): boolean {
  let k = chain.length - 1;
  if (!chain[k]!.has(node)) return false;
  k--;
  if (k < 0 && !scope) return true;
  for (let up = node.parent; up && isElement(up) && node !== top; up = up.parent) {
    if (k >= 0 && chain[k]!.has(up)) k--;
    if (up === scope) return k < 0;
    if (k < 0 && !scope) return true;
    if (up === top) break;
  }
  return false;
}

/**
 * Descendants of `node` passing `test`, in document order, at most `limit` of them. Like
 * cheerio's find, the search starts from the scope's element children (not a template's content
 * fragment directly under it), then goes through every node below them.
 */
function collect(
  node: AnyNode,
  test: Matcher,
  found: AnyNode[],
  limit: number,
  isScope = true,
): void {
  if (!('children' in node)) return;
  for (const child of node.children) {
    if (found.length >= limit) return;
    if (isScope && !isElement(child)) continue;
    if (test(child)) found.push(child);
    collect(child, test, found, limit, false);
  }
}

function scopedFind(
  $: CheerioAPI,
  scope: Cheerio<AnyNode>,
  selector: string,
  limit: number,
): Cheerio<AnyNode> {
  // Several scope elements may nest: cheerio de-duplicates those, so leave them to it.
  const root = scope.length === 1 ? scope[0] : undefined;
  const test = root ? matcherFor($, selector, { scope: root }) : null;
  if (!root || !test) {
    const all = scope.find(selector);
    return limit === 1 ? all.first() : all;
  }
  const found: AnyNode[] = [];
  collect(root, test, found, limit);
  return $(found);
}

/** `scope.find(selector)`. */
export function findIn($: CheerioAPI, scope: Cheerio<AnyNode>, selector: string): Cheerio<AnyNode> {
  return scopedFind($, scope, selector, Infinity);
}

/** `scope.find(selector).first()`, stopping at the first match. */
export function firstIn(
  $: CheerioAPI,
  scope: Cheerio<AnyNode>,
  selector: string,
): Cheerio<AnyNode> {
  return scopedFind($, scope, selector, 1);
}

/** `$(selector)`: matches anywhere in the document. */
export function queryAll($: CheerioAPI, selector: string): Cheerio<AnyNode> {
  return queryDocument($, selector, Infinity);
}

/** `$(selector).first()`. */
export function queryFirst($: CheerioAPI, selector: string): Cheerio<AnyNode> {
  return queryDocument($, selector, 1);
}

function queryDocument($: CheerioAPI, selector: string, limit: number): Cheerio<AnyNode> {
  const sets = chainMatches($, selector);
  // Without descendant combinators the matches are the compounds' own, already in document
  // order: no walk over the whole document (most such queries, like bot-wall markers, match
  // nothing at all).
  if (sets?.every((chain) => chain.length === 1)) {
    const hits = sets.map((chain) => chain[0]!).filter((set) => set.size > 0);
    if (hits.length === 0) return $([]);
    if (hits.length === 1) return $([...hits[0]!].slice(0, limit));
    const all = indexOf($).all.filter((el) => hits.some((set) => set.has(el)));
    return $(all.slice(0, limit));
  }
  return scopedFind($, $.root(), selector, limit);
}

/** `$(node).is(selector)`. */
export function nodeIs($: CheerioAPI, node: AnyNode, selector: string): boolean {
  const test = matcherFor($, selector, 'document');
  return test ? test(node) : $(node).is(selector);
}

/** `$(node).parents(selector).length > 0`: whether some ancestor matches. */
export function hasAncestor($: CheerioAPI, node: AnyNode, selector: string): boolean {
  const test = matcherFor($, selector, 'document');
  if (!test) return $(node).parents(selector).length > 0;
  // Like cheerio's parents(): up to the nearest document (or template content) node.
  for (let up = node.parent; up && up.nodeType !== 9; up = up.parent) {
    if (test(up)) return true;
  }
  return false;
}

/**
 * A test for "would `el.clone().find(selector)` return this node's copy", for walks over `el`'s
 * subtree that read the element as if those descendants were removed, without copying it.
 */
export function descendantTest($: CheerioAPI, el: Cheerio<AnyNode>, selector: string): Matcher {
  if (el.length === 0) return NO_MATCH;
  const test = el.length === 1 ? matcherFor($, selector, { top: el[0]! }) : null;
  if (test) return test;
  const copies = el.clone();
  const found = new Set<AnyNode>(copies.find(selector).toArray());
  // Map the copies' matches back to the originals by their position in each subtree.
  const originals = new Set<AnyNode>();
  const pair = (original: AnyNode, copy: AnyNode): void => {
    if (found.has(copy)) originals.add(original);
    if ('children' in original && 'children' in copy) {
      original.children.forEach((child, i) => pair(child, copy.children[i]!));
    }
  };
  el.toArray().forEach((root, i) => pair(root, copies[i]!));
  return (node) => originals.has(node);
}
