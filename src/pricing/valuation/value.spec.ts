import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ChassisCatalogEntry,
  CpuCatalogEntry,
  GpuCatalogEntry,
  NormalizedSpecs,
} from '../types';
import { parseCloudPriceTable } from './cloud';
import { FxTable } from './fx';
import { DEFAULT_VALUATION_SETTINGS, type ValuationSettings } from './settings';
import { type ValuationContext, type ValuationInput, valueListing } from './value';

// ---- hand-made catalog entries (scores, cores and TDP from the PassMark 2022 CSV in /work/shared/data)
const cpu = (o: Partial<CpuCatalogEntry> & Pick<CpuCatalogEntry, 'model'>): CpuCatalogEntry => ({
  vendor: 'Intel',
  family: 'Xeon Scalable',
  cores: null,
  threads: null,
  baseGhz: null,
  tdpW: null,
  score: null,
  maxSockets: 2,
  provenance: [{ source: 'test: PassMark 2022 CSV' }],
  ...o,
});
const CPUS: CpuCatalogEntry[] = [
  cpu({ model: 'Gold 6148', cores: 20, threads: 40, tdpW: 150, score: 28962 }),
  cpu({ model: 'Gold 6130', cores: 16, threads: 32, tdpW: 125, score: 20721 }),
  cpu({
    model: 'EPYC 7763',
    vendor: 'AMD',
    family: 'EPYC',
    cores: 64,
    threads: 128,
    tdpW: 280,
    score: 86000,
  }),
  cpu({ model: 'E5-2680 v4', family: 'Xeon E5', cores: 14, threads: 28, tdpW: 120, score: null }),
];
const gpu = (o: Partial<GpuCatalogEntry> & Pick<GpuCatalogEntry, 'model'>): GpuCatalogEntry => ({
  vendor: 'NVIDIA',
  memoryGb: [],
  fp32Tflops: null,
  fp16Tflops: null,
  tensorFp16Tflops: null,
  tdpW: null,
  releaseYear: null,
  provenance: [{ source: 'test: TechPowerUp' }],
  ...o,
});
const GPUS: GpuCatalogEntry[] = [
  gpu({ model: 'A100', memoryGb: [40, 80], fp32Tflops: 19.5, fp16Tflops: 78, tdpW: 400 }),
  gpu({ model: 'RTX 3090', memoryGb: [24], fp32Tflops: 35.58, fp16Tflops: 35.58, tdpW: 350 }),
];
const chassis = (
  o: Partial<ChassisCatalogEntry> & Pick<ChassisCatalogEntry, 'model'>,
): ChassisCatalogEntry => ({
  vendor: 'Dell',
  aliases: [],
  rackUnits: 2,
  sockets: 2,
  dimmSlots: 24,
  maxRamGb: 3072,
  ramType: 'DDR4',
  cpuFamilies: ['Xeon Scalable'],
  driveBays: [],
  gpuSlots: 0,
  idleW: 120,
  typicalW: 350,
  psuW: [750],
  releaseYear: 2017,
  provenance: [{ source: 'test' }],
  ...o,
});
const CHASSIS: ChassisCatalogEntry[] = [
  chassis({ model: 'R740xd', rackUnits: 2, idleW: 120 }),
  chassis({ model: 'R640', rackUnits: 1, idleW: 100, dimmSlots: 24 }),
  chassis({
    vendor: 'Supermicro',
    model: 'AS-4124GO-NART',
    rackUnits: 4,
    idleW: 400,
    cpuFamilies: ['EPYC'],
    gpuSlots: 8,
  }),
];

const dataDir = join(__dirname, '../../../data');
const readJson = (p: string): unknown => JSON.parse(readFileSync(join(dataDir, p), 'utf8'));
const fx = FxTable.fromJson(readJson('fx/rates.json'));
const cloud = {
  cpu: parseCloudPriceTable(readJson('cloud/cpu-instances.json')),
  gpu: parseCloudPriceTable(readJson('cloud/gpu-instances.json')),
};

const byModel =
  <T extends { model: string }>(list: T[]) =>
  (m: string) =>
    list.find((e) => e.model.toLowerCase() === m.toLowerCase()) ?? null;

