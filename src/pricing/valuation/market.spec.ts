import { discountToMarket, marketBaseline } from './market';

describe('marketBaseline', () => {
  it('computes n, median and interpolated p10/p90, ignoring junk', () => {
    const b = marketBaseline([100, 200, 300, 400, 500, Number.NaN, -1, Infinity]);
    expect(b).toEqual({ n: 5, median: 300, p10: 140, p90: 460 });
    expect(marketBaseline([])).toEqual({ n: 0, median: null, p10: null, p90: null });
    expect(marketBaseline([10, 20]).median).toBe(15);
  });
});

describe('discountToMarket', () => {
  const b = marketBaseline([100, 200, 300, 400, 500]);
  it('is percent below the median with a band', () => {
    expect(discountToMarket(240, b)).toEqual({ discountPct: 20, band: 'p10-p90', n: 5 });
    expect(discountToMarket(120, b)).toMatchObject({ band: 'below-p10' });
    expect(discountToMarket(600, b)).toMatchObject({ discountPct: -100, band: 'above-p90' });
  });
  it('refuses thin markets and bad prices with a reason', () => {
    expect(discountToMarket(100, marketBaseline([1, 2]))).toEqual({
      discountPct: null,
      reason: 'only 2 market observation(s); at least 5 needed',
    });
    expect(discountToMarket(Number.NaN, b).discountPct).toBeNull();
    expect(discountToMarket(null, b).discountPct).toBeNull();
  });
});
