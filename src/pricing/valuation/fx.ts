import { z } from 'zod';

/**
 * Dated foreign-exchange table. Each snapshot quotes `rates[X]` = units of X per 1 unit of
 * `base` on `date`. A conversion at a date uses the newest snapshot dated on or before it; it can
 * bridge through one shared currency when no single snapshot quotes both (e.g. RUB -> GBP via a
 * CBR USD snapshot and an ECB snapshot). Pure: no I/O; loading the JSON is the caller's business.
 */

const currencyCode = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a YYYY-MM-DD date')
  .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)), 'not a real date');

export const fxSnapshotSchema = z.object({
  date: isoDate,
  base: currencyCode,
  /** Who published the rates, e.g. "ECB euro foreign exchange reference rates". */
  source: z.string().min(1),
  note: z.string().optional(),
  rates: z.record(currencyCode, z.number().positive().finite()),
});

export const fxRatesFileSchema = z.object({
  $comment: z.string().optional(),
  snapshots: z.array(fxSnapshotSchema).min(1),
});

export type FxSnapshot = z.infer<typeof fxSnapshotSchema>;
export type FxRatesFile = z.infer<typeof fxRatesFileSchema>;

export interface FxRateUsed {
  from: string;
  to: string;
  rate: number;
  date: string;
  source: string;
}

export type FxConversion =
  | {
      value: number;
      /** Multiply an amount in `from` by this to get `to`. */
      rate: number;
      from: string;
      to: string;
      /** Date of the oldest snapshot used (null for a same-currency identity). */
      rateDate: string | null;
      /** Each hop used, with its snapshot date and publisher. */
      legs: FxRateUsed[];
      /** Days between the snapshot and the conversion date (negative: the snapshot is later). */
      staleDays: number | null;
      note?: string;
    }
  | { value: null; reason: string };

const DAY_MS = 86_400_000;

function normCode(code: string | null | undefined): string | null {
  if (typeof code !== 'string') return null;
  const c = code.trim().toUpperCase();
  return /^[A-Z]{3}$/.test(c) ? c : null;
}

function quotes(s: FxSnapshot, code: string): number | null {
  if (s.base === code) return 1;
  return s.rates[code] ?? null;
}

export class FxTable {
  private readonly snapshots: FxSnapshot[];
  private readonly known: string[];

  private constructor(snapshots: FxSnapshot[]) {
    // newest first, stable for equal dates
    this.snapshots = [...snapshots].sort((a, b) => b.date.localeCompare(a.date));
    const all = new Set<string>();
    for (const s of this.snapshots) {
      all.add(s.base);
      for (const k of Object.keys(s.rates)) all.add(k);
    }
    this.known = [...all].sort();
  }

  /** Validates a rates file (data/fx/rates.json or the same shape from settings). Throws a readable error. */
  static fromJson(json: unknown, origin = 'FX rates'): FxTable {
    const parsed = fxRatesFileSchema.safeParse(json);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid';
      throw new Error(`${origin} is not a valid FX table (${where})`);
    }
    return new FxTable(parsed.data.snapshots);
  }

  static fromSnapshots(snapshots: FxSnapshot[]): FxTable {
    return FxTable.fromJson({ snapshots }, 'FX snapshots');
  }

  /** Every currency any snapshot quotes. */
  currencies(): string[] {
    return [...this.known];
  }

  /** Snapshot dates, newest first. */
  dates(): string[] {
    return [...new Set(this.snapshots.map((s) => s.date))];
  }

  convert(amount: number, from: string, to: string, at?: Date | null): FxConversion {
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      return { value: null, reason: `amount ${String(amount)} is not a finite number` };
    }
    const r = this.rate(from, to, at);
    if (r.value === null) return r;
    return { ...r, value: amount * r.rate };
  }

  /** The rate in force at `at` (newest snapshot on or before it; latest when `at` is omitted). */
  rate(fromRaw: string, toRaw: string, at?: Date | null): FxConversion {
    const from = normCode(fromRaw);
    const to = normCode(toRaw);
    if (!from)
      return { value: null, reason: `currency '${String(fromRaw)}' is not an ISO 4217 code` };
    if (!to) return { value: null, reason: `currency '${String(toRaw)}' is not an ISO 4217 code` };
    if (from === to) {
      return { value: 1, rate: 1, from, to, rateDate: null, legs: [], staleDays: null };
    }
    for (const c of [from, to]) {
      if (!this.known.includes(c)) {
        return {
          value: null,
          reason: `currency ${c} is not in the FX table (known: ${this.known.join(', ')})`,
        };
      }
    }
    const atTime = at instanceof Date && !Number.isNaN(at.getTime()) ? at.getTime() : null;
    const atDay = atTime === null ? null : new Date(atTime).toISOString().slice(0, 10);
    let pool = atDay === null ? this.snapshots : this.snapshots.filter((s) => s.date <= atDay);
    let note: string | undefined;
    if (pool.length === 0) {
      pool = [...this.snapshots].reverse(); // oldest first
      note = `no FX snapshot on or before ${atDay}; used the earliest rates instead`;
    }

    const best = this.path(pool, from, to);
    if (!best) {
      return { value: null, reason: `no FX snapshot links ${from} to ${to}` };
    }
    const rate = best.reduce((acc, leg) => acc * leg.rate, 1);
    const rateDate = best.map((l) => l.date).sort()[0] ?? null;
    const staleDays =
      atTime === null || rateDate === null
        ? null
        : Math.floor((atTime - Date.parse(`${rateDate}T00:00:00Z`)) / DAY_MS);
    return {
      value: rate,
      rate,
      from,
      to,
      rateDate,
      legs: best,
      staleDays,
      ...(note ? { note } : {}),
    };
  }

  /** Direct hop from the newest snapshot quoting both; else the freshest two-hop bridge. */
  private path(pool: FxSnapshot[], from: string, to: string): FxRateUsed[] | null {
    const direct = this.hop(pool, from, to);
    if (direct) return [direct];
    let best: FxRateUsed[] | null = null;
    let bestDate = '';
    for (const via of this.known) {
      if (via === from || via === to) continue;
      const a = this.hop(pool, from, via);
      const b = a ? this.hop(pool, via, to) : null;
      if (!a || !b) continue;
      const oldest = a.date < b.date ? a.date : b.date;
      if (oldest > bestDate) {
        best = [a, b];
        bestDate = oldest;
      }
    }
    return best;
  }

  private hop(pool: FxSnapshot[], from: string, to: string): FxRateUsed | null {
    for (const s of pool) {
      const f = quotes(s, from);
      const t = quotes(s, to);
      if (f !== null && t !== null) {
        return { from, to, rate: t / f, date: s.date, source: s.source };
      }
    }
    return null;
  }
}
