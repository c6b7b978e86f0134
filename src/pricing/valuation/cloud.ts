import { z } from 'zod';

/**
 * Dated cloud price tables (built by build-cloud.ts into data/cloud/) and the matcher that finds
 * the cheapest on-demand way to rent the capacity of a listing.
 *
 * Region policy (applied when the tables are built): for each instance type, the cheapest
 * on-demand Linux price among US regions (AWS us-east-1/us-east-2/us-west-1/us-west-2, Azure
 * US regions; GovCloud, Canada and Mexico excluded); providers that price one way worldwide
 * (Lambda, RunPod, Vast.ai, region "global") are kept as they are.
 *
 * GPU-model equivalence: two GPUs are the same when their family (the silicon, e.g. "A100",
 * "H100", "L40S", "RTX 3090", vendor words like NVIDIA/Tesla/AMD/Instinct dropped) is the same,
 * AND their memory agrees (within 5%) when both sides state it, AND their form factor
 * (PCIe / SXM / NVL / OAM) agrees when both sides state it. A side that does not state memory or
 * form factor matches every variant, and the match says so in `assumptions`.
 */

export const GPU_FORM_FACTORS = ['pcie', 'sxm', 'nvl', 'oam'] as const;
export type GpuFormFactor = (typeof GPU_FORM_FACTORS)[number];

export const cloudInstanceSchema = z.object({
  provider: z.string().min(1),
  /** hyperscaler | neocloud | marketplace */
  segment: z.string().min(1),
  sku: z.string().min(1),
  region: z.string().min(1),
  vcpus: z.number().positive().nullable(),
  memoryGb: z.number().positive().nullable(),
  gpuModel: z.string().min(1).nullable(),
  gpuMemoryGb: z.number().positive().nullable(),
  gpuFormFactor: z.enum(GPU_FORM_FACTORS).nullable(),
  gpuCount: z.number().int().min(0),
  usdPerHour: z.number().positive().finite(),
  /** YYYY-MM-DD the price was observed. */
  observedAt: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  /** 'month' when only the month is known (the day is then 01). */
  observedAtPrecision: z.enum(['day', 'month']),
  /** Index into the table's `sources`. */
  source: z.number().int().min(0),
  note: z.string().optional(),
});

export const cloudPriceTableSchema = z.object({
  $comment: z.string().optional(),
  kind: z.enum(['cpu', 'gpu']),
  currency: z.literal('USD'),
  pricing: z.literal('on_demand'),
  regionPolicy: z.string().min(1),
  builtAt: z.string().optional(),
  sources: z.array(
    z.object({
      file: z.string(),
      origin: z.string(),
      observedAt: z.string(),
      observedAtPrecision: z.enum(['day', 'month']),
      note: z.string().optional(),
    }),
  ),
  instances: z.array(cloudInstanceSchema),
});

export type CloudInstance = z.infer<typeof cloudInstanceSchema>;
export type CloudPriceTable = z.infer<typeof cloudPriceTableSchema>;

/** Validates a table read from data/cloud/*.json. Throws a readable error (boot-time use). */
export function parseCloudPriceTable(json: unknown, origin = 'cloud price table'): CloudPriceTable {
  const parsed = cloudPriceTableSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(
      `${origin} is invalid (${i ? `${i.path.join('.') || '(root)'}: ${i.message}` : 'unknown'})`,
    );
  }
  return parsed.data;
}

export interface GpuIdentity {
  /** Upper-case, no spaces or hyphens: "A100", "H100", "RTX3090", "MI300X". */
  family: string;
  memoryGb: number | null;
  formFactor: GpuFormFactor | null;
}

const VENDOR_WORDS =
  /\b(NVIDIA|TESLA|AMD|INSTINCT|GEFORCE|RADEON|INTEL|DATACENTER|DATA\s+CENTER|GPU|GRAPHICS|CARD|ACCELERATOR)\b/g;

/** Splits a GPU label into family, memory and form factor. Returns null when nothing is left. */
export function parseGpuIdentity(
  label: string | null | undefined,
  memoryGb?: number | null,
): GpuIdentity | null {
  if (typeof label !== 'string') return null;
  let s = ` ${label.toUpperCase()} `;
  let mem: number | null = null;
  const m = /\b(\d{1,3})\s*G(?:B|IB)?\b/.exec(s);
  if (m?.[1]) {
    mem = Number(m[1]);
    s = s.replace(m[0], ' ');
  }
  let ff: GpuFormFactor | null = null;
  if (/\bNVL\b/.test(s)) ff = 'nvl';
  else if (/\bSXM\d?\b/.test(s)) ff = 'sxm';
  else if (/\bOAM\b/.test(s)) ff = 'oam';
  else if (/\bPCI-?E(?:XPRESS)?\b/.test(s)) ff = 'pcie';
  s = s
    .replace(/\b(NVL|SXM\d?|OAM|PCI-?E(?:XPRESS)?|HBM\d?E?|GDDR\d\w?)\b/g, ' ')
    .replace(VENDOR_WORDS, ' ');
  const family = s.replace(/[^A-Z0-9]/g, '');
  if (!family) return null;
  const statedMem = typeof memoryGb === 'number' && memoryGb > 0 ? memoryGb : null;
  return { family, memoryGb: statedMem ?? mem, formFactor: ff };
}