function makeCtx(
  o: Partial<ValuationContext> = {},
  settings: Partial<ValuationSettings> = {},
): ValuationContext {
  return {
    cpu: byModel(CPUS),
    // like the real catalog, tolerate variant words after the label ("A100 SXM4")
    gpu: (m) => GPUS.find((e) => m.toUpperCase().startsWith(e.model.toUpperCase())) ?? null,
    chassis: (m) => byModel(CHASSIS)(m),
    fx,
    cloud,
    settings: { ...DEFAULT_VALUATION_SETTINGS, ...settings },
    baseCurrency: 'USD',
    partsMedian: () => null,
    ...o,
  };
}

function specs(o: Partial<NormalizedSpecs> = {}): NormalizedSpecs {
  return {
    kind: 'server',
    vendor: 'Dell',
    chassis: null,
    formFactor: null,
    driveBays: null,
    cpuModel: null,
    cpuCount: null,
    ramGb: null,
    ramModuleGb: null,
    ramModuleCount: null,
    ramType: null,
    drives: [],
    driveCount: null,
    driveCapacityGb: null,
    storageGb: null,
    gpuModel: null,
    gpuCount: null,
    gpuMemoryGb: null,
    psuWatts: null,
    psuCount: null,
    nicSpeedsGbps: [],
    hints: [],
    lotQuantity: 1,
    partNumbers: [],
    configKey: null,
    confidence: 0.9,
    spans: [],
    unrecognized: [],
    reasons: {},
    ...o,
  };
}

const input = (o: Partial<ValuationInput> & { specs: NormalizedSpecs }): ValuationInput => ({
  price: 1000,
  shipping: 0,
  currency: 'USD',
  observedAt: '2026-10-01T00:00:00Z',
  ...o,
});

const r740xd = input({
  price: 3899,
  shipping: 0,
  specs: specs({
    chassis: 'R740xd',
    formFactor: '2U',
    cpuModel: 'Gold 6148',
    cpuCount: 2,
    ramGb: 256,
    ramType: 'DDR4-2666',
    storageGb: 12 * 4000,
  }),
});
const r640 = input({
  price: 2099,
  shipping: 0,
  specs: specs({
    chassis: 'R640',
    formFactor: '1U',
    cpuModel: 'Gold 6130',
    cpuCount: 2,
    ramGb: 256,
    ramType: 'DDR4-2666',
    storageGb: 2 * 960,
  }),
});

