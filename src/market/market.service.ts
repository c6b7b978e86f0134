import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { badInput } from '../common/errors';
import { slopePctPerWeek, type WeeklyMedian } from './market-trend';
import { MarketRepository } from './market.repository';

export const MAX_WINDOW_DAYS = 730;

export interface MarketStatsRequest {
  configuration?: string | null;
  partNumber?: string | null;
  windowDays: number;
  currency?: string | null;
  asOf?: Date | null;
}

export interface MarketStats {
  configuration: string | null;
  partNumber: string | null;
  currency: string;
  windowDays: number;
  from: Date;
  to: Date;
  n: number;
  min: number | null;
  max: number | null;
  p10: number | null;
  p25: number | null;
  median: number | null;
  p75: number | null;
  p90: number | null;
  weekly: WeeklyMedian[];
  trendPctPerWeek: number | null;
}

@Injectable()
export class MarketService {
  constructor(
    private readonly repo: MarketRepository,
    private readonly config: AppConfig,
  ) {}

  async stats(req: MarketStatsRequest): Promise<MarketStats> {
    const configuration = req.configuration?.trim() || null;
    const partNumber = req.partNumber?.trim() || null;
    if (!configuration === !partNumber) {
      throw badInput('give exactly one of configuration or partNumber');
    }
    if (
      !Number.isInteger(req.windowDays) ||
      req.windowDays < 1 ||
      req.windowDays > MAX_WINDOW_DAYS
    ) {
      throw badInput(`windowDays must be between 1 and ${MAX_WINDOW_DAYS}`, {
        max: MAX_WINDOW_DAYS,
      });
    }
    const currency = (req.currency ?? this.config.env.BASE_CURRENCY).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency)) throw badInput(`currency: '${currency}' is not ISO 4217`);
    const to = req.asOf ?? new Date();
    if (Number.isNaN(to.getTime())) throw badInput('asOf: not a date');
    const from = new Date(to.getTime() - req.windowDays * 24 * 3600 * 1000);
    const { dist, weeks } = await this.repo.distribution({
      configuration: configuration ?? undefined,
      partNumber: partNumber ?? undefined,
      currency,
      from,
      to,
    });
    const pct = (i: number) => dist.percentiles?.[i] ?? null;
    const r = (v: number | null) => (v === null ? null : Math.round(v * 100) / 100);
    return {
      configuration,
      partNumber,
      currency,
      windowDays: req.windowDays,
      from,
      to,
      n: dist.n,
      min: r(dist.min),
      max: r(dist.max),
      p10: r(pct(0)),
      p25: r(pct(1)),
      median: r(pct(2)),
      p75: r(pct(3)),
      p90: r(pct(4)),
      weekly: weeks.map((w) => ({ ...w, median: Math.round(w.median * 100) / 100 })),
      trendPctPerWeek: slopePctPerWeek(weeks),
    };
  }
}
