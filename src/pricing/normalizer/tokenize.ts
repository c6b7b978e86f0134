/**
 * One pass over a listing title: Unicode clean-up that keeps offsets, lowercase, and word tokens
 * with their [start, end) offsets in the original title. Everything downstream works on tokens.
 */

export interface Token {
  /** Lowercased token text. */
  t: string;
  s: number;
  e: number;
  /** Token contains a digit: most extractors skip plain words cheaply with this. */
  d: boolean;
}

function hasDigit(t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

function isDigitAt(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** Longest title we read; eBay caps at 80, shops at a few hundred. Longer input is truncated. */
export const MAX_TITLE = 600;

// Same-length replacements only, so offsets stay valid for spans.
const DASHES = /[\u2010-\u2015\u2212\u2043\ufe63\uff0d]/g;
const NOISE = /[\u00ae\u2122\u00a9\u00a0\u2009\u202f]/g;
const TIMES = /[\u00d7\u2715\u2716]/g;
/** Any character one of the three replacements would touch: most titles have none. */
const SPECIAL =
  /[\u2010-\u2015\u2212\u2043\ufe63\uff0d\u00ae\u2122\u00a9\u00a0\u2009\u202f\u00d7\u2715\u2716]/;

/** Token: starts with a letter or digit (any script), runs until a separator. A comma between
 * digits is a decimal comma ("1,2TB", "2,50GHz") and stays inside the token. */
const TOKEN =
  /[\p{L}\p{N}][^\s,;|()[\]{}"'!?*/=:<>~&\u201c\u201d\u201e\u2018\u2019\u00b4`^$€£%@\\…]*/gu;
const GLUED_QTY = /^(\d{1,3})x([a-z].*)$/;

export function cleanTitle(title: string): string {
  const t = title.length > MAX_TITLE ? title.slice(0, MAX_TITLE) : title;
  if (!SPECIAL.test(t)) return t;
  return t.replace(DASHES, '-').replace(NOISE, ' ').replace(TIMES, 'x');
}

/** Lowercases and splits; "2xIntel" becomes "2x" + "intel" (a quantity glued to a word). */
export function tokenize(clean: string): Token[] {
  const lower = clean.toLowerCase();
  const sameLength = lower.length === clean.length;
  const out: Token[] = [];
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(lower)) !== null) {
    let t = m[0];
    const s = m.index;
    // Decimal comma: glue "1" + "," + "2TB" back together.
    while (isDigitAt(lower, s + t.length - 1) && lower.charCodeAt(s + t.length) === 44) {
      if (!isDigitAt(lower, s + t.length + 1)) break;
      const next = TOKEN.exec(lower);
      if (!next) break;
      t = lower.slice(s, next.index + next[0].length);
    }
    // Trailing dots and dashes are punctuation ("card.", "GPU-"), "+" is part of names (TR4+).
    while (t.length > 1 && (t.endsWith('.') || t.endsWith('-'))) t = t.slice(0, -1);
    const e = sameLength ? s + t.length : Math.min(clean.length, s + t.length);
    const g = isDigitAt(t, 0) ? GLUED_QTY.exec(t) : null;
    if (g?.[1] && g[2]) {
      out.push({ t: `${g[1]}x`, s, e: s + g[1].length + 1, d: true });
      out.push({ t: g[2], s: s + g[1].length + 1, e, d: hasDigit(g[2]) });
      continue;
    }
    out.push({ t, s, e, d: hasDigit(t) });
  }
  return out;
}