describe('valueListing: comma.ai-style R740xd vs R640', () => {
  const ctx = makeCtx();
  const a = valueListing(r740xd, ctx);
  const b = valueListing(r640, ctx);

  it('computes CPU score per dollar from the catalog score x socket count', () => {
    expect(a.cpuScore).toBe(57924);
    expect(b.cpuScore).toBe(41442);
    expect(a.cpuScorePerDollar).toBeCloseTo(57924 / 3899, 9);
    expect(b.cpuScorePerDollar).toBeCloseTo(41442 / 2099, 9);
    // the cheaper R640 gives more benchmark per dollar; the R740xd more per server
    expect(b.cpuScorePerDollar!).toBeGreaterThan(a.cpuScorePerDollar!);
    expect(a.cores).toBe(40);
    expect(a.threads).toBe(80);
    expect(a.dollarsPerCore).toBeCloseTo(3899 / 40, 9);
    expect(a.dollarsPerGbRam).toBeCloseTo(3899 / 256, 9);
    expect(a.dollarsPerTb).toBeCloseTo(3899 / 48, 9);
  });

  it('estimates power, energy, TCO and break-even against the cheapest equal cloud capacity', () => {
    // 120 W idle + 2 x 150 W x 0.6
    expect(a.estimatedWatts).toBeCloseTo(300, 9);
    expect(a.annualEnergyCost).toBeCloseTo(((300 * 8760) / 1000) * 1.5 * 0.13, 9);
    const running = a.annualEnergyCost! / 12 + 2 * 25 + 25;
    expect(a.monthlyRunningCost).toBeCloseTo(running, 9);
    expect(a.tco).toMatchObject({ horizonMonths: 36, price: 3899, parts: 0, rackUnits: 2 });
    expect(a.tco!.sparesReserve).toBeCloseTo(389.9, 9);
    expect(a.tco!.total).toBeCloseTo(3899 * 1.1 + running * 36, 6);
    expect(a.monthlyOwnedCost).toBeCloseTo(a.tco!.total / 36, 9);
    // 80 vCPU / 256 GB -> 2x m4.10xlarge (40 vCPU, 160 GB, $2.00/h) in the 2017 AWS table
    expect(a.cloudMatch).toMatchObject({
      provider: 'AWS',
      sku: 'm4.10xlarge',
      instanceCount: 2,
      hourly: 4,
      observedAt: '2017-11-01',
      stale: true,
    });
    expect(a.cloudMatch!.monthly).toBeCloseTo(2920, 9);
    expect(a.breakEvenMonths).toBeCloseTo((3899 * 1.1) / (2920 - running), 9);
    expect(a.assumptions.join('\n')).toMatch(
      /cloud prices observed 2017-11-01 are .* months older/,
    );
    expect(a.reasons).toEqual({
      effectivePriceMax: 'no price range',
      gpuFp32Tflops: 'no GPU stated',
      gpuFp16Tflops: 'no GPU stated',
      tflopsPerDollar: 'no GPU stated',
      dollarsPerGbVram: 'no GPU stated',
    });
  });

  it('lists every input it used', () => {
    expect(a.inputs.cpu?.model).toBe('Gold 6148');
    expect(a.inputs.chassis?.model).toBe('R740xd');
    expect(a.inputs.cloud).toMatchObject({ table: 'cpu', observedAt: '2017-11-01' });
    expect(a.inputs.settings).toMatchObject({ pue: 1.5, fxRates: 'default table' });
    expect(a.inputs.listing).toMatchObject({ price: 3899, currency: 'USD', cpuCount: 2 });
  });
});

