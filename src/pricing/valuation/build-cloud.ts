import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import {
  type CloudInstance,
  type CloudPriceTable,
  type GpuFormFactor,
  cloudPriceTableSchema,
  parseGpuIdentity,
} from './cloud';

/**
 * Builds data/cloud/{cpu,gpu}-instances.json from the raw public price files.
 *   npm run build && node dist/src/pricing/valuation/build-cloud.js [--in DIR] [--out DIR]
 * --in defaults to ../shared/data/cloud, --out to data/cloud (both relative to the working dir).
 * The transforms are pure functions (tested); only main() touches the file system.
 */

export const REGION_POLICY =
  'Cheapest on-demand Linux price per instance type among US regions (AWS us-east-1, us-east-2, ' +
  'us-west-1, us-west-2; Azure US regions); GovCloud, Canada and Mexico excluded. Providers with ' +
  'one worldwide price (region "global": Lambda, RunPod, Vast.ai) kept as they are.';

const AWS_US_REGIONS = ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'];

/** Memory and form factor of the CSV's GPU labels, from the vendors' datasheets. */
const CSV_GPU_LABELS: Record<
  string,
  { model: string; memoryGb: number | null; formFactor: GpuFormFactor | null }
> = {
  'A100-40GB': { model: 'A100', memoryGb: 40, formFactor: null }, // PCIe and SXM4 merged
  'A100-80GB': { model: 'A100', memoryGb: 80, formFactor: 'sxm' },
  'A100-80GB-PCIe': { model: 'A100', memoryGb: 80, formFactor: 'pcie' },
  H100: { model: 'H100', memoryGb: 80, formFactor: 'sxm' },
  'H100-PCIe': { model: 'H100', memoryGb: 80, formFactor: 'pcie' },
  'H100-NVL': { model: 'H100', memoryGb: 94, formFactor: 'nvl' },
  H200: { model: 'H200', memoryGb: 141, formFactor: 'sxm' },
  L40S: { model: 'L40S', memoryGb: 48, formFactor: 'pcie' },
  MI300X: { model: 'MI300X', memoryGb: 192, formFactor: 'oam' },
  B200: { model: 'B200', memoryGb: 180, formFactor: 'sxm' },
  B300: { model: 'B300', memoryGb: null, formFactor: 'sxm' },
};

/** AWS 2017 GPU families whose GPU is a whole card (p2/g3 expose half a K80/M60 board: skipped). */
const AWS_2017_GPU_FAMILIES: Record<
  string,
  { model: string; memoryGb: number; formFactor: GpuFormFactor }
> = {
  p3: { model: 'V100', memoryGb: 16, formFactor: 'sxm' },
};

export function parseCsv(text: string): Array<Record<string, string>> {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += ch;
  }
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  const [header, ...body] = rows;
  if (!header) return [];
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.trim(), (r[i] ?? '').trim()])));
}

function isUsOrGlobal(region: string, geo: string): boolean {
  if (region === 'global') return true;
  if (/gov|canada|mexico|^ca-|^mx-/i.test(region)) return false;
  return geo === 'NA';
}

function keepCheapest(rows: CloudInstance[]): CloudInstance[] {
  const best = new Map<string, CloudInstance>();
  for (const r of rows) {
    const key = [r.provider, r.sku, r.gpuModel, r.gpuMemoryGb, r.gpuFormFactor, r.gpuCount].join(
      '|',
    );
    const cur = best.get(key);
    if (
      !cur ||
      r.usdPerHour < cur.usdPerHour ||
      (r.usdPerHour === cur.usdPerHour && r.region < cur.region)
    ) {
      best.set(key, r);
    }
  }
  return [...best.values()].sort(
    (a, b) =>
      (a.gpuModel ?? '').localeCompare(b.gpuModel ?? '') ||
      a.gpuCount - b.gpuCount ||
      a.usdPerHour - b.usdPerHour ||
      a.provider.localeCompare(b.provider),
  );
}

export interface BuildReport {
  rowsRead: number;
  kept: number;
  skipped: Record<string, number>;
}

