/**
 * Builds data/catalog/cpus.json and data/catalog/gpus.json from the benchmark sources in
 * <projectRoot>/../shared/data/catalog (or the folder given as the first argument).
 *
 *   npm run build && node dist/src/pricing/catalog/build.js [sourceDir]
 *
 * CPUs: PassMark CPU Mark (2022 export) is the score scale. CPUs only Geekbench 6 covers (4th/5th
 * gen Xeon Scalable, EPYC 9004, ...) get a PassMark-equivalent score from a power-law fit
 * (log-log least squares) on the CPUs both sources cover; the fit and its error are recorded in
 * data/catalog/calibration.json and in each converted entry's provenance.
 * GPUs: TechPowerUp FP32/FP16, dense tensor FP16 cross-checked from gpu-tensor-specs.json.
 * chassis.json is curated by hand and not touched here.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CpuCatalogEntry, GpuCatalogEntry, Provenance } from '../types';
import { findProjectRoot, modelKey } from './keys';

/** Short source ids used in every entry's provenance; the header of each file expands them. */
const PASSMARK_SRC = 'cpu-passmark-2022.csv';
const GB6_SRC = 'cpu-geekbench6-multicore.json';
const TPU_SRC = 'gpu-specs-techpowerup.json';
const TENSOR_SRC = 'gpu-tensor-specs.json';
export const SOURCES: Record<string, string> = {
  [PASSMARK_SRC]:
    'KushalVenugopal/Machine-Learning : CPU_benchmark_v4.csv @ a5d693a8 (Kaggle "CPU and GPU Benchmarks"; scores (c) PassMark), via /work/shared/data/catalog',
  [GB6_SRC]: 'lainbo/cpu-mark @ 48c7b975 (scores (c) Primate Labs), via /work/shared/data/catalog',
  [TPU_SRC]:
    'reox007/RightNow-GPU-Database @ dfb3c9a5 (Apache-2.0; TechPowerUp GPU database), via /work/shared/data/catalog',
  [TENSOR_SRC]:
    'winston-zhang-orz/gpu-specs : data/specs.json @ 4b0c72dd (Apache-2.0), via /work/shared/data/catalog',
};

export interface ParsedCpuName {
  model: string;
  vendor: CpuCatalogEntry['vendor'];
  family: string;
  baseGhz: number | null;
}