describe('valueListing: GPU server vs cloud GPU prices', () => {
  const server = input({
    price: 95000,
    shipping: 500,
    specs: specs({
      vendor: 'Supermicro',
      chassis: 'AS-4124GO-NART',
      formFactor: '4U',
      cpuModel: 'EPYC 7763',
      cpuCount: 2,
      ramGb: 1024,
      storageGb: 7680,
      gpuModel: 'A100 SXM4',
      gpuCount: 8,
      gpuMemoryGb: 80,
    }),
  });
  const v = valueListing(server, makeCtx());

  it('sums GPU throughput and compares with the same GPUs in the cloud', () => {
    expect(v.effectivePrice).toBe(95500);
    expect(v.gpuFp32Tflops).toBeCloseTo(156, 9);
    expect(v.gpuFp16Tflops).toBeCloseTo(624, 9);
    expect(v.tflopsPerDollar).toBeCloseTo(156 / 95500, 12);
    expect(v.dollarsPerGbVram).toBeCloseTo(95500 / 640, 9);
    // 400 W idle + 2 x 280 x 0.6 + 8 x 400
    expect(v.estimatedWatts).toBeCloseTo(400 + 336 + 3200, 9);
    // cheapest 8x A100 80GB SXM among hyperscalers/neoclouds: Lambda at $22.32/h
    expect(v.cloudMatch).toMatchObject({
      provider: 'Lambda',
      sku: 'gpu_8x_a100_sxm_80gb',
      hourly: 22.32,
      observedAt: '2026-09-29',
      stale: false,
    });
    const running = v.monthlyRunningCost!;
    expect(v.breakEvenMonths).toBeCloseTo(v.tco!.upfront / (22.32 * 730 - running), 9);
    expect(v.breakEvenMonths!).toBeGreaterThan(5);
    expect(v.breakEvenMonths!).toBeLessThan(12);
  });

  it('values a bare GPU against a one-GPU instance and says the host is not included', () => {
    const card = valueListing(
      input({
        price: 7000,
        specs: specs({ kind: 'gpu', vendor: null, gpuModel: 'A100 80GB PCIe', gpuMemoryGb: 80 }),
      }),
      makeCtx(),
    );
    expect(card.estimatedWatts).toBe(400);
    expect(card.cloudMatch).toMatchObject({ provider: 'RunPod Secure Cloud', hourly: 1.59 });
    expect(card.breakEvenMonths).toBeGreaterThan(0);
    expect(card.assumptions.join('\n')).toMatch(/host server is not included/);
    expect(card.reasons.cpuScore).toBe('not applicable to a gpu listing');
  });

  it('explains a GPU with no cloud price and a cloud cheaper than owning', () => {
    const rtx = valueListing(
      input({
        price: 700,
        specs: specs({ kind: 'gpu', vendor: null, gpuModel: 'RTX 3090', gpuCount: 1 }),
      }),
      makeCtx(),
    );
    expect(rtx.dollarsPerGbVram).toBeCloseTo(700 / 24, 9);
    expect(rtx.assumptions.join('\n')).toMatch(/GPU memory not stated: 24 GB/);
    expect(rtx.reasons.cloudMatch).toMatch(/^no cloud price for GPU 'RTX 3090' \(priced: .*A100/);
    expect(rtx.reasons.breakEvenMonths).toMatch(/^no cloud match/);

    const pricey = valueListing(server, makeCtx({}, { energyPricePerKwh: 5 }));
    expect(pricey.breakEvenMonths).toBeNull();
    expect(pricey.reasons.breakEvenMonths).toMatch(/owning never breaks even/);
  });
});

describe('valueListing: barebones parts pricing', () => {
  const bare = input({
    price: 400,
    specs: specs({ chassis: 'R740xd', formFactor: '2U', hints: ['barebones'] }),
  });

  it('prices parts from market medians with enough observations, else from settings', () => {
    const medians: Record<string, { median: number; n: number }> = {
      'ram:ddr4:per-gb': { median: 0.9, n: 40 },
      'drive:ssd:per-tb': { median: 30, n: 3 },
    };
    const v = valueListing(bare, makeCtx({ partsMedian: (k) => medians[k] ?? null }));
    expect(v.partsNeeded).toEqual([
      expect.objectContaining({
        part: 'cpu',
        quantity: 2,
        unit: 'each',
        marketKey: 'cpu:xeon scalable:each',
        unitPrice: 60,
        cost: 120,
        priceSource: 'settings',
        observations: null,
      }),
      expect.objectContaining({
        part: 'ram',
        quantity: 128,
        unit: 'GB',
        marketKey: 'ram:ddr4:per-gb',
        unitPrice: 0.9,
        priceSource: 'market-median',
        observations: 40,
      }),
      expect.objectContaining({
        part: 'drive',
        quantity: 2,
        unit: 'TB',
        unitPrice: 50,
        cost: 100,
        priceSource: 'settings',
        observations: 3,
        reason: expect.stringContaining('3 observation(s) < 5'),
      }),
    ]);
    expect(v.partsCost).toBeCloseTo(120 + 115.2 + 100, 9);
    expect(v.reasons.cpuScore).toBe('no CPU included (barebones / no-cpu)');
    expect(v.reasons.dollarsPerGbRam).toBe('no RAM included (barebones / no-ram)');
    expect(v.reasons.estimatedWatts).toBe('no CPU fitted: power depends on the CPU chosen');
    expect(v.reasons.tco).toMatch(/^energy unknown/);
  });

  it('adds only the RAM a no-RAM server lacks and uses the completed config for the cloud match', () => {
    const v = valueListing(
      input({
        price: 900,
        specs: specs({
          chassis: 'R640',
          formFactor: '1U',
          cpuModel: 'Gold 6130',
          cpuCount: 2,
          storageGb: 960,
          hints: ['no-ram'],
        }),
      }),
      makeCtx(),
    );
    expect(v.partsNeeded).toHaveLength(1);
    expect(v.partsNeeded[0]).toMatchObject({
      part: 'ram',
      quantity: 128,
      unitPrice: 1.2,
      priceSource: 'settings',
    });
    expect(v.tco?.parts).toBeCloseTo(153.6, 9);
    expect(v.cloudMatch?.matchedOn).toMatch(/>= 64 vCPU and >= 128 GB/);
    expect(v.breakEvenMonths).not.toBeNull();
  });

  it('cannot price RAM of an unknown generation, and says why', () => {
    const v = valueListing(
      input({
        price: 300,
        specs: specs({
          chassis: 'Mystery 1U',
          formFactor: '1U',
          cpuModel: 'Gold 6130',
          cpuCount: 2,
          storageGb: 960,
          hints: ['no-ram'],
        }),
      }),
      makeCtx(),
    );
    expect(v.partsNeeded[0]).toMatchObject({
      part: 'ram',
      cost: null,
      reason: 'RAM generation unknown (not in title or chassis catalog)',
    });
    expect(v.reasons.partsCost).toMatch(/^ram could not be priced/);
    expect(v.reasons.tco).toMatch(/^ram could not be priced/);
    expect(v.assumptions.join('\n')).toMatch(/chassis not in catalog: base draw 100 W/);
  });
});

describe('valueListing: currency conversion at the observation date', () => {
  it('converts price and shipping with the rate in force, and settings money too', () => {
    const eur = valueListing(
      { ...r740xd, price: 3500, shipping: 50, currency: 'EUR', observedAt: '2024-06-01' },
      makeCtx(),
    );
    expect(eur.effectivePrice).toBeCloseTo(3550 * 1.105, 9); // ECB 2023-12-29
    expect(eur.inputs.fx.find((f) => f.purpose === 'listing price')).toMatchObject({
      from: 'EUR',
      to: 'USD',
      rate: 1.105,
      rateDate: '2023-12-29',
    });
    const inEur = valueListing(
      { ...r740xd, observedAt: '2025-02-01' },
      makeCtx({ baseCurrency: 'EUR' }),
    );
    expect(inEur.currency).toBe('EUR');
    expect(inEur.effectivePrice).toBeCloseTo(3899 / 1.0389, 9);
    expect(inEur.annualEnergyCost).toBeCloseTo((((300 * 8760) / 1000) * 1.5 * 0.13) / 1.0389, 9);
    expect(inEur.cloudMatch?.monthly).toBeCloseTo(2920 / 1.0389, 9);
  });

  it('per unit of a lot, with a price range at its lower bound', () => {
    const lot = valueListing(
      { ...r640, price: 10000, priceMax: 12000, shipping: 500, lotQuantity: 5 },
      makeCtx(),
    );
    expect(lot.lotEffectivePrice).toBe(10500);
    expect(lot.effectivePrice).toBe(2100);
    expect(lot.effectivePriceMax).toBe(2500);
    expect(lot.assumptions.join('\n')).toMatch(
      /lot of 5: price metrics are per item[\s\S]*|price range/,
    );
  });
});

describe('valueListing: null with a reason', () => {
  it.each<[string, Partial<ValuationInput>, string, string]>([
    [
      'no price',
      { price: null, priceNote: 'Best offer' },
      'effectivePrice',
      'no price (Best offer)',
    ],
    ['unknown currency', { currency: 'XYZ' }, 'effectivePrice', 'cannot convert XYZ to USD'],
    ['no currency', { currency: null }, 'effectivePrice', 'currency unknown'],
    ['negative price', { price: -5 }, 'effectivePrice', 'price -5 is not a valid amount'],
    ['NaN price', { price: Number.NaN }, 'effectivePrice', 'price NaN is not a valid amount'],
    [
      'absurd lot',
      { lotQuantity: 1e9 },
      'effectivePrice',
      'lot quantity 1000000000 is not plausible',
    ],
    [
      'fractional lot',
      { lotQuantity: 2.5 },
      'cpuScorePerDollar',
      'effective price unavailable: lot quantity 2.5',
    ],
    ['zero price', { price: 0 }, 'cpuScorePerDollar', 'effective price is zero'],
  ])('%s', (_name, over, metric, reason) => {
    const v = valueListing({ ...r740xd, ...over }, makeCtx());
    expect((v as unknown as Record<string, unknown>)[metric]).toBeNull();
    expect(v.reasons[metric as keyof typeof v.reasons]).toContain(reason);
  });

  it('names unknown CPU models, missing scores, RAM, storage and rack units', () => {
    const v = valueListing(
      input({ specs: specs({ cpuModel: 'E5-9999', cpuCount: 2 }) }),
      makeCtx(),
    );
    expect(v.reasons.cpuScore).toBe("CPU model 'E5-9999' not in catalog");
    expect(v.reasons.dollarsPerCore).toBe("CPU model 'E5-9999' not in catalog");
    expect(v.reasons.dollarsPerGbRam).toBe('RAM not stated');
    expect(v.reasons.dollarsPerTb).toBe('storage not stated');
    expect(v.reasons.cloudMatch).toMatch(/^vCPU count unknown/);
    const noScore = valueListing(
      input({ specs: specs({ cpuModel: 'E5-2680 v4', cpuCount: 2, ramGb: 128 }) }),
      makeCtx(),
    );
    expect(noScore.reasons.cpuScore).toBe("no benchmark score for CPU 'E5-2680 v4' in catalog");
    expect(noScore.cores).toBe(28);
    expect(noScore.reasons.tco).toBe(
      'rack units unknown (chassis not in catalog and form factor not stated)',
    );
    const noModel = valueListing(input({ specs: specs({ kind: 'ram', ramGb: 64 }) }), makeCtx());
    expect(noModel.dollarsPerGbRam).toBeCloseTo(1000 / 64, 9);
    expect(noModel.reasons.tco).toBe('TCO is computed for servers and GPUs, not a ram listing');
    expect(noModel.reasons.estimatedWatts).toBe('power not estimated for a ram listing');
  });

  it('marks every null metric with a reason', () => {
    const cases = [
      valueListing(input({ price: null, specs: specs() }), makeCtx()),
      valueListing(input({ specs: specs({ kind: 'other' }) }), makeCtx()),
      valueListing(r740xd, makeCtx({ cloud: { cpu: null, gpu: null } })),
      valueListing({ ...r740xd, lotQuantity: -3 }, makeCtx()),
      valueListing(r740xd, {} as ValuationContext),
    ];
    for (const v of cases) {
      for (const [k, val] of Object.entries(v)) {
        if (val === null)
          expect([k, v.reasons[k as keyof typeof v.reasons]]).toEqual([k, expect.any(String)]);
      }
    }
  });
});

describe('valueListing: bad input never throws', () => {
  it('implausible quantities become reasons', () => {
    const v = valueListing(
      { ...r740xd, specs: { ...r740xd.specs, cpuCount: 1000, ramGb: 1e12, storageGb: -1 } },
      makeCtx(),
    );
    expect(v.reasons.cpuScore).toBe('CPU count 1000 is not plausible (1..16)');
    expect(v.reasons.dollarsPerGbRam).toBe('RAM 1000000000000 GB is not plausible');
    expect(v.reasons.dollarsPerTb).toBe('storage -1 GB is not plausible');
    expect(v.effectivePrice).toBe(3899);
  });

  it('a throwing catalog, a bad date, missing specs or context', () => {
    const v = valueListing(
      { ...r740xd, observedAt: 'not a date' },
      makeCtx({
        cpu: () => {
          throw new Error('db down');
        },
      }),
    );
    expect(v.reasons.cpuScore).toBe('CPU catalog lookup failed: db down');
    expect(v.assumptions).toContain('observation date unknown: latest FX rates used');
    expect(valueListing({ ...r740xd, observedAt: null }, makeCtx()).cloudMatch?.stale).toBeNull();
    const noSpecs = valueListing({ price: 1 } as unknown as ValuationInput, makeCtx());
    expect(noSpecs.reasons.effectivePrice).toBe('no specs to value');
    const noCtx = valueListing(r740xd, {} as ValuationContext);
    expect(noCtx.reasons.cpuScore).toMatch(/context incomplete/);
    expect(() =>
      valueListing(null as unknown as ValuationInput, null as unknown as ValuationContext),
    ).not.toThrow();
  });

  it('an unknown base currency empties the money metrics with a reason', () => {
    const v = valueListing(r740xd, makeCtx({ baseCurrency: 'ZZZ' }));
    expect(v.reasons.effectivePrice).toMatch(/ZZZ is not in the FX table/);
    expect(v.reasons.annualEnergyCost).toMatch(/settings currency USD -> ZZZ/);
    expect(v.cpuScore).toBe(57924);
  });
});
