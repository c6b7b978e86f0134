/** Trend of a price series: least-squares slope of weekly medians, as % of their mean per week. */
export interface WeeklyMedian {
  weekStart: Date;
  median: number;
  n: number;
}

export function slopePctPerWeek(weeks: readonly WeeklyMedian[]): number | null {
  if (weeks.length < 2) return null;
  const t0 = weeks[0]!.weekStart.getTime();
  const xs = weeks.map((w) => (w.weekStart.getTime() - t0) / (7 * 24 * 3600 * 1000));
  const ys = weeks.map((w) => w.median);
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    sxx += (xs[i]! - mx) ** 2;
  }
  if (sxx === 0 || my === 0) return null;
  return Math.round((sxy / sxx / my) * 100 * 100) / 100;
}
