import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type CloudInstance,
  type CloudPriceTable,
  cheapestCloudMatch,
  parseCloudPriceTable,
  parseGpuIdentity,
} from './cloud';

const inst = (o: Partial<CloudInstance>): CloudInstance => ({
  provider: 'AWS',
  segment: 'hyperscaler',
  sku: 'x',
  region: 'us-east-1',
  vcpus: null,
  memoryGb: null,
  gpuModel: null,
  gpuMemoryGb: null,
  gpuFormFactor: null,
  gpuCount: 0,
  usdPerHour: 1,
  observedAt: '2026-09-29',
  observedAtPrecision: 'day',
  source: 0,
  ...o,
});

const table = (kind: 'cpu' | 'gpu', instances: CloudInstance[]): CloudPriceTable => ({
  kind,
  currency: 'USD',
  pricing: 'on_demand',
  regionPolicy: 'test',
  sources: [
    { file: 't.csv', origin: 'test', observedAt: '2026-09-29', observedAtPrecision: 'day' },
  ],
  instances,
});

const cpuTable = table('cpu', [
  inst({ sku: 'm.10x', vcpus: 40, memoryGb: 160, usdPerHour: 2 }),
  inst({ sku: 'x.32x', vcpus: 128, memoryGb: 1952, usdPerHour: 13.338 }),
  inst({ sku: 'c.18x', vcpus: 72, memoryGb: 144, usdPerHour: 3.06 }),
  inst({ sku: 'gpu', vcpus: 64, memoryGb: 488, gpuModel: 'V100', gpuCount: 8, usdPerHour: 0.5 }),
]);

const gpuTable = table('gpu', [
  inst({
    provider: 'Lambda',
    segment: 'neocloud',
    sku: '8x-sxm',
    gpuModel: 'A100',
    gpuMemoryGb: 80,
    gpuFormFactor: 'sxm',
    gpuCount: 8,
    usdPerHour: 22.32,
  }),
  inst({
    provider: 'Azure',
    sku: 'nc24',
    gpuModel: 'A100',
    gpuMemoryGb: 80,
    gpuFormFactor: 'pcie',
    gpuCount: 1,
    usdPerHour: 3.673,
  }),
  inst({
    provider: 'Azure',
    sku: 'nc96',
    gpuModel: 'A100',
    gpuMemoryGb: 80,
    gpuFormFactor: 'pcie',
    gpuCount: 4,
    usdPerHour: 14.692,
  }),
  inst({
    provider: 'Vast.ai',
    segment: 'marketplace',
    sku: 'median',
    gpuModel: 'A100',
    gpuMemoryGb: 80,
    gpuFormFactor: 'pcie',
    gpuCount: 1,
    usdPerHour: 0.93,
  }),
  inst({
    provider: 'Lambda',
    segment: 'neocloud',
    sku: '1x-40',
    gpuModel: 'A100',
    gpuMemoryGb: 40,
    gpuFormFactor: 'pcie',
    gpuCount: 1,
    usdPerHour: 1.99,
  }),
  inst({
    provider: 'Azure',
    sku: 'nvl',
    gpuModel: 'H100',
    gpuMemoryGb: 94,
    gpuFormFactor: 'nvl',
    gpuCount: 1,
    usdPerHour: 6.98,
  }),
]);

describe('parseGpuIdentity', () => {
  it.each([
    ['NVIDIA Tesla V100-SXM2-16GB', { family: 'V100', memoryGb: 16, formFactor: 'sxm' }],
    ['A100 80GB PCIe', { family: 'A100', memoryGb: 80, formFactor: 'pcie' }],
    ['H100 NVL', { family: 'H100', memoryGb: null, formFactor: 'nvl' }],
    ['GeForce RTX 3090', { family: 'RTX3090', memoryGb: null, formFactor: null }],
    ['AMD Instinct MI300X OAM', { family: 'MI300X', memoryGb: null, formFactor: 'oam' }],
    ['L40S', { family: 'L40S', memoryGb: null, formFactor: null }],
  ])('%s', (label, expected) => {
    expect(parseGpuIdentity(label)).toEqual(expected);
  });
  it('prefers the stated memory and rejects empty labels', () => {
    expect(parseGpuIdentity('A100', 40)?.memoryGb).toBe(40);
    expect(parseGpuIdentity('NVIDIA GPU')).toBeNull();
    expect(parseGpuIdentity(null)).toBeNull();
  });
});

