import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fleet needs (what procurement wants to buy) and the index the purchase planner reads: active,
 * priced servers grouped by (chassis, cpu_model) in effective price order, carrying the columns
 * the per-node minimums test so candidate selection stays in the index.
 */
export class FleetNeeds1795000500000 implements MigrationInterface {
  name = 'FleetNeeds1795000500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE fleet_need (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100000),
        min_cores integer CHECK (min_cores > 0),
        min_threads integer CHECK (min_threads > 0),
        min_ram_gb integer CHECK (min_ram_gb > 0),
        min_storage_gb numeric(14, 1) CHECK (min_storage_gb > 0),
        gpu_model text,
        min_gpu_fp32_tflops numeric CHECK (min_gpu_fp32_tflops > 0),
        min_gpu_vram_gb integer CHECK (min_gpu_vram_gb > 0),
        min_gpu_count integer CHECK (min_gpu_count > 0),
        form_factor text,
        allowed_chassis text[] NOT NULL DEFAULT '{}',
        allowed_vendors text[] NOT NULL DEFAULT '{}',
        max_unit_price numeric(14, 2) CHECK (max_unit_price > 0),
        total_budget numeric(14, 2) CHECK (total_budget > 0),
        homogeneous boolean NOT NULL DEFAULT true,
        allow_upgrades boolean NOT NULL DEFAULT true,
        horizon_months integer CHECK (horizon_months BETWEEN 1 AND 240),
        energy_price_per_kwh numeric(10, 4) CHECK (energy_price_per_kwh >= 0),
        owner_key_id integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX fleet_need_owner_idx ON fleet_need (owner_key_id, id)`);
    await q.query(`
      CREATE INDEX listing_plan_candidates_idx ON listing (chassis, cpu_model, effective_price, id)
        INCLUDE (cores, threads, ram_gb, storage_gb, gpu_count, lot_quantity, quantity_available)
        WHERE status = 'active' AND kind = 'server' AND effective_price IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS listing_plan_candidates_idx`);
    await q.query(`DROP TABLE fleet_need`);
  }
}