/** GPU instances from the gpu-price-index CSV (on-demand only, region policy applied). */
export function gpuInstancesFromCsv(
  csvText: string,
  sourceIndex: number,
): { instances: CloudInstance[]; observedAt: string | null; report: BuildReport } {
  const rows = parseCsv(csvText);
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const out: CloudInstance[] = [];
  let latest = '';
  for (const r of rows) {
    if (r.pricing !== 'on_demand') {
      skip(`pricing ${r.pricing || '(none)'}`);
      continue;
    }
    if (!isUsOrGlobal(r.region ?? '', r.geo ?? '')) {
      skip('outside US/global region policy');
      continue;
    }
    const usdPerHour = Number(r.usd_per_hour);
    const gpuCount = Number(r.gpu_count);
    const date = r.date ?? '';
    if (!(usdPerHour > 0) || !Number.isInteger(gpuCount) || gpuCount < 1) {
      skip('bad price or GPU count');
      continue;
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      skip('bad date');
      continue;
    }
    const label = r.gpu_model ?? '';
    const known = CSV_GPU_LABELS[label];
    const parsed = known ? null : parseGpuIdentity(label);
    if (!known && !parsed) {
      skip('unreadable GPU model');
      continue;
    }
    const sku = r.sku || '(unnamed)';
    const skuFf: GpuFormFactor | null = /pcie/i.test(sku)
      ? 'pcie'
      : /sxm/i.test(sku)
        ? 'sxm'
        : /\bnvl\b/i.test(sku)
          ? 'nvl'
          : null;
    const sample = Number(r.sample_size);
    if (date > latest) latest = date;
    out.push({
      provider: r.provider || r.source || '(unknown)',
      segment: r.segment || 'unknown',
      sku,
      region: r.region || 'global',
      vcpus: null,
      memoryGb: null,
      gpuModel: known ? known.model : label,
      gpuMemoryGb: known ? known.memoryGb : (parsed?.memoryGb ?? null),
      gpuFormFactor: skuFf ?? (known ? known.formFactor : (parsed?.formFactor ?? null)),
      gpuCount,
      usdPerHour,
      observedAt: date,
      observedAtPrecision: 'day',
      source: sourceIndex,
      ...(sample > 1 ? { note: `median of ${sample} marketplace offers` } : {}),
    });
  }
  const instances = keepCheapest(out);
  return {
    instances,
    observedAt: latest || null,
    report: { rowsRead: rows.length, kept: instances.length, skipped },
  };
}

interface Ec2Raw {
  instance_type?: unknown;
  vCPU?: unknown;
  memory?: unknown;
  GPU?: unknown;
  FPGA?: unknown;
  generation?: unknown;
  pricing?: Record<string, { linux?: { ondemand?: unknown } } | undefined>;
}

/**
 * EC2 instances from ec2instances.info: current-generation, Linux on-demand, cheapest US region.
 * Burstable t* types and FPGA types are skipped (not comparable to a dedicated server); p3 (V100)
 * goes to the GPU list, other GPU types (half-board K80/M60) are skipped.
 */
export function ec2Instances(
  json: unknown,
  sourceIndex: number,
  observedAt: string,
  precision: 'day' | 'month',
): { cpu: CloudInstance[]; gpu: CloudInstance[]; report: BuildReport } {
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const list: unknown[] = Array.isArray(json) ? (json as unknown[]) : [];
  const cpu: CloudInstance[] = [];
  const gpu: CloudInstance[] = [];
  for (const item of list) {
    const r = (typeof item === 'object' && item !== null ? item : {}) as Ec2Raw;
    const type = typeof r.instance_type === 'string' ? r.instance_type : '';
    const vcpus = Number(r.vCPU);
    const memoryGb = Number(r.memory);
    const gpus = Number(r.GPU ?? 0);
    if (!type || !(vcpus > 0) || !(memoryGb > 0)) {
      skip('missing type, vCPU or memory');
      continue;
    }
    if (r.generation !== 'current') {
      skip('previous generation');
      continue;
    }
    if (/^t\d/.test(type)) {
      skip('burstable');
      continue;
    }
    if (Number(r.FPGA ?? 0) > 0) {
      skip('FPGA');
      continue;
    }
    const family = type.split('.')[0] ?? '';
    const gpuInfo = gpus > 0 ? AWS_2017_GPU_FAMILIES[family] : undefined;
    if (gpus > 0 && !gpuInfo) {
      skip('GPU type without whole-card mapping');
      continue;
    }
    let bestRegion: string | null = null;
    let bestPrice = Infinity;
    for (const region of AWS_US_REGIONS) {
      const p = Number(r.pricing?.[region]?.linux?.ondemand);
      if (
        p > 0 &&
        (p < bestPrice || (p === bestPrice && bestRegion !== null && region < bestRegion))
      ) {
        bestPrice = p;
        bestRegion = region;
      }
    }
    if (bestRegion === null) {
      skip('no US on-demand Linux price');
      continue;
    }
    const inst: CloudInstance = {
      provider: 'AWS',
      segment: 'hyperscaler',
      sku: type,
      region: bestRegion,
      vcpus,
      memoryGb,
      gpuModel: gpuInfo ? gpuInfo.model : null,
      gpuMemoryGb: gpuInfo ? gpuInfo.memoryGb : null,
      gpuFormFactor: gpuInfo ? gpuInfo.formFactor : null,
      gpuCount: gpuInfo ? gpus : 0,
      usdPerHour: bestPrice,
      observedAt,
      observedAtPrecision: precision,
      source: sourceIndex,
    };
    (gpuInfo ? gpu : cpu).push(inst);
  }
  return {
    cpu: keepCheapest(cpu),
    gpu: keepCheapest(gpu),
    report: { rowsRead: list.length, kept: cpu.length + gpu.length, skipped },
  };
}

