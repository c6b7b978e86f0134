import { slopePctPerWeek, type WeeklyMedian } from './market-trend';

const week = (i: number, median: number): WeeklyMedian => ({
  weekStart: new Date(Date.UTC(2026, 0, 5) + i * 7 * 24 * 3600 * 1000),
  median,
  n: 3,
});

describe('slopePctPerWeek', () => {
  it('is null with fewer than two weeks', () => {
    expect(slopePctPerWeek([])).toBeNull();
    expect(slopePctPerWeek([week(0, 100)])).toBeNull();
  });

  it('is zero for a flat series', () => {
    expect(slopePctPerWeek([week(0, 500), week(1, 500), week(2, 500)])).toBe(0);
  });

  it('is the least-squares slope as a percentage of the mean per week', () => {
    // 90, 100, 110: slope 10/week, mean 100 -> +10 %/week
    expect(slopePctPerWeek([week(0, 90), week(1, 100), week(2, 110)])).toBe(10);
    expect(slopePctPerWeek([week(0, 110), week(1, 100), week(2, 90)])).toBe(-10);
  });

  it('uses the real spacing of weeks with gaps', () => {
    // weeks 0 and 4: slope (120 - 100) / 4 = 5/week over mean 110 -> 4.55 %
    expect(slopePctPerWeek([week(0, 100), week(4, 120)])).toBe(4.55);
  });

  it('is null when every point is the same week or the mean is zero', () => {
    expect(slopePctPerWeek([week(0, 100), week(0, 120)])).toBeNull();
    expect(slopePctPerWeek([week(0, 0), week(1, 0)])).toBeNull();
  });
});
