import { Canvas } from './png';

export interface PricePoint {
  at: Date;
  price: number;
}

/**
 * A small step-line chart of a price history as PNG (time on x, price on y, a dashed reference
 * line for the market baseline or target when given). Labels are in the email text, not drawn.
 */
export function priceChartPng(
  points: PricePoint[],
  opts: { width?: number; height?: number; reference?: number | null } = {},
): Buffer {
  const width = opts.width ?? 480;
  const height = opts.height ?? 160;
  const c = new Canvas(width, height);
  const pad = 12;
  const grid: [number, number, number] = [228, 231, 236];
  for (let i = 0; i <= 4; i++) {
    const y = pad + ((height - 2 * pad) * i) / 4;
    c.line(pad, y, width - pad, y, grid);
  }
  const sorted = [...points]
    .filter((p) => Number.isFinite(p.price) && !Number.isNaN(p.at.getTime()))
    .sort((a, b) => a.at.getTime() - b.at.getTime());
  if (!sorted.length) return c.toPng();
  const prices = sorted.map((p) => p.price);
  if (opts.reference != null && Number.isFinite(opts.reference)) prices.push(opts.reference);
  let lo = Math.min(...prices);
  let hi = Math.max(...prices);
  if (hi - lo < 1e-9) {
    lo -= 1;
    hi += 1;
  }
  const t0 = sorted[0]!.at.getTime();
  const t1 = Math.max(sorted.at(-1)!.at.getTime(), t0 + 1);
  const x = (t: number) => pad + ((width - 2 * pad) * (t - t0)) / (t1 - t0);
  const y = (p: number) => height - pad - ((height - 2 * pad) * (p - lo)) / (hi - lo);
  if (opts.reference != null && Number.isFinite(opts.reference)) {
    const ry = y(opts.reference);
    for (let px = pad; px < width - pad; px += 8) c.line(px, ry, px + 4, ry, [230, 140, 40]);
  }
  const blue: [number, number, number] = [37, 99, 235];
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!;
    const b = sorted[i]!;
    c.line(x(a.at.getTime()), y(a.price), x(b.at.getTime()), y(a.price), blue, 2);
    c.line(x(b.at.getTime()), y(a.price), x(b.at.getTime()), y(b.price), blue, 2);
  }
  const last = sorted.at(-1)!;
  c.line(x(last.at.getTime()), y(last.price), width - pad, y(last.price), blue, 2);
  c.rect(Math.round(x(last.at.getTime())) - 3, Math.round(y(last.price)) - 3, 7, 7, [220, 38, 38]);
  return c.toPng();
}