export interface CloudNeed {
  vcpus?: number | null;
  memoryGb?: number | null;
  gpuModel?: string | null;
  gpuCount?: number | null;
  /** Memory per GPU when the listing states it (narrows the equivalence). */
  gpuMemoryGb?: number | null;
}

export interface CloudMatchOptions {
  /** Segments to consider; all when omitted. */
  segments?: readonly string[];
  /** Combine up to this many identical instances (default 1: one instance must suffice). */
  maxInstances?: number;
  /** Default 730. */
  hoursPerMonth?: number;
}

export type CloudMatch =
  | {
      ok: true;
      instance: CloudInstance;
      instanceCount: number;
      provider: string;
      region: string;
      sku: string;
      hourlyUsd: number;
      monthlyUsd: number;
      hoursPerMonth: number;
      observedAt: string;
      observedAtPrecision: 'day' | 'month';
      source: CloudPriceTable['sources'][number] | null;
      /** What was required and what was found, in words. */
      matchedOn: string;
      assumptions: string[];
    }
  | { ok: false; reason: string };

const positive = (n: number | null | undefined): n is number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0;

function gpuCompatible(need: GpuIdentity, row: GpuIdentity): { ok: boolean; loose: string[] } {
  if (need.family !== row.family) return { ok: false, loose: [] };
  const loose: string[] = [];
  if (need.memoryGb !== null && row.memoryGb !== null) {
    if (Math.abs(need.memoryGb - row.memoryGb) > 0.05 * Math.max(need.memoryGb, row.memoryGb)) {
      return { ok: false, loose: [] };
    }
  } else if (need.memoryGb === null) {
    loose.push('GPU memory not stated: any memory variant accepted');
  }
  if (need.formFactor !== null && row.formFactor !== null) {
    if (need.formFactor !== row.formFactor) return { ok: false, loose: [] };
  } else if (need.formFactor === null) {
    loose.push('GPU form factor not stated: PCIe and SXM variants accepted');
  }
  return { ok: true, loose };
}

/**
 * Cheapest on-demand way to rent at least the needed capacity from `table`:
 * - GPU need (gpuModel set): instances with an equivalent GPU (see the file comment) and, in
 *   total, at least gpuCount GPUs. vCPU/memory are not compared for GPU instances (the GPU
 *   price tables do not carry them; the GPU dominates the price).
 * - CPU need: instances without GPUs with, in total, at least the vCPUs and the memory.
 * With maxInstances > 1, k identical instances may be combined (k x price).
 * Ties go to fewer instances, then provider and sku order. Never throws.
 */
export function cheapestCloudMatch(
  need: CloudNeed,
  table: CloudPriceTable | null | undefined,
  options: CloudMatchOptions = {},
): CloudMatch {
  if (!table) return { ok: false, reason: 'no cloud price table loaded' };
  // Pure in (need, table, options): memoized per table, since ingest asks the same few needs
  // thousands of times (the scan over every instance dominated valuation time).
  const key = JSON.stringify([
    need.vcpus,
    need.memoryGb,
    need.gpuModel,
    need.gpuCount,
    need.gpuMemoryGb,
    options.segments,
    options.maxInstances,
    options.hoursPerMonth,
  ]);
  let memo = MATCH_MEMO.get(table);
  if (!memo) MATCH_MEMO.set(table, (memo = new Map<string, CloudMatch>()));
  const hit = memo.get(key);
  if (hit) return hit;
  const result = Object.freeze(computeCloudMatch(need, table, options));
  if (memo.size >= MATCH_MEMO_MAX) memo.clear();
  memo.set(key, result);
  return result;
}

const MATCH_MEMO = new WeakMap<CloudPriceTable, Map<string, CloudMatch>>();
const MATCH_MEMO_MAX = 10_000;

