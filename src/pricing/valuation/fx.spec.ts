import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FxTable } from './fx';

const ratesPath = join(__dirname, '../../../data/fx/rates.json');
const real = FxTable.fromJson(JSON.parse(readFileSync(ratesPath, 'utf8')), ratesPath);

const table = FxTable.fromSnapshots([
  { date: '2023-12-29', base: 'EUR', source: 'ECB', rates: { USD: 1.105, GBP: 0.86905 } },
  { date: '2024-12-31', base: 'EUR', source: 'ECB', rates: { USD: 1.0389, GBP: 0.82918 } },
  { date: '2024-12-28', base: 'USD', source: 'CBR', rates: { RUB: 101.6797 } },
]);

describe('FxTable', () => {
  it('uses the snapshot in force at the date', () => {
    const mid2024 = table.convert(100, 'EUR', 'USD', new Date('2024-06-15T12:00:00Z'));
    expect(mid2024).toMatchObject({ rateDate: '2023-12-29' });
    expect(mid2024.value).toBeCloseTo(110.5, 6);
    const early2025 = table.convert(100, 'EUR', 'USD', new Date('2025-03-01'));
    expect(early2025).toMatchObject({ rateDate: '2024-12-31' });
    expect(early2025.value).toBeCloseTo(103.89, 6);
    expect(early2025.value === null ? null : early2025.staleDays).toBe(60);
  });

  it('crosses through the base of one snapshot', () => {
    const r = table.convert(1, 'GBP', 'USD', new Date('2025-01-10'));
    expect(r.value).toBeCloseTo(1.0389 / 0.82918, 9);
  });

  it('bridges two snapshots through a shared currency', () => {
    const r = table.convert(101.6797, 'RUB', 'EUR', new Date('2025-02-01'));
    expect(r.value).toBeCloseTo(1 / 1.0389, 6);
    expect(r.value === null ? [] : r.legs.map((l) => l.source)).toEqual(['CBR', 'ECB']);
  });

  it('uses the latest snapshot when no date is given and the earliest, with a note, before all', () => {
    expect(table.convert(1, 'EUR', 'USD').value).toBeCloseTo(1.0389, 9);
    const old = table.convert(1, 'EUR', 'USD', new Date('2010-01-01'));
    expect(old.value).toBeCloseTo(1.105, 9);
    expect(old.value === null ? '' : old.note).toMatch(/earliest/);
  });

  it('gives null with a reason for unknown or malformed currencies and amounts', () => {
    expect(table.convert(1, 'XYZ', 'USD')).toEqual({
      value: null,
      reason: expect.stringContaining('XYZ is not in the FX table'),
    });
    expect(table.convert(1, 'dollars', 'USD').value).toBeNull();
    expect(table.convert(Number.NaN, 'EUR', 'USD').value).toBeNull();
    expect(table.convert(5, 'usd', 'USD')).toMatchObject({ value: 5, rate: 1 });
  });

  it('rejects a malformed table with a message naming the field', () => {
    expect(() =>
      FxTable.fromJson({
        snapshots: [{ date: '2024-13-45', base: 'EUR', source: 'x', rates: {} }],
      }),
    ).toThrow(/snapshots\.0\.date/);
    expect(() =>
      FxTable.fromJson({
        snapshots: [{ date: '2024-01-01', base: 'EUR', source: 'x', rates: { USD: -1 } }],
      }),
    ).toThrow(/rates\.USD/);
    expect(() => FxTable.fromJson('nope')).toThrow(/not a valid FX table/);
  });

  it('ships rates for the currencies the marketplaces use, with dated sources', () => {
    for (const c of [
      'USD',
      'EUR',
      'GBP',
      'CAD',
      'AUD',
      'SGD',
      'CHF',
      'JPY',
      'CNY',
      'SEK',
      'PLN',
      'INR',
      'RUB',
    ]) {
      expect(real.currencies()).toContain(c);
      const r = real.convert(100, c, 'USD', new Date('2025-06-01'));
      expect(r.value).toBeGreaterThan(0);
    }
    // ECB 2024-12-31: 1 EUR = 1.0389 USD
    expect(real.convert(1, 'EUR', 'USD', new Date('2025-01-15')).value).toBeCloseTo(1.0389, 9);
  });
});
