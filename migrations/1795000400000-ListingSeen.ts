import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Per-query membership: which listings each query of a source returned, and in which run last.
 * A complete, successful run ends the listings of its query whose last run is older.
 */
export class ListingSeen1795000400000 implements MigrationInterface {
  name = 'ListingSeen1795000400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE listing_seen (
        source_id integer NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        query text NOT NULL,
        listing_id bigint NOT NULL REFERENCES listing(id) ON DELETE CASCADE,
        last_run_id bigint NOT NULL,
        last_seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_id, query, listing_id)
      )`);
    await q.query(
      `CREATE INDEX listing_seen_query_run_idx ON listing_seen (source_id, query, last_run_id)`,
    );
    await q.query(`CREATE INDEX listing_seen_listing_idx ON listing_seen (listing_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE listing_seen`);
  }
}
