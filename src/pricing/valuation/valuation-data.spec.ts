import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadValuationData } from './valuation-data';

const dataDir = join(__dirname, '../../../data');

describe('loadValuationData', () => {
  it('loads the shipped FX and cloud tables with default settings', () => {
    const d = loadValuationData(dataDir);
    expect(d.fx.currencies()).toContain('EUR');
    expect(d.cloud.cpu.kind).toBe('cpu');
    expect(d.cloud.gpu.instances.length).toBeGreaterThan(10);
    expect(d.settings.horizonMonths).toBe(36);
  });

  it('takes the FX table from settings when given', () => {
    const d = loadValuationData(dataDir, {
      fxRates: {
        snapshots: [{ date: '2026-01-02', base: 'EUR', source: 'ops', rates: { USD: 1.2 } }],
      },
    });
    expect(d.fx.convert(1, 'EUR', 'USD').value).toBe(1.2);
  });

  it('fails with the file or setting named', () => {
    expect(() => loadValuationData(dataDir, { pue: 9 })).toThrow(/pue/);
    const empty = mkdtempSync(join(tmpdir(), 'rh-valuation-'));
    expect(() => loadValuationData(empty)).toThrow(/cannot read .*rates\.json/);
    mkdirSync(join(empty, 'fx'));
    writeFileSync(join(empty, 'fx', 'rates.json'), '{ nope');
    expect(() => loadValuationData(empty)).toThrow(/rates\.json is not valid JSON/);
  });
});
