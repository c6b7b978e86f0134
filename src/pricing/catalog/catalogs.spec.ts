import { buildCpus, fitPowerLaw, gpuLabelModel, parseCpuName } from './build';
import { loadCatalogs } from './catalogs';
import { chassisKey, modelKey } from './keys';
import { existsSync } from 'node:fs';

describe('catalog lookups', () => {
  const cat = loadCatalogs();
  it('finds CPUs in any spelling', () => {
    expect(cat.cpu('E5-2680v4')?.model).toBe('E5-2680 v4');
    expect(cat.cpu('Intel Xeon Gold 6148')?.score).toBeGreaterThan(20000);
    expect(cat.cpuByNumber('6148')?.model).toBe('Gold 6148');
    expect(cat.cpu('EPYC 9654')?.score).toBeGreaterThan(0);
    expect(cat.cpu('E5-9999 v9')).toBeNull();
  });
  it('finds GPUs and chassis', () => {
    expect(cat.gpu('A100')?.memoryGb).toEqual(expect.arrayContaining([40, 80]));
    expect(cat.gpu('A100')?.tensorFp16Tflops).toBe(312);
    expect(cat.gpu('RTX 3090')?.fp32Tflops).toBeGreaterThan(30);
    expect(cat.chassis('DL380 G10')?.model).toBe('DL380 Gen10');
    expect(cat.chassis('R740xd', 'Dell')?.rackUnits).toBe(2);
    expect(cat.chassis('R740xd', 'HPE')).toBeNull();
    expect(cat.chassisList.length).toBeGreaterThanOrEqual(40);
    for (const c of cat.chassisList) expect(c.provenance.length).toBeGreaterThan(0);
  });
  it('normalizes keys', () => {
    expect(modelKey('E5-2680 v4')).toBe('e52680v4');
    expect(chassisKey('DL380 G10')).toBe(chassisKey('DL380 Gen10'));
  });
});

describe('catalog build', () => {
  it('parses vendor names', () => {
    expect(parseCpuName('Intel Xeon E5-2680v4 @ 2.40GHz')).toMatchObject({
      model: 'E5-2680 v4',
      baseGhz: 2.4,
    });
    expect(parseCpuName('AMD EPYC 7763')).toMatchObject({ model: 'EPYC 7763', family: 'EPYC' });
    expect(parseCpuName('Intel Core i7-8700')).toBeNull();
    expect(gpuLabelModel('GeForce RTX 4090', 'nvidia')).toBe('RTX 4090');
    expect(gpuLabelModel('A100 PCIe 40 GB', 'nvidia')).toBe('A100');
    expect(gpuLabelModel('Quadro RTX 5000 Mobile', 'nvidia')).toBeNull();
  });
  it('fits a power law exactly on exact data', () => {
    const fit = fitPowerLaw([1, 2, 4, 8].map((x) => ({ x, y: 3 * x ** 1.5 })));
    expect(fit.b).toBeCloseTo(1.5, 6);
    expect(Math.exp(fit.a)).toBeCloseTo(3, 6);
    expect(fit.r2).toBeCloseTo(1, 6);
  });
  const src = `${__dirname}/../../../../shared/data/catalog`;
  (existsSync(src) ? it : it.skip)('calibrates Geekbench 6 to PassMark monotonically', () => {
    const { cpus, calibration } = buildCpus(src);
    expect(calibration.n).toBeGreaterThan(50);
    expect(calibration.b).toBeGreaterThan(0);
    const e = cpus.find((c) => c.model === 'EPYC 9654');
    const o = cpus.find((c) => c.model === 'EPYC 7763');
    expect(e?.score).toBeGreaterThan(0);
    expect(o?.score).toBeGreaterThan(0);
  });
});
