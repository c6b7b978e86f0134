/**
 * Normalizer throughput: 200,000 titles built from the labelled set with realistic variations
 * (case, spacing, token order, seller noise, price words), single thread. Prints titles/s and
 * ns/title for the full normalizer and for a lowercase+tokenize baseline over the same titles.
 * The two are timed in alternating rounds and the medians are reported, so a burst of load on a
 * shared machine skews one round rather than the ratio. Wall time is the figure; process CPU time
 * is printed next to it (on a busy machine wall time also counts waiting for a core), and so is
 * the load average.
 *
 *   npm run bench -- normalize [count] [path/to/labelled.jsonl] [rounds]
 */
import { existsSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
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

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const load = (): string =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');

export async function run(args: string[]): Promise<void> {
  const count = Number(args[0] ?? 200_000);
  const path = args[1] ?? defaultLabelledPath();
  const rounds = Math.max(1, Number(args[2] ?? 3));
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
  /** Wall and process CPU nanoseconds of one pass over the titles. */
  const time = (pass: () => void): { wall: number; cpu: number } => {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    pass();
    const wall = Number(process.hrtime.bigint() - t0);
    const c = process.cpuUsage(c0);
    return { wall, cpu: (c.user + c.system) * 1000 };
  };
  const loadBefore = load();
  const baseRuns: Array<{ wall: number; cpu: number }> = [];
  const fullRuns: Array<{ wall: number; cpu: number }> = [];
  for (let r = 0; r < rounds; r++) {
    baseRuns.push(
      time(() => {
        for (const t of titles) sink += t.toLowerCase().split(SPLIT).length;
      }),
    );
    fullRuns.push(
      time(() => {
        for (const t of titles) sink += normalize({ title: t }, catalogs).spans.length;
      }),
    );
  }
  const med = (runs: Array<{ wall: number; cpu: number }>, k: 'wall' | 'cpu'): number =>
    median(runs.map((x) => x[k]));
  const perTitle = (ns: number): string => (ns / titles.length).toFixed(0).padStart(8);
  const line = (name: string, runs: Array<{ wall: number; cpu: number }>): string =>
    `${name.padEnd(22)} ${Math.round((titles.length / med(runs, 'wall')) * 1e9)
      .toLocaleString('en-US')
      .padStart(12)} titles/s ${perTitle(med(runs, 'wall'))} ns/title` +
    `   (cpu ${perTitle(med(runs, 'cpu'))} ns/title)`;
  const ratios = fullRuns.map((f, r) => f.wall / baseRuns[r]!.wall);
  const cpuRatios = fullRuns.map((f, r) => f.cpu / baseRuns[r]!.cpu);
  const perRound = ratios.map((x) => `${x.toFixed(1)}x`).join(' ');
  process.stdout.write(
    [
      `normalize bench: ${titles.length} titles (from ${base.length} labelled), single thread, ` +
        `median of ${rounds} alternating rounds`,
      line('baseline (lower+split)', baseRuns),
      line('full normalizer', fullRuns),
      `ratio full/baseline: ${median(ratios).toFixed(1)}x (rounds: ${perRound}; ` +
        `cpu time ${median(cpuRatios).toFixed(1)}x)   (checksum ${sink})`,
      `load average: ${loadBefore} before, ${load()} after`,
    ].join('\n') + '\n',
  );
  await Promise.resolve();
}