/** "Intel Xeon E5-2680 v4 @ 2.40GHz" -> { model: "E5-2680 v4", family: "Xeon E5", ... }. */
export function parseCpuName(raw: string): ParsedCpuName | null {
  const ghzMatch = /@\s*([\d.]+)\s*GHz/i.exec(raw);
  const baseGhz = ghzMatch?.[1] ? Number(ghzMatch[1]) : null;
  let name = raw.replace(/@.*$/, '').replace(/\s+/g, ' ').trim();
  if (/embedded|mobile|\(/i.test(name)) return null;
  let vendor: CpuCatalogEntry['vendor'];
  if (/^Intel /i.test(name)) vendor = 'Intel';
  else if (/^AMD /i.test(name)) vendor = 'AMD';
  else if (/^Ampere /i.test(name)) vendor = 'Ampere';
  else return null;
  name = name.replace(/^(Intel|AMD|Ampere)\s+/i, '').replace(/\s+CPU$/i, '');
  let family: string;
  if (/^Xeon /i.test(name)) {
    name = name.replace(/^Xeon\s+/i, '');
    // Older PassMark rows write "E5-2680v4"; vendor style has a space before the version.
    name = name.replace(/^(E\d-\d{4}[A-Z]{0,2})\s*(v\d)$/i, (_m, a: string, v: string) => {
      return `${a} ${v.toLowerCase()}`;
    });
    if (/^E5-/i.test(name)) family = 'Xeon E5';
    else if (/^E7-/i.test(name)) family = 'Xeon E7';
    else if (/^E3-/i.test(name)) family = 'Xeon E3';
    else if (/^(Platinum|Gold|Silver|Bronze) /i.test(name)) family = 'Xeon Scalable';
    else if (/^(W-|w\d-)/i.test(name)) family = 'Xeon W';
    else if (/^E-\d/i.test(name)) family = 'Xeon E';
    else if (/^D-\d/i.test(name)) family = 'Xeon D';
    else if (/^Max /i.test(name)) family = 'Xeon Max';
    else if (/^[XLEW]\d{4}/i.test(name)) family = 'Xeon 5000';
    else if (/^6\d{3}[A-Z]/i.test(name)) family = 'Xeon 6';
    else return null;
  } else if (/^EPYC /i.test(name)) {
    family = 'EPYC';
  } else if (/^Ryzen Threadripper /i.test(name)) {
    name = name.replace(/^Ryzen\s+/i, '');
    family = 'Threadripper';
  } else if (/^Opteron /i.test(name)) {
    family = 'Opteron';
  } else if (vendor === 'Ampere') {
    family = 'Ampere Altra';
  } else {
    return null;
  }
  return { model: name, vendor, family, baseGhz };
}

/** Max sockets by vendor numbering rules (Intel ARK / AMD product pages conventions). */
export function maxSocketsFor(model: string, family: string): number | null {
  const m = model.toUpperCase();
  if (family === 'Xeon E5') {
    const d = /^E5-(\d)/.exec(m)?.[1];
    return d === '1' ? 1 : d === '2' ? 2 : d === '4' ? 4 : null;
  }
  if (family === 'Xeon E7') {
    const d = /^E7-(\d)/.exec(m)?.[1];
    return d === '2' ? 2 : d === '4' ? 4 : d === '8' ? 8 : null;
  }
  if (family === 'Xeon Scalable') {
    if (/\dU$/.test(m)) return 1;
    if (/^(BRONZE|SILVER)/.test(m)) return 2;
    if (/^GOLD 5/.test(m)) return 4;
    if (/^GOLD 6/.test(m)) return 4;
    if (/^PLATINUM/.test(m)) return 8;
    return null;
  }
  if (family === 'EPYC') return /P$/.test(m) || /^EPYC [34]\d{3}/.test(m) ? 1 : 2;
  if (['Xeon W', 'Xeon E3', 'Xeon E', 'Xeon D', 'Threadripper'].includes(family)) return 1;
  return null;
}

/** Threads from cores by the vendors' SMT rules; null when the rule is unclear. */
export function threadsFor(model: string, family: string, cores: number | null): number | null {
  if (cores === null) return null;
  if (family === 'EPYC' || family === 'Threadripper') return cores * 2;
  if (family === 'Xeon Scalable') return /^Bronze/i.test(model) ? cores : cores * 2;
  if (family === 'Xeon E5' || family === 'Xeon E7') {
    return /^E\d-\d{2}0[379]\b/i.test(model) ? cores : cores * 2;
  }
  return null;
}

/** Splits one CSV line (PassMark export: no quoted commas in the columns used). */
function csvRow(line: string): string[] {
  return line.split(',');
}

export interface Calibration {
  model: 'log(passmark) = a + b * log(geekbench6)';
  a: number;
  b: number;
  n: number;
  r2: number;
  medianAbsPctError: number;
  p90AbsPctError: number;
  pairs: Array<{ model: string; passmark: number; geekbench6: number; predicted: number }>;
}

/** Least squares on log-log pairs. */
export function fitPowerLaw(pairs: Array<{ x: number; y: number }>): {
  a: number;
  b: number;
  r2: number;
} {
  const n = pairs.length;
  if (n < 3) throw new Error(`calibration needs at least 3 pairs, got ${n}`);
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let sxy = 0;
  for (const p of pairs) {
    const lx = Math.log(p.x);
    const ly = Math.log(p.y);
    sx += lx;
    sy += ly;
    sxx += lx * lx;
    sxy += lx * ly;
  }
  const b = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const a = (sy - b * sx) / n;
  const meanY = sy / n;
  let ssRes = 0;
  let ssTot = 0;
  for (const p of pairs) {
    const ly = Math.log(p.y);
    const pred = a + b * Math.log(p.x);
    ssRes += (ly - pred) ** 2;
    ssTot += (ly - meanY) ** 2;
  }
  return { a, b, r2: ssTot === 0 ? 1 : 1 - ssRes / ssTot };
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return 0;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[idx] ?? 0;
}

const round = (x: number, d: number): number => Math.round(x * 10 ** d) / 10 ** d;

export function buildCpus(sourceDir: string): {
  cpus: CpuCatalogEntry[];
  calibration: Calibration;
} {
  const csv = readFileSync(join(sourceDir, 'cpu-passmark-2022.csv'), 'utf8').split(/\r?\n/);
  const header = csvRow(csv[0] ?? '');
  const col = (name: string): number => {
    const i = header.indexOf(name);
    if (i < 0) throw new Error(`cpu-passmark-2022.csv: missing column ${name}`);
    return i;
  };
  const cName = col('cpuName');
  const cMark = col('cpuMark');
  const cTdp = col('TDP');
  const cCores = col('cores');
  const byKey = new Map<string, CpuCatalogEntry>();
  for (const line of csv.slice(1)) {
    if (!line.trim()) continue;
    const r = csvRow(line);
    const parsed = parseCpuName(r[cName] ?? '');
    if (!parsed) continue;
    const key = modelKey(parsed.model);
    if (byKey.has(key)) continue;
    const score = Number(r[cMark]);
    const cores = Number(r[cCores]) || null;
    const tdp = Number(r[cTdp]) || null;
    byKey.set(key, {
      model: parsed.model,
      vendor: parsed.vendor,
      family: parsed.family,
      cores,
      threads: threadsFor(parsed.model, parsed.family, cores),
      baseGhz: parsed.baseGhz,
      tdpW: tdp,
      score: Number.isFinite(score) && score > 0 ? score : null,
      maxSockets: maxSocketsFor(parsed.model, parsed.family),
      provenance: [{ source: PASSMARK_SRC, note: 'cpuMark, cores, TDP' }],
    });
  }

  const gb6Raw = JSON.parse(
    readFileSync(join(sourceDir, 'cpu-geekbench6-multicore.json'), 'utf8'),
  ) as unknown;
  if (!Array.isArray(gb6Raw)) throw new Error('cpu-geekbench6-multicore.json: expected an array');
  const gb6 = new Map<string, { parsed: ParsedCpuName; mark: number }>();
  for (const row of gb6Raw as Array<{ nameDetail?: unknown; mark?: unknown }>) {
    if (typeof row.nameDetail !== 'string' || typeof row.mark !== 'number') continue;
    const parsed = parseCpuName(row.nameDetail);
    if (!parsed) continue;
    const key = modelKey(parsed.model);
    if (!gb6.has(key)) gb6.set(key, { parsed, mark: row.mark });
  }

  const pairs: Calibration['pairs'] = [];
  for (const [key, g] of gb6) {
    const pm = byKey.get(key);
    if (pm?.score)
      pairs.push({ model: pm.model, passmark: pm.score, geekbench6: g.mark, predicted: 0 });
  }
  const fit = fitPowerLaw(pairs.map((p) => ({ x: p.geekbench6, y: p.passmark })));
  const errors: number[] = [];
  for (const p of pairs) {
    p.predicted = Math.round(Math.exp(fit.a + fit.b * Math.log(p.geekbench6)));
    errors.push(Math.abs(p.predicted - p.passmark) / p.passmark);
  }
  errors.sort((x, y) => x - y);
  const calibration: Calibration = {
    model: 'log(passmark) = a + b * log(geekbench6)',
    a: round(fit.a, 5),
    b: round(fit.b, 5),
    n: pairs.length,
    r2: round(fit.r2, 4),
    medianAbsPctError: round(quantile(errors, 0.5) * 100, 1),
    p90AbsPctError: round(quantile(errors, 0.9) * 100, 1),
    pairs: pairs.sort((x, y) => x.model.localeCompare(y.model)),
  };
  const calNote = `GB6 {gb6} -> PassMark via calibration.json (median err ${calibration.medianAbsPctError}%, p90 ${calibration.p90AbsPctError}%)`;

  for (const [key, g] of gb6) {
    const existing = byKey.get(key);
    const prov: Provenance = { source: GB6_SRC, note: `GB6 ${g.mark}` };
    if (existing) {
      existing.provenance.push(prov);
      continue;
    }
    const score = Math.round(Math.exp(fit.a + fit.b * Math.log(g.mark)));
    byKey.set(key, {
      model: g.parsed.model,
      vendor: g.parsed.vendor,
      family: g.parsed.family,
      cores: null,
      threads: null,
      baseGhz: g.parsed.baseGhz,
      tdpW: null,
      score,
      maxSockets: maxSocketsFor(g.parsed.model, g.parsed.family),
      provenance: [{ source: GB6_SRC, note: calNote.replace('{gb6}', String(g.mark)) }],
    });
  }
  const cpus = [...byKey.values()].sort(
    (x, y) => x.family.localeCompare(y.family) || x.model.localeCompare(y.model),
  );
  return { cpus, calibration };
}

interface TpuRow {
  name?: unknown;
  vendor?: unknown;
  memorySize?: unknown;
  fp32?: unknown;
  fp16?: unknown;
  tdp?: unknown;
  releaseDate?: unknown;
  slot?: unknown;
  url?: unknown;
}

/** TechPowerUp name -> label-style model ("GeForce RTX 4090" -> "RTX 4090"); null to skip. */
export function gpuLabelModel(name: string, vendor: string): string | null {
  if (
    /mobile|max-q|embedded|\bx2\b|-\d+[QAB]\b|jetson|drive |\bgrid\b|\bigp\b|laptop|\bmxm\b|mac edition|\boem\b|rev\. |\d+M$|\b[MW]\d{4}M\b|FirePro M/i.test(
      name,
    )
  ) {
    return null;
  }
  let m = name.replace(/\s+/g, ' ').trim();
  if (vendor === 'nvidia') {
    m = m
      .replace(/^(NVIDIA |GeForce |Tesla )+/i, '')
      .replace(/ Ada Generation$/i, ' Ada')
      .replace(/\b(PCIe|SXM\d?|FHHL|DGXS|HGX)\b/gi, '')
      .replace(/\b\d+ GB\b/gi, '');
  } else if (vendor === 'amd') {
    if (!/^Radeon (RX|Pro|VII|Instinct)|^Instinct|^FirePro|^Radeon Vega/i.test(m)) return null;
    m = m.replace(/^Radeon (RX )/i, '$1').replace(/\b\d+ GB\b/gi, '');
  } else if (vendor === 'intel') {
    if (!/^Arc |^Data Center GPU/i.test(m)) return null;
  } else {
    return null;
  }
  m = m.replace(/\s+/g, ' ').trim();
  return m || null;
}

export function buildGpus(sourceDir: string): { gpus: GpuCatalogEntry[]; rejected: string[] } {
  const tpu = JSON.parse(
    readFileSync(join(sourceDir, 'gpu-specs-techpowerup.json'), 'utf8'),
  ) as unknown;
  if (!Array.isArray(tpu)) throw new Error('gpu-specs-techpowerup.json: expected an array');
  const byKey = new Map<string, GpuCatalogEntry & { variants: string[] }>();
  const fp32Variants = new Map<string, number[]>();
  for (const row of tpu as TpuRow[]) {
    if (typeof row.name !== 'string' || typeof row.vendor !== 'string') continue;
    const year = typeof row.releaseDate === 'string' ? Number(row.releaseDate.slice(0, 4)) : NaN;
    if (!(year >= 2010)) continue;
    // TechPowerUp marks some Apple "Radeon Pro" parts as IGP; real IGPs are dropped by name below.
    if (row.slot === 'IGP' && !/^Radeon Pro/.test(row.name)) continue;
    const model = gpuLabelModel(row.name, row.vendor);
    if (!model) continue;
    const key = modelKey(model);
    const mem =
      typeof row.memorySize === 'number' && row.memorySize >= 1 ? Math.round(row.memorySize) : null;
    const fp32 = typeof row.fp32 === 'number' ? row.fp32 : null;
    const fp16 = typeof row.fp16 === 'number' ? row.fp16 : null;
    const tdp = typeof row.tdp === 'number' ? row.tdp : null;
    const existing = byKey.get(key);
    const note = row.name;
    const fp32s = fp32Variants.get(modelKey(gpuLabelModel(row.name, row.vendor) ?? '')) ?? [];
    if (fp32 !== null) fp32s.push(fp32);
    fp32Variants.set(modelKey(gpuLabelModel(row.name, row.vendor) ?? ''), fp32s);
    if (existing) {
      if (mem !== null && !existing.memoryGb.includes(mem)) existing.memoryGb.push(mem);
      existing.variants.push(row.name);
      existing.provenance.push({ source: TPU_SRC, note });
      // Prefer the PCIe card's figures for the headline numbers (what resellers mostly sell).
      if (
        /PCIe/i.test(row.name) &&
        !existing.variants.some((v) => /PCIe/i.test(v) && v !== row.name)
      ) {
        existing.fp32Tflops = fp32;
        existing.fp16Tflops = fp16;
        existing.tdpW = tdp;
      }
      continue;
    }
    const v = row.vendor === 'nvidia' ? 'NVIDIA' : row.vendor === 'amd' ? 'AMD' : 'Intel';
    byKey.set(key, {
      model,
      vendor: v,
      memoryGb: mem !== null ? [mem] : [],
      fp32Tflops: fp32,
      fp16Tflops: fp16,
      tensorFp16Tflops: null,
      tdpW: tdp,
      releaseYear: Number.isFinite(year) ? year : null,
      provenance: [{ source: TPU_SRC, note }],
      variants: [row.name],
    });
  }

  // Tensor FP16 (dense) from gpu-tensor-specs.json, cross-checked against TechPowerUp.
  const rejected: string[] = [];
  const tensor = JSON.parse(
    readFileSync(join(sourceDir, 'gpu-tensor-specs.json'), 'utf8'),
  ) as Record<string, Record<string, unknown>>;
  for (const [id, row] of Object.entries(tensor)) {
    if (id === '_header' || typeof row.name !== 'string') continue;
    const base = row.name
      .replace(/\b(PCIe|SXM\d?)\b/gi, '')
      .replace(/\d+GB/i, '')
      .trim();
    const key = modelKey(base);
    const entry = byKey.get(key);
    if (!entry) {
      rejected.push(`${row.name}: no TechPowerUp model to attach to`);
      continue;
    }
    const num = (k: string): number | null => (typeof row[k] === 'number' ? row[k] : null);
    const fp32 = num('fp32');
    const fp16 = num('fp16');
    // Cross-check: plain FP32 must agree with TechPowerUp within 10%, else the row is suspect.
    const variants = fp32Variants.get(key) ?? [];
    if (
      fp32 !== null &&
      variants.length > 0 &&
      !variants.some((v) => Math.abs(fp32 - v) / v <= 0.1)
    ) {
      rejected.push(
        `${row.name}: fp32 ${fp32} disagrees with every TechPowerUp variant (${variants.join(', ')}); row rejected`,
      );
      continue;
    }
    // Variants differ by clocks (PCIe vs SXM) but never by 1.5x: a bigger gap is a wrong figure.
    if (
      fp16 !== null &&
      entry.fp16Tflops !== null &&
      Math.max(fp16 / entry.fp16Tflops, entry.fp16Tflops / fp16) > 1.5
    ) {
      rejected.push(
        `${row.name}: non-tensor fp16 ${fp16} disagrees with TechPowerUp ${entry.fp16Tflops}; row rejected`,
      );
      continue;
    }
    let t = num('fp16_tensor_core');
    let note = 'fp16_tensor_core (dense)';
    if (t === null || t === 0) {
      const bf = num('bf16_tensor_core');
      if (bf !== null && bf > 0) {
        t = bf;
        note =
          'bf16_tensor_core (dense; Ampere and later run FP16 and BF16 tensor math at the same rate)';
      }
    }
    const sparse = num('fp16_tensor_core_sparsity');
    if (t !== null && sparse !== null && Math.abs(sparse / t - 2) > 0.1) {
      rejected.push(`${row.name}: sparse ${sparse} is not 2x dense ${t}; tensor figure rejected`);
      continue;
    }
    if (t !== null && entry.fp16Tflops !== null && t < entry.fp16Tflops) {
      rejected.push(`${row.name}: tensor ${t} below plain fp16 ${entry.fp16Tflops}; rejected`);
      continue;
    }
    if (num('tf32_tensor_core') && /volta|^v100/i.test(`${String(row.architecture)} ${row.name}`)) {
      rejected.push(`${row.name}: tf32 value ignored (Volta has no TF32 tensor cores)`);
    }
    if (t === null || t <= 0) {
      rejected.push(`${row.name}: no dense FP16/BF16 tensor figure`);
      continue;
    }
    if (entry.tensorFp16Tflops === null || t > entry.tensorFp16Tflops) entry.tensorFp16Tflops = t;
    entry.provenance.push({ source: TENSOR_SRC, note: `${row.name}: ${note} ${t} TFLOPS` });
  }

  const gpus: GpuCatalogEntry[] = [...byKey.values()]
    .map(({ variants: _v, ...e }) => ({ ...e, memoryGb: e.memoryGb.sort((a, b) => a - b) }))
    .sort((a, b) => a.vendor.localeCompare(b.vendor) || a.model.localeCompare(b.model));
  return { gpus, rejected };
}

/** One entry per line: diff-friendly, still small. */
function writeJsonLines(path: string, header: Record<string, unknown>, rows: unknown[]): void {
  const body = rows.map((r) => `    ${JSON.stringify(r)}`).join(',\n');
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  writeFileSync(path, `${head},\n  "entries": [\n${body}\n  ]\n}\n`);
}

export function main(argv: string[]): void {
  const root = findProjectRoot(__dirname, existsSync);
  const sourceDir = argv[0] ?? join(root, '..', 'shared', 'data', 'catalog');
  if (!existsSync(join(sourceDir, 'cpu-passmark-2022.csv'))) {
    throw new Error(`catalog sources not found in ${sourceDir}`);
  }
  const outDir = join(root, 'data', 'catalog');
  mkdirSync(outDir, { recursive: true });
  const { cpus, calibration } = buildCpus(sourceDir);
  const { gpus, rejected } = buildGpus(sourceDir);
  const generated = 'generated by src/pricing/catalog/build.ts; do not edit by hand';
  writeJsonLines(
    join(outDir, 'cpus.json'),
    {
      generated,
      scoreScale: 'PassMark CPU Mark',
      sources: { [PASSMARK_SRC]: SOURCES[PASSMARK_SRC], [GB6_SRC]: SOURCES[GB6_SRC] },
      calibration: {
        fit: calibration.model,
        a: calibration.a,
        b: calibration.b,
        n: calibration.n,
        r2: calibration.r2,
        medianAbsPctError: calibration.medianAbsPctError,
        p90AbsPctError: calibration.p90AbsPctError,
      },
    },
    cpus,
  );
  writeJsonLines(
    join(outDir, 'gpus.json'),
    {
      generated,
      sources: { [TPU_SRC]: SOURCES[TPU_SRC], [TENSOR_SRC]: SOURCES[TENSOR_SRC] },
      tensorNotes: rejected,
    },
    gpus,
  );
  writeFileSync(
    join(outDir, 'calibration.json'),
    `${JSON.stringify({ generated, ...calibration }, null, 1)}\n`,
  );
  process.stdout.write(
    `cpus: ${cpus.length} (${cpus.filter((c) => c.provenance[0]?.source === GB6_SRC).length} calibrated from Geekbench 6)\n` +
      `calibration: n=${calibration.n} a=${calibration.a} b=${calibration.b} R2=${calibration.r2} median ${calibration.medianAbsPctError}% p90 ${calibration.p90AbsPctError}%\n` +
      `gpus: ${gpus.length}; tensor notes:\n  ${rejected.join('\n  ')}\n`,
  );
}

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(
      `catalog build failed: ${err instanceof Error ? err.message : String(err)}\n`,
    );
    process.exitCode = 1;
  }
}
