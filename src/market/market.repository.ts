import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SqlParams } from '../common/sql';
import type { WeeklyMedian } from './market-trend';

export interface MarketQuery {
  configuration?: string;
  partNumber?: string;
  currency: string;
  from: Date;
  to: Date;
}

export interface PriceDistribution {
  n: number;
  min: number | null;
  max: number | null;
  /** p10, p25, median, p75, p90 */
  percentiles: number[] | null;
}

/**
 * Observed prices per unit (price + shipping, divided by the lot size) of the listings with a
 * configuration key or part number, over a window; percentiles computed by PostgreSQL.
 */
@Injectable()
export class MarketRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async distribution(q: MarketQuery): Promise<{ dist: PriceDistribution; weeks: WeeklyMedian[] }> {
    const p = new SqlParams();
    const cte = this.observations(q, p);
    const [dist]: PriceDistribution[] = await this.db.query(
      `${cte}
       SELECT count(*)::int AS n, min(unit) AS min, max(unit) AS max,
              percentile_cont(ARRAY[0.1, 0.25, 0.5, 0.75, 0.9]::float8[])
                WITHIN GROUP (ORDER BY unit) AS percentiles
       FROM obs`,
      p.values,
    );
    const weeks: Array<{ week_start: Date; median: number; n: number }> = await this.db.query(
      `${cte}
       SELECT date_trunc('week', observed_at) AS week_start,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY unit) AS median, count(*)::int AS n
       FROM obs GROUP BY 1 ORDER BY 1`,
      p.values,
    );
    return {
      dist: dist ?? { n: 0, min: null, max: null, percentiles: null },
      weeks: weeks.map((w) => ({ weekStart: w.week_start, median: w.median, n: w.n })),
    };
  }

  private observations(q: MarketQuery, p: SqlParams): string {
    const w = [
      `o.price IS NOT NULL`,
      `o.observed_at >= ${p.param(q.from.toISOString())}`,
      `o.observed_at <= ${p.param(q.to.toISOString())}`,
      `o.currency = ${p.param(q.currency)}`,
    ];
    if (q.configuration) w.push(`l.config_key = ${p.param(q.configuration)}`);
    if (q.partNumber) {
      const pn = q.partNumber;
      w.push(`l.part_numbers && ${p.param([...new Set([pn, pn.toUpperCase()])])}::text[]`);
    }
    return `WITH obs AS (
      SELECT o.observed_at,
             (o.price + coalesce(o.shipping, 0)) / greatest(l.lot_quantity, 1) AS unit
      FROM price_observation o JOIN listing l ON l.id = o.listing_id
      WHERE ${w.join(' AND ')})`;
  }
}
