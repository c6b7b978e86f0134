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

/**
 * Token: starts with a letter or digit (any script) and runs until a separator; a comma between
 * digits is a decimal comma ("1,2TB", "2,50GHz") and stays inside the token. This is the regex
 *   /[\p{L}\p{N}][^\s,;|()[\]{}"'!?*\/=:<>~&\u201c\u201d\u201e\u2018\u2019\u00b4`^$€£%@\\…]*\/gu
 * written as a character scanner: running that regex once per token was most of the tokenizer's
 * time. tokenize.spec.ts checks the scanner against the regex.
 */
const ASCII_SEPARATORS = ' \t\n\v\f\r,;|()[]{}"\'!?*/=:<>~&`^$%@\\';
/** Non-ASCII separators: Unicode white space (what \s adds) and typographic quotes and signs. */
const WIDE_SEPARATORS = new Set([
  0x00a0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009,
  0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff, 0x201c, 0x201d, 0x201e, 0x2018, 0x2019,
  0x00b4, 0x20ac, 0x00a3, 0x2026,
]);
/** ASCII class per code: separator, letter, digit (letters and digits start tokens), other. */
const SEP = 1;
const LETTER = 2;
const DIGIT = 3;
const ASCII_CLASS = new Uint8Array(128);
for (const ch of ASCII_SEPARATORS) ASCII_CLASS[ch.charCodeAt(0)] = SEP;
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = DIGIT;
for (let c = 65; c <= 90; c++) ASCII_CLASS[c] = LETTER;
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = LETTER;
/** Letter or number of any script at one position (sticky: tested in place, whole code point). */
const WIDE_START = /[\p{L}\p{N}]/uy;

function isSeparator(c: number): boolean {
  return c < 128 ? ASCII_CLASS[c] === SEP : WIDE_SEPARATORS.has(c);
}

function isTokenStart(s: string, i: number, c: number): boolean {
  if (c < 128) return ASCII_CLASS[c]! >= LETTER;
  WIDE_START.lastIndex = i;
  return WIDE_START.test(s);
}

/** Width of the code point at i: a surrogate pair is skipped whole, as the /u regex did. */
function codePointWidth(s: string, i: number, c: number): number {
  if (c < 0xd800 || c > 0xdbff) return 1;
  const lo = s.charCodeAt(i + 1);
  return lo >= 0xdc00 && lo <= 0xdfff ? 2 : 1;
}

/** "2xintel" -> length of the quantity "2" (1-3 digits before "x" and a letter), else 0. */
function gluedQtyDigits(t: string): number {
  let k = 0;
  while (k < t.length && isDigitAt(t, k)) k++;
  if (k < 1 || k > 3 || t.charCodeAt(k) !== 120) return 0;
  const c = t.charCodeAt(k + 1);
  return c >= 97 && c <= 122 ? k : 0;
}

/** Every SPECIAL character is at or above U+00A0: an ASCII title skips the regex. */
function hasNonAscii(t: string): boolean {
  for (let i = 0; i < t.length; i++) if (t.charCodeAt(i) >= 0xa0) return true;
  return false;
}

export function cleanTitle(title: string): string {
  const t = title.length > MAX_TITLE ? title.slice(0, MAX_TITLE) : title;
  if (!hasNonAscii(t) || !SPECIAL.test(t)) return t;
  return t.replace(DASHES, '-').replace(NOISE, ' ').replace(TIMES, 'x');
}

/**
 * Lowercases and splits; "2xIntel" becomes "2x" + "intel" (a quantity glued to a word). Callers
 * that already hold the lowercased title pass it to save a second toLowerCase().
 */
export function tokenize(clean: string, lower: string = clean.toLowerCase()): Token[] {
  const sameLength = lower.length === clean.length;
  const out: Token[] = [];
  const len = lower.length;
  let p = 0;
  while (p < len) {
    const c = lower.charCodeAt(p);
    if (!isTokenStart(lower, p, c)) {
      p += codePointWidth(lower, p, c);
      continue;
    }
    const s = p;
    let end = p + 1;
    let digit = c >= 48 && c <= 57;
    for (;;) {
      while (end < len) {
        const k = lower.charCodeAt(end);
        if (isSeparator(k)) break;
        if (k >= 48 && k <= 57) digit = true;
        end++;
      }
      // Decimal comma: glue "1" + "," + "2TB" back together.
      if (!isDigitAt(lower, end - 1) || lower.charCodeAt(end) !== 44 || !isDigitAt(lower, end + 1))
        break;
      end += 2;
    }
    p = end;
    // Trailing dots and dashes are punctuation ("card.", "GPU-"), "+" is part of names (TR4+).
    while (end - s > 1 && (lower.charCodeAt(end - 1) === 46 || lower.charCodeAt(end - 1) === 45)) {
      end--;
    }
    const t = lower.slice(s, end);
    const e = sameLength ? end : Math.min(clean.length, end);
    const q = isDigitAt(t, 0) ? gluedQtyDigits(t) : 0;
    if (q > 0) {
      const word = t.slice(q + 1);
      out.push({ t: t.slice(0, q + 1), s, e: s + q + 1, d: true });
      out.push({ t: word, s: s + q + 1, e, d: hasDigit(word) });
      continue;
    }
    // Trimmed dots and dashes are no digits: the scan's flag is the token's.
    out.push({ t, s, e, d: digit });
  }
  return out;
}