function computeCloudMatch(
  need: CloudNeed,
  table: CloudPriceTable,
  options: CloudMatchOptions,
): CloudMatch {
  const hoursPerMonth = positive(options.hoursPerMonth) ? options.hoursPerMonth : 730;
  const maxInstances =
    positive(options.maxInstances) && Number.isInteger(options.maxInstances)
      ? options.maxInstances
      : 1;
  const segments = options.segments && options.segments.length ? new Set(options.segments) : null;
  const pool = table.instances.filter((i) => !segments || segments.has(i.segment));
  if (pool.length === 0) {
    return {
      ok: false,
      reason: `no instance in segments ${[...(segments ?? [])].join(', ')} in the ${table.kind} table`,
    };
  }

  let best: { inst: CloudInstance; k: number; hourly: number; loose: string[] } | null = null;
  let requirement: string;
  const consider = (inst: CloudInstance, k: number, loose: string[]) => {
    if (k < 1 || k > maxInstances) return;
    const hourly = inst.usdPerHour * k;
    if (
      !best ||
      hourly < best.hourly - 1e-9 ||
      (Math.abs(hourly - best.hourly) <= 1e-9 &&
        (k < best.k ||
          (k === best.k &&
            `${inst.provider}|${inst.sku}` < `${best.inst.provider}|${best.inst.sku}`)))
    ) {
      best = { inst, k, hourly, loose };
    }
  };

  if (typeof need.gpuModel === 'string' && need.gpuModel.trim()) {
    const id = parseGpuIdentity(need.gpuModel, need.gpuMemoryGb);
    if (!id) return { ok: false, reason: `GPU model '${need.gpuModel}' is not readable` };
    const count = need.gpuCount ?? 1;
    if (!positive(count) || !Number.isInteger(count)) {
      return { ok: false, reason: `GPU count ${String(need.gpuCount)} is not a positive integer` };
    }
    requirement = `${count}x ${need.gpuModel}${id.memoryGb ? ` ${id.memoryGb} GB` : ''}`;
    let sameFamily = 0;
    for (const inst of pool) {
      if (!inst.gpuModel || inst.gpuCount < 1) continue;
      const rowId = parseGpuIdentity(inst.gpuModel, inst.gpuMemoryGb);
      if (!rowId) continue;
      const fixedRow: GpuIdentity = {
        ...rowId,
        formFactor: inst.gpuFormFactor ?? rowId.formFactor,
      };
      const c = gpuCompatible(id, fixedRow);
      if (rowId.family === id.family) sameFamily++;
      if (!c.ok) continue;
      consider(inst, Math.ceil(count / inst.gpuCount), c.loose);
    }
    if (!best) {
      const models = [
        ...new Set(pool.filter((i) => i.gpuModel).map((i) => i.gpuModel as string)),
      ].sort();
      return {
        ok: false,
        reason:
          sameFamily > 0
            ? `no ${requirement} offer within ${maxInstances} instance(s): the ${id.family} variants priced differ in memory or form factor, or too few GPUs`
            : `no cloud price for GPU '${need.gpuModel}' (priced: ${models.join(', ')})`,
      };
    }
  } else {
    if (!positive(need.vcpus)) return { ok: false, reason: 'vCPU count unknown' };
    if (!positive(need.memoryGb)) return { ok: false, reason: 'memory unknown' };
    const vcpus = need.vcpus;
    const mem = need.memoryGb;
    requirement = `>= ${vcpus} vCPU and >= ${mem} GB`;
    for (const inst of pool) {
      if (inst.gpuCount > 0 || !positive(inst.vcpus) || !positive(inst.memoryGb)) continue;
      consider(inst, Math.max(Math.ceil(vcpus / inst.vcpus), Math.ceil(mem / inst.memoryGb)), []);
    }
    if (!best) {
      return {
        ok: false,
        reason: `no CPU instance (or up to ${maxInstances} identical ones) has ${requirement}`,
      };
    }
  }

  const b = best as { inst: CloudInstance; k: number; hourly: number; loose: string[] };
  const inst = b.inst;
  const desc =
    inst.gpuCount > 0
      ? `${inst.gpuCount}x ${inst.gpuModel}`
      : `${inst.vcpus} vCPU / ${inst.memoryGb} GB`;
  return {
    ok: true,
    instance: inst,
    instanceCount: b.k,
    provider: inst.provider,
    region: inst.region,
    sku: inst.sku,
    hourlyUsd: b.hourly,
    monthlyUsd: b.hourly * hoursPerMonth,
    hoursPerMonth,
    observedAt: inst.observedAt,
    observedAtPrecision: inst.observedAtPrecision,
    source: table.sources[inst.source] ?? null,
    matchedOn: `needed ${requirement}; ${b.k}x ${inst.provider} ${inst.sku} (${desc}) in ${inst.region}`,
    assumptions: b.loose,
  };
}
