import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_VALUATION_SETTINGS, parseValuationSettings } from './settings';

const doc = JSON.parse(
  readFileSync(join(__dirname, '../../../data/settings/defaults.json'), 'utf8'),
);

describe('valuation settings', () => {
  it('data/settings/defaults.json documents exactly the coded defaults', () => {
    expect(doc.settings).toEqual(DEFAULT_VALUATION_SETTINGS);
    expect(Object.keys(doc.notes).sort()).toEqual(Object.keys(DEFAULT_VALUATION_SETTINGS).sort());
    for (const note of Object.values(doc.notes)) expect(String(note).length).toBeGreaterThan(20);
  });

  it('merges partial overrides over the defaults', () => {
    const r = parseValuationSettings({
      energyPricePerKwh: 0.3,
      partsPrices: { ramPerGb: { DDR4: 0.9 } },
      cloud: { segments: ['marketplace'] },
    });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.settings.energyPricePerKwh).toBe(0.3);
    expect(r.settings.partsPrices.ramPerGb).toEqual({ DDR3: 0.5, DDR4: 0.9, DDR5: 4 });
    expect(r.settings.cloud).toEqual({
      segments: ['marketplace'],
      maxInstances: 4,
      staleAfterMonths: 12,
    });
    expect(parseValuationSettings(undefined)).toEqual({
      ok: true,
      settings: DEFAULT_VALUATION_SETTINGS,
    });
  });

  it('rejects bad values and unknown keys with the setting named', () => {
    expect(parseValuationSettings({ pue: 0.5 })).toEqual({
      ok: false,
      error: expect.stringContaining('pue'),
    });
    expect(parseValuationSettings({ horizonMonth: 24 })).toEqual({
      ok: false,
      error: expect.stringContaining('horizonMonth'),
    });
    expect(parseValuationSettings({ barebones: { driveMedia: 'tape' } })).toEqual({
      ok: false,
      error: expect.stringContaining('barebones.driveMedia'),
    });
    expect(parseValuationSettings('x')).toEqual({
      ok: false,
      error: 'valuation settings must be a JSON object',
    });
    expect(parseValuationSettings({ fxRates: { snapshots: [] } }).ok).toBe(false);
  });

  it('accepts a replacement FX table of the rates.json shape', () => {
    const r = parseValuationSettings({
      fxRates: {
        snapshots: [{ date: '2026-01-02', base: 'EUR', source: 'ops', rates: { USD: 1.1 } }],
      },
    });
    expect(r.ok && r.settings.fxRates?.snapshots.length).toBe(1);
  });
});
