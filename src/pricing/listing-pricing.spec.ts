import { loadCatalogs } from './catalog/catalogs';
import { priceListing, usableConfigKey } from './listing-pricing';
import { DEFAULT_VALUATION_SETTINGS, loadValuationData } from './valuation';
import { mergeSettings } from './pricing.service';

describe('priceListing (normalize + value -> listing columns)', () => {
  const data = loadValuationData();
  const deps = {
    catalogs: loadCatalogs(),
    fx: data.fx,
    cloud: data.cloud,
    settings: data.settings,
    settingsRevision: 3,
    baseCurrency: 'USD',
    valuationVersion: 100003,
    partsMedians: new Map(),
  };

  it('fills spec and metric columns with reasons for nulls', () => {
    const { columns: c } = priceListing(
      {
        title: 'Dell PowerEdge R740xd 2x Gold 6148 256GB',
        price: 1000,
        shipping: 0,
        currency: 'USD',
        observedAt: '2026-10-01',
      },
      deps,
    );
    expect(c).toMatchObject({ kind: 'server', chassis: 'R740xd', cpu_count: 2, ram_gb: 256 });
    expect(c.effective_price).toBe(1000);
    expect(c.cpu_score_per_dollar).toBeGreaterThan(0);
    expect(c.metric_reasons.tflopsPerDollar).toBeTruthy();
    expect(c.valuation_version).toBe(100003);
    // the stored valuation is compact: versions, market-priced parts and the TCO, no inputs
    expect(c.valuation).toMatchObject({ settingsRevision: 3, pricingVersion: 100003 });
    expect('inputs' in c.valuation).toBe(false);
    expect(JSON.stringify(c.valuation).length).toBeLessThan(1000);
    // its amounts to the cent; the tco column keeps the full figure
    const { columns: odd } = priceListing(
      {
        title: 'Dell PowerEdge R640 2x Gold 6148 256GB',
        price: 1234.57,
        currency: 'USD',
        observedAt: '2026-10-01',
      },
      deps,
    );
    for (const k of ['price', 'sparesReserve', 'upfront', 'energy', 'total'] as const) {
      expect(String(odd.valuation.tco![k])).toMatch(/^\d+(\.\d{1,2})?$/);
    }
    expect(odd.valuation.tco!.sparesReserve).toBe(123.46);
    expect(odd.tco).toBeCloseTo(odd.valuation.tco!.total, 1);
  });

  it('stores only the spec fields that have no column, without empty values', () => {
    const { columns: c, specs } = priceListing(
      {
        title: 'Dell PowerEdge R640 2x Gold 6148 256GB (8x32GB) DDR4-2666 2x 480GB SSD',
        price: 2000,
        currency: 'USD',
        observedAt: '2026-10-01',
      },
      deps,
    );
    expect(specs).toMatchObject({ chassis: 'R640', cpuModel: 'Gold 6148', ramGb: 256 });
    expect(c.specs).toMatchObject({ ramType: 'DDR4-2666', ramModuleGb: 32, ramModuleCount: 8 });
    expect(c.specs.drives).toEqual([expect.objectContaining({ count: 2, media: 'ssd' })]);
    expect(c.specs.spans!.length).toBeGreaterThan(0);
    // held by their own columns, or empty
    for (const k of [
      'chassis',
      'cpuModel',
      'ramGb',
      'configKey',
      'confidence',
      'hints',
      'psuWatts',
    ]) {
      expect(Object.keys(c.specs)).not.toContain(k);
    }
    expect(c.chassis).toBe('R640');
  });

  it('never throws on junk and keeps integers inside their columns', () => {
    for (const title of [
      '',
      '😀'.repeat(500),
      '99999999999x E5-2680 v4 99999999999GB',
      '\u0000x',
    ]) {
      const { columns: c } = priceListing(
        { title, price: -1, currency: 'XXX', observedAt: 'not a date' },
        deps,
      );
      for (const k of ['cpu_count', 'ram_gb', 'gpu_count', 'drive_count'] as const) {
        const v = c[k];
        expect(v === null || (Number.isInteger(v) && v <= 1e9)).toBe(true);
      }
      expect(c.effective_price).toBeNull();
      expect(JSON.stringify(c)).not.toContain('\\u0000');
    }
  });

  it('drops configuration keys with nothing known beyond the kind', () => {
    expect(usableConfigKey('server|?|?|?')).toBeNull();
    expect(usableConfigKey('server|r740xd|?|?')).toBe('server|r740xd|?|?');
    expect(usableConfigKey(null)).toBeNull();
  });

  it('merges partial settings over the current ones', () => {
    const merged = mergeSettings(DEFAULT_VALUATION_SETTINGS, {
      partsPrices: { ramPerGb: { DDR4: 2 } },
      pue: 1.2,
    }) as typeof DEFAULT_VALUATION_SETTINGS;
    expect(merged.partsPrices.ramPerGb).toEqual({ DDR3: 0.5, DDR4: 2, DDR5: 4 });
    expect(merged.pue).toBe(1.2);
    expect(merged.horizonMonths).toBe(36);
  });
});
