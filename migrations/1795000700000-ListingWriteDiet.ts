import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Cheaper listing writes. Every index on `listing` is paid on each insert and on each update that
 * is not HOT (heap-only tuple), and a re-observation (the most common write: a scrape sees the
 * same listing again) rewrites the row to move last_seen_at and last_run_id.
 *
 * - Drops indexes no query uses: equality filters compare lower(column), so the plain
 *   kind/chassis/cpu_model/gpu_model indexes were never chosen; ending runs through listing_seen,
 *   not (source_id, last_run_id); (source_id, status) is covered by the unique key's prefix; the
 *   stale-valuation scan (valuation_version <> $1) cannot use a btree and runs only on a version
 *   bump; two of the three config_key indexes duplicate listing_config_key_all_idx.
 * - Takes last_seen_at out of every index (the parts-medians index keeps only kind) and leaves
 *   a fifth of each new page free, so a re-observation that changes no indexed column is a HOT
 *   update: no index entry is written.
 * - Adds pricing_hash: a digest of what the stored specs and metrics were computed from (title,
 *   attributes, description, price fields, valuation version, observation day). A re-observation
 *   with the same digest keeps the stored valuation instead of normalizing and pricing again.
 */
const DROPPED: Array<[name: string, definition: string]> = [
  ['listing_kind_idx', `ON listing (kind) WHERE status = 'active'`],
  ['listing_chassis_idx', `ON listing (chassis) WHERE status = 'active'`],
  ['listing_cpu_model_idx', `ON listing (cpu_model) WHERE status = 'active'`],
  ['listing_gpu_model_idx', `ON listing (gpu_model) WHERE status = 'active'`],
  ['listing_config_key_idx', `ON listing (config_key) WHERE status = 'active'`],
  ['listing_last_run_idx', `ON listing (source_id, last_run_id)`],
  ['listing_source_status_idx', `ON listing (source_id, status)`],
  ['listing_valuation_version_idx', `ON listing (valuation_version, id)`],
  [
    'listing_config_key_seen_idx',
    `ON listing (config_key, last_seen_at) WHERE config_key IS NOT NULL`,
  ],
  [
    'listing_kind_seen_idx',
    `ON listing (kind, last_seen_at) WHERE kind IN ('ram', 'drive', 'cpu')`,
  ],
];

export class ListingWriteDiet1795000700000 implements MigrationInterface {
  name = 'ListingWriteDiet1795000700000';

  async up(q: QueryRunner): Promise<void> {
    for (const [name] of DROPPED) await q.query(`DROP INDEX IF EXISTS ${name}`);
    await q.query(
      `CREATE INDEX listing_parts_kind_idx ON listing (kind) WHERE kind IN ('ram', 'drive', 'cpu')`,
    );
    await q.query(`ALTER TABLE listing ADD COLUMN pricing_hash text`);
    // Set before the type change below, whose table rewrite then leaves the free space.
    await q.query(`ALTER TABLE listing SET (fillfactor = 80)`);
    await q.query(
      `ALTER TABLE listing ALTER COLUMN specs TYPE json USING specs::json,
         ALTER COLUMN valuation TYPE json USING valuation::json`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE listing RESET (fillfactor)`);
    await q.query(`ALTER TABLE listing DROP COLUMN IF EXISTS pricing_hash`);
    await q.query(
      `ALTER TABLE listing ALTER COLUMN specs TYPE jsonb USING specs::jsonb,
         ALTER COLUMN valuation TYPE jsonb USING valuation::jsonb`,
    );
    await q.query(`DROP INDEX IF EXISTS listing_parts_kind_idx`);
    for (const [name, definition] of DROPPED) {
      await q.query(`CREATE INDEX IF NOT EXISTS ${name} ${definition}`);
    }
  }
}
