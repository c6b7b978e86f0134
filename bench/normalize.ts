/**
 * Normalizer throughput: 200,000 titles built from the labelled set with realistic variations
 * (case, spacing, token order, seller noise, price words), single thread. Prints titles/s and
 * ns/title for the full normalizer and for a lowercase+tokenize baseline over the same titles.
 *
 *   npm run bench -- normalize [count] [path/to/labelled.jsonl]
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadCatalogs } from '../src/pricing/catalog/catalogs';
import { normalize } from '../src/pricing/normalizer/normalize';
import { defaultLabelledPath, parseLabelled } from '../src/pricing/normalizer/eval';

const NOISE = [
  'FAST SHIP',
  'L@@K',
  '!!!',
  'Free Shipping',
  'OBO',
  'USA Seller',
  '$499',
  'best offer',
  'TESTED',
  'Ships Today',
  '1yr warranty',
];

/** Deterministic PRNG so every run measures the same titles. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function variations(base: string[], count: number): string[] {
  const r = rng(42);
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    let t = base[i % base.length] ?? '';
    const roll = r();
    if (roll < 0.2) t = t.toUpperCase();
    else if (roll < 0.35) t = t.toLowerCase();
    if (r() < 0.3) t = t.replace(/ /g, () => (r() < 0.2 ? '  ' : ' '));
    if (r() < 0.25) {
      const words = t.split(' ');
      const k = Math.floor(r() * Math.max(1, words.length - 1));
      const a = words[k];
      const b = words[k + 1];
      if (a !== undefined && b !== undefined) {
        words[k] = b;
        words[k + 1] = a;
      }
      t = words.join(' ');
    }
    if (r() < 0.4) t = `${t} ${NOISE[Math.floor(r() * NOISE.length)] ?? ''}`;
    if (r() < 0.15) t = `${NOISE[Math.floor(r() * NOISE.length)] ?? ''} ${t}`;
    out.push(t);
  }
  return out;
}

const SPLIT = /[^\p{L}\p{N}.+-]+/u;

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 200_000);
  const path = args[1] ?? defaultLabelledPath();
  if (!existsSync(path)) throw new Error(`labelled titles not found at ${path}`);
  const base = parseLabelled(readFileSync(path, 'utf8')).map((r) => r.title);
  const titles = variations(base, count);
  const catalogs = loadCatalogs();
  // Warm up both paths so the JIT has compiled them before timing.
  let sink = 0;
  for (let i = 0; i < 20_000; i++) {
    const t = titles[i % titles.length]!;
    sink += normalize({ title: t }, catalogs).spans.length + t.toLowerCase().split(SPLIT).length;
  }
  let t0 = process.hrtime.bigint();
  for (const t of titles) sink += t.toLowerCase().split(SPLIT).length;
  const baseNs = Number(process.hrtime.bigint() - t0);
  t0 = process.hrtime.bigint();
  for (const t of titles) sink += normalize({ title: t }, catalogs).spans.length;
  const fullNs = Number(process.hrtime.bigint() - t0);
  const line = (name: string, ns: number): string =>
    `${name.padEnd(22)} ${Math.round((titles.length / ns) * 1e9)
      .toLocaleString('en-US')
      .padStart(12)} titles/s ${(ns / titles.length).toFixed(0).padStart(8)} ns/title`;
  process.stdout.write(
    [
      `normalize bench: ${titles.length} titles (from ${base.length} labelled), single thread`,
      line('baseline (lower+split)', baseNs),
      line('full normalizer', fullNs),
      `ratio full/baseline: ${(fullNs / baseNs).toFixed(1)}x   (checksum ${sink})`,
    ].join('\n') + '\n',
  );
  await Promise.resolve();
}