describe('cheapestCloudMatch (CPU)', () => {
  it('finds the cheapest single instance with enough vCPUs and memory', () => {
    const m = cheapestCloudMatch({ vcpus: 80, memoryGb: 256 }, cpuTable);
    expect(m).toMatchObject({ ok: true, sku: 'x.32x', instanceCount: 1, hourlyUsd: 13.338 });
    expect(m.ok && m.monthlyUsd).toBeCloseTo(13.338 * 730, 6);
  });
  it('combines identical instances when allowed, and never offers a GPU instance', () => {
    const m = cheapestCloudMatch({ vcpus: 80, memoryGb: 256 }, cpuTable, { maxInstances: 4 });
    expect(m).toMatchObject({ ok: true, sku: 'm.10x', instanceCount: 2, hourlyUsd: 4 });
  });
  it('explains why there is no match', () => {
    expect(cheapestCloudMatch({ vcpus: 500, memoryGb: 10 }, cpuTable)).toMatchObject({ ok: false });
    expect(cheapestCloudMatch({ vcpus: 8 }, cpuTable)).toEqual({
      ok: false,
      reason: 'memory unknown',
    });
    expect(cheapestCloudMatch({ vcpus: 8, memoryGb: 8 }, null)).toEqual({
      ok: false,
      reason: 'no cloud price table loaded',
    });
  });
});

describe('cheapestCloudMatch (GPU)', () => {
  const opts = { segments: ['hyperscaler', 'neocloud'], maxInstances: 4 };
  it('keeps PCIe and SXM apart when the listing states the form factor', () => {
    const pcie = cheapestCloudMatch({ gpuModel: 'A100 80GB PCIe', gpuCount: 8 }, gpuTable, opts);
    expect(pcie).toMatchObject({ ok: true, sku: 'nc96', instanceCount: 2, hourlyUsd: 29.384 });
    const sxm = cheapestCloudMatch(
      { gpuModel: 'A100 SXM4', gpuMemoryGb: 80, gpuCount: 8 },
      gpuTable,
      opts,
    );
    expect(sxm).toMatchObject({ ok: true, sku: '8x-sxm', hourlyUsd: 22.32 });
  });
  it('accepts any variant when memory and form factor are not stated, and says so', () => {
    const m = cheapestCloudMatch({ gpuModel: 'Tesla A100', gpuCount: 1 }, gpuTable, opts);
    expect(m).toMatchObject({ ok: true, sku: '1x-40' });
    expect(m.ok && m.assumptions.join(' ')).toMatch(/memory not stated.*form factor not stated/);
  });
  it('respects segments: marketplace offers only when asked', () => {
    const m = cheapestCloudMatch({ gpuModel: 'A100', gpuMemoryGb: 80, gpuCount: 1 }, gpuTable, {
      segments: ['marketplace'],
    });
    expect(m).toMatchObject({ ok: true, provider: 'Vast.ai' });
  });
  it('does not treat H100 NVL as an 80 GB H100, and lists priced models for unknown GPUs', () => {
    expect(
      cheapestCloudMatch({ gpuModel: 'H100 PCIe', gpuCount: 1 }, gpuTable, opts),
    ).toMatchObject({ ok: false });
    const r = cheapestCloudMatch({ gpuModel: 'RTX 3090', gpuCount: 2 }, gpuTable, opts);
    expect(r).toEqual({
      ok: false,
      reason: "no cloud price for GPU 'RTX 3090' (priced: A100, H100)",
    });
    expect(cheapestCloudMatch({ gpuModel: 'A100', gpuCount: 0 }, gpuTable)).toMatchObject({
      ok: false,
    });
  });
});

describe('built tables in data/cloud', () => {
  const load = (f: string) =>
    parseCloudPriceTable(
      JSON.parse(readFileSync(join(__dirname, '../../../data/cloud', f), 'utf8')),
      f,
    );
  it('load, carry their observation dates, and match real needs', () => {
    const cpu = load('cpu-instances.json');
    const gpu = load('gpu-instances.json');
    expect(cpu.sources.find((s) => s.file.startsWith('aws-ec2'))?.observedAt).toBe('2017-11-01');
    expect(gpu.instances.some((i) => i.observedAt === '2026-09-29')).toBe(true);
    const m = cheapestCloudMatch({ vcpus: 80, memoryGb: 256 }, cpu, { maxInstances: 4 });
    expect(m).toMatchObject({
      ok: true,
      provider: 'AWS',
      sku: 'm4.10xlarge',
      instanceCount: 2,
      observedAtPrecision: 'month',
    });
    const g = cheapestCloudMatch({ gpuModel: 'A100', gpuMemoryGb: 80, gpuCount: 8 }, gpu, {
      segments: ['hyperscaler', 'neocloud'],
      maxInstances: 4,
    });
    expect(g).toMatchObject({ ok: true, provider: 'Lambda', hourlyUsd: 22.32 });
  });
});
