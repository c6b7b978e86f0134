import { MigrationInterface, QueryRunner } from 'typeorm';

const METRICS = [
  'effective_price',
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
  'annual_energy_cost',
  'tco',
  'break_even_months',
  'discount_to_market',
];

/**
 * Metrics procurement sorts by. Each gets a partial index over active listings that have the
 * metric: an ordering by a metric ranks the listings that have it (the query adds
 * `metric IS NOT NULL`), and rows without it cost no index maintenance on ingest.
 */
export const SORTABLE_METRICS = [
  'effective_price',
  'cpu_score_per_dollar',
  'dollars_per_core',
  'dollars_per_thread',
  'dollars_per_gb_ram',
  'dollars_per_tb',
  'tflops_per_dollar',
  'dollars_per_gb_vram',
  'tco',
  'break_even_months',
  'discount_to_market',
];

/**
 * Normalized specs and valuation metrics, denormalized onto listing so queries filter and sort
 * on indexed columns. The full explanation (spans, reasons, inputs) is kept in jsonb.
 */
export class ListingSpecs1795000100000 implements MigrationInterface {
  name = 'ListingSpecs1795000100000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE listing
        ADD COLUMN kind text,
        ADD COLUMN vendor text,
        ADD COLUMN chassis text,
        ADD COLUMN form_factor text,
        ADD COLUMN cpu_model text,
        ADD COLUMN cpu_family text,
        ADD COLUMN cpu_count integer,
        ADD COLUMN cores integer,
        ADD COLUMN threads integer,
        ADD COLUMN ram_gb integer,
        ADD COLUMN storage_gb numeric(14, 1),
        ADD COLUMN drive_count integer,
        ADD COLUMN drive_capacity_gb numeric(14, 1),
        ADD COLUMN gpu_model text,
        ADD COLUMN gpu_count integer,
        ADD COLUMN gpu_memory_gb integer,
        ADD COLUMN lot_quantity integer NOT NULL DEFAULT 1,
        ADD COLUMN part_numbers text[] NOT NULL DEFAULT '{}',
        ADD COLUMN config_key text,
        ADD COLUMN hints text[] NOT NULL DEFAULT '{}',
        ADD COLUMN specs jsonb,
        ADD COLUMN spec_confidence real,
        ${METRICS.map((m) => `ADD COLUMN ${m} numeric`).join(',\n        ')},
        ADD COLUMN metric_reasons jsonb NOT NULL DEFAULT '{}'::jsonb,
        ADD COLUMN valuation jsonb,
        ADD COLUMN valued_at timestamptz,
        ADD COLUMN valuation_version integer NOT NULL DEFAULT 0`);
    for (const c of ['kind', 'chassis', 'cpu_model', 'gpu_model', 'config_key']) {
      await q.query(`CREATE INDEX listing_${c}_idx ON listing (${c}) WHERE status = 'active'`);
    }
    await q.query(`CREATE INDEX listing_part_numbers_idx ON listing USING gin (part_numbers)`);
    for (const m of SORTABLE_METRICS) {
      await q.query(
        `CREATE INDEX listing_${m}_idx ON listing (${m}, id) WHERE status = 'active' AND ${m} IS NOT NULL`,
      );
    }
    await q.query(`CREATE INDEX listing_valuation_version_idx ON listing (valuation_version, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const m of SORTABLE_METRICS) await q.query(`DROP INDEX IF EXISTS listing_${m}_idx`);
    await q.query(`
      ALTER TABLE listing
        DROP COLUMN kind, DROP COLUMN vendor, DROP COLUMN chassis, DROP COLUMN form_factor,
        DROP COLUMN cpu_model, DROP COLUMN cpu_family, DROP COLUMN cpu_count, DROP COLUMN cores,
        DROP COLUMN threads, DROP COLUMN ram_gb, DROP COLUMN storage_gb, DROP COLUMN drive_count,
        DROP COLUMN drive_capacity_gb, DROP COLUMN gpu_model, DROP COLUMN gpu_count,
        DROP COLUMN gpu_memory_gb, DROP COLUMN lot_quantity, DROP COLUMN part_numbers,
        DROP COLUMN config_key, DROP COLUMN hints, DROP COLUMN specs, DROP COLUMN spec_confidence,
        ${METRICS.map((m) => `DROP COLUMN ${m}`).join(', ')},
        DROP COLUMN metric_reasons, DROP COLUMN valuation, DROP COLUMN valued_at,
        DROP COLUMN valuation_version`);
  }
}