/** Pretty top level, one instance per line: small diffs when prices are refreshed. */
export function formatTable(table: CloudPriceTable): string {
  const { instances, ...head } = table;
  const headJson = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  const lines = instances.map((i) => `    ${JSON.stringify(i)}`).join(',\n');
  return `${headJson},\n  "instances": [\n${lines}\n  ]\n}\n`;
}

export interface BuiltTables {
  cpu: CloudPriceTable;
  gpu: CloudPriceTable;
  reports: Record<string, BuildReport>;
}

export function buildCloudTables(files: {
  gpuCsv: { name: string; text: string };
  ec2Json: { name: string; json: unknown; observedAt: string; precision: 'day' | 'month' };
}): BuiltTables {
  const g = gpuInstancesFromCsv(files.gpuCsv.text, 0);
  const e = ec2Instances(files.ec2Json.json, 1, files.ec2Json.observedAt, files.ec2Json.precision);
  const sources: CloudPriceTable['sources'] = [
    {
      file: files.gpuCsv.name,
      origin: 'ewyluda/gpu-price-index : site/data/observations-latest.csv @ 1f5b0586',
      observedAt: g.observedAt ?? 'unknown',
      observedAtPrecision: 'day',
      note: "Providers' public list prices; spot rows dropped.",
    },
    {
      file: files.ec2Json.name,
      origin: 'vantage-sh/ec2instances.info : www/instances.json @ 94e1f006 (MIT)',
      observedAt: files.ec2Json.observedAt,
      observedAtPrecision: files.ec2Json.precision,
      note: 'AWS list prices as of 2017-11: far too old to show as current; the date travels with every match.',
    },
  ];
  const common = {
    currency: 'USD' as const,
    pricing: 'on_demand' as const,
    regionPolicy: REGION_POLICY,
    sources,
  };
  const cpu = cloudPriceTableSchema.parse({
    $comment: 'Generated by src/pricing/valuation/build-cloud.ts; do not edit by hand.',
    kind: 'cpu',
    ...common,
    instances: e.cpu,
  });
  const gpu = cloudPriceTableSchema.parse({
    $comment: 'Generated by src/pricing/valuation/build-cloud.ts; do not edit by hand.',
    kind: 'gpu',
    ...common,
    instances: [...g.instances, ...e.gpu],
  });
  return { cpu, gpu, reports: { [files.gpuCsv.name]: g.report, [files.ec2Json.name]: e.report } };
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(argv: string[]): number {
  const inDir = resolve(argValue(argv, '--in') ?? '../shared/data/cloud');
  const outDir = resolve(argValue(argv, '--out') ?? 'data/cloud');
  const gpuPath = join(inDir, argValue(argv, '--gpu-csv') ?? 'gpu-cloud-prices-2026-09.csv');
  const ec2Path = join(inDir, argValue(argv, '--ec2-json') ?? 'aws-ec2-instances-2017-11.json');
  const ec2Month = argValue(argv, '--ec2-observed') ?? '2017-11';
  if (!/^\d{4}-\d{2}$/.test(ec2Month)) {
    process.stderr.write(`--ec2-observed must be YYYY-MM, got '${ec2Month}'\n`);
    return 2;
  }
  let built: BuiltTables;
  try {
    built = buildCloudTables({
      gpuCsv: { name: basename(gpuPath), text: readFileSync(gpuPath, 'utf8') },
      ec2Json: {
        name: basename(ec2Path),
        json: JSON.parse(readFileSync(ec2Path, 'utf8')) as unknown,
        observedAt: `${ec2Month}-01`,
        precision: 'month',
      },
    });
  } catch (err) {
    process.stderr.write(`build-cloud: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'cpu-instances.json'), formatTable(built.cpu));
  writeFileSync(join(outDir, 'gpu-instances.json'), formatTable(built.gpu));
  process.stdout.write(
    `${JSON.stringify({ outDir, cpu: built.cpu.instances.length, gpu: built.gpu.instances.length, reports: built.reports }, null, 2)}\n`,
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
