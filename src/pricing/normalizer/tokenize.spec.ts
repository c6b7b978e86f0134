import { cleanTitle, tokenize, type Token } from './tokenize';

/**
 * The tokenizer as it was written with one regex (before the character scanner): the scanner
 * must give exactly the same tokens and offsets for any input.
 */
const TOKEN =
  /[\p{L}\p{N}][^\s,;|()[\]{}"'!?*/=:<>~&\u201c\u201d\u201e\u2018\u2019\u00b4`^$€£%@\\…]*/gu;
const GLUED_QTY = /^(\d{1,3})x([a-z].*)$/;

function referenceTokenize(clean: string): Token[] {
  const lower = clean.toLowerCase();
  const sameLength = lower.length === clean.length;
  const out: Token[] = [];
  const digitAt = (s: string, i: number): boolean => /[0-9]/.test(s[i] ?? '');
  TOKEN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = TOKEN.exec(lower)) !== null) {
    let t = m[0];
    const s = m.index;
    while (digitAt(lower, s + t.length - 1) && lower.charCodeAt(s + t.length) === 44) {
      if (!digitAt(lower, s + t.length + 1)) break;
      const next = TOKEN.exec(lower);
      if (!next) break;
      t = lower.slice(s, next.index + next[0].length);
    }
    while (t.length > 1 && (t.endsWith('.') || t.endsWith('-'))) t = t.slice(0, -1);
    const e = sameLength ? s + t.length : Math.min(clean.length, s + t.length);
    const g = digitAt(t, 0) ? GLUED_QTY.exec(t) : null;
    if (g?.[1] && g[2]) {
      out.push({ t: `${g[1]}x`, s, e: s + g[1].length + 1, d: true });
      out.push({ t: g[2], s: s + g[1].length + 1, e, d: /[0-9]/.test(g[2]) });
      continue;
    }
    out.push({ t, s, e, d: /[0-9]/.test(t) });
  }
  return out;
}

/** Deterministic PRNG so a failure is reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('tokenize', () => {
  it('splits titles into lowercased tokens with offsets', () => {
    expect(tokenize('Dell R740xd 2xIntel 1,2TB (x2) card.').map((t) => [t.t, t.s, t.e])).toEqual([
      ['dell', 0, 4],
      ['r740xd', 5, 11],
      ['2x', 12, 14],
      ['intel', 14, 19],
      ['1,2tb', 20, 25],
      ['x2', 27, 29],
      ['card', 31, 35],
    ]);
  });

  it('accepts the lowercased title from the caller', () => {
    const title = 'HPE DL380 Gen10 2x Gold 6248';
    expect(tokenize(title, title.toLowerCase())).toEqual(tokenize(title));
  });

  it('matches the regex tokenizer for every UTF-16 code unit between words', () => {
    const mismatches: string[] = [];
    for (let c = 0; c <= 0xffff; c++) {
      const ch = String.fromCharCode(c);
      // As separator, token start and token middle, next to a decimal comma and a trailing dash.
      const clean = cleanTitle(`a${ch}b ${ch}1,2${ch} 2x${ch}-`);
      if (JSON.stringify(tokenize(clean)) !== JSON.stringify(referenceTokenize(clean))) {
        mismatches.push(c.toString(16));
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('matches the regex tokenizer on astral characters and surrogate pairs', () => {
    const mismatches: string[] = [];
    for (let cp = 0x10000; cp <= 0x10ffff; cp += 101) {
      const ch = String.fromCodePoint(cp);
      for (const s of [`a ${ch}b`, `${ch}${ch} 1`, `x${ch.charAt(0)} ${ch.charAt(1)}y`]) {
        if (JSON.stringify(tokenize(s)) !== JSON.stringify(referenceTokenize(s))) {
          mismatches.push(cp.toString(16));
          break;
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('matches the regex tokenizer on random listing-like strings', () => {
    const alphabet = [
      ...'abcxyzXK0123456789',
      ...' ,.-+/()|"\'!?*=:<>~&`^$%@\\;[]{}',
      '\u00a0',
      '\u2009',
      '\u2013',
      '\u00d7',
      '\u00ae',
      '\u201e',
      '\u2026',
      '\u20ac',
      'ß',
      'İ',
      'Ä',
      'д',
      'Ж',
      '１',
      '\ud835\udc00',
      '\ud800',
      '\udc00',
      '\u3000',
      '\ufeff',
    ];
    const r = rng(11);
    const mismatches: string[] = [];
    for (let n = 0; n < 20000; n++) {
      let s = '';
      const len = Math.floor(r() * 24);
      for (let k = 0; k < len; k++) s += alphabet[Math.floor(r() * alphabet.length)];
      const clean = cleanTitle(s);
      if (JSON.stringify(tokenize(clean)) !== JSON.stringify(referenceTokenize(clean))) {
        mismatches.push(s);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
