import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Ratio, score and estimate metrics become double precision; amounts of money (effective_price,
 * annual_energy_cost, tco) stay numeric.
 *
 * The metrics are ranking keys: nine of the listing order indexes sort on them, and every new
 * listing inserts into each. numeric comparison is a function call over a variable-length value;
 * float8 compares inline. On the ingest benchmark's first pass (100,000 new listings) PostgreSQL
 * CPU per listing fell about 12% with it. A double also round-trips exactly through JavaScript and
 * a keyset cursor, so the values no longer need rounding to 10 digits before they are stored.
 *
 * One ALTER TABLE: the table is rewritten once and its indexes rebuilt (an ACCESS EXCLUSIVE lock
 * for the duration; on a large table run it in a quiet window).
 */
const FLOAT8_METRICS = [
  'cpu_score',
  'cpu_score_per_dollar',
  'dollars_per_core',
  'dollars_per_thread',
  'dollars_per_gb_ram',
  'dollars_per_tb',
  'gpu_fp32_tflops',
  'gpu_fp16_tflops',
  'tflops_per_dollar',
  'dollars_per_gb_vram',
  'estimated_watts',
  'break_even_months',
  'discount_to_market',
] as const;

export class RatioMetricsFloat81795000800000 implements MigrationInterface {
  name = 'RatioMetricsFloat81795000800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE listing ${FLOAT8_METRICS.map((c) => `ALTER COLUMN ${c} TYPE double precision`).join(', ')}`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE listing ${FLOAT8_METRICS.map((c) => `ALTER COLUMN ${c} TYPE numeric`).join(', ')}`,
    );
  }
}
