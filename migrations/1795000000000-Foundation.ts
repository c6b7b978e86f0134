import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Sources, scrape runs, listings and their append-only price history.
 * listing carries the current state; price_observation is the history (never updated).
 */
export class Foundation1795000000000 implements MigrationInterface {
  name = 'Foundation1795000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE source (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL UNIQUE,
        kind text NOT NULL CHECK (kind IN ('ebay-search', 'ebay-item', 'shopify', 'css', 'manual')),
        base_url text,
        queries jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(queries) = 'array'),
        schedule_cron text,
        schedule_every_ms integer CHECK (schedule_every_ms IS NULL OR schedule_every_ms >= 1000),
        rate_limit_per_minute integer NOT NULL DEFAULT 30 CHECK (rate_limit_per_minute > 0),
        max_concurrency integer NOT NULL DEFAULT 1 CHECK (max_concurrency > 0),
        page_limit integer NOT NULL DEFAULT 5 CHECK (page_limit > 0),
        config jsonb NOT NULL DEFAULT '{}'::jsonb,
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE scrape_run (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source_id integer NOT NULL REFERENCES source(id) ON DELETE CASCADE,
        query text,
        job_id text,
        status text NOT NULL DEFAULT 'running'
          CHECK (status IN ('running', 'succeeded', 'partial', 'failed', 'blocked')),
        complete boolean NOT NULL DEFAULT false,
        pages integer NOT NULL DEFAULT 0,
        listings_seen integer NOT NULL DEFAULT 0,
        listings_new integer NOT NULL DEFAULT 0,
        listings_changed integer NOT NULL DEFAULT 0,
        listings_ended integer NOT NULL DEFAULT 0,
        error_count integer NOT NULL DEFAULT 0,
        errors jsonb NOT NULL DEFAULT '[]'::jsonb,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        duration_ms integer
      )`);
    await q.query(
      `CREATE INDEX scrape_run_source_started_idx ON scrape_run (source_id, started_at DESC)`,
    );
    await q.query(
      `CREATE INDEX scrape_run_running_idx ON scrape_run (status) WHERE status = 'running'`,
    );

    await q.query(`
      CREATE TABLE listing (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        source_id integer NOT NULL REFERENCES source(id),
        external_id text NOT NULL,
        url text,
        title text NOT NULL,
        condition text,
        buying_format text,
        best_offer boolean NOT NULL DEFAULT false,
        bids integer,
        ends_at timestamptz,
        seller text,
        location text,
        currency char(3),
        price numeric(14, 2) CHECK (price IS NULL OR price >= 0),
        price_max numeric(14, 2),
        shipping numeric(14, 2),
        quantity_available integer,
        status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'ended', 'sold')),
        attributes jsonb NOT NULL DEFAULT '{}'::jsonb,
        description text,
        image_url text,
        first_seen_at timestamptz NOT NULL,
        last_seen_at timestamptz NOT NULL,
        last_changed_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        last_run_id bigint,
        CONSTRAINT listing_source_external_uq UNIQUE (source_id, external_id)
      )`);
    // Listing queries: newest first, active by source, price ranges.
    await q.query(`CREATE INDEX listing_first_seen_idx ON listing (first_seen_at DESC, id DESC)`);
    await q.query(`CREATE INDEX listing_source_status_idx ON listing (source_id, status)`);
    await q.query(`CREATE INDEX listing_price_idx ON listing (price, id) WHERE status = 'active'`);
    await q.query(`CREATE INDEX listing_last_run_idx ON listing (source_id, last_run_id)`);

    await q.query(`
      CREATE TABLE price_observation (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        listing_id bigint NOT NULL REFERENCES listing(id),
        observed_at timestamptz NOT NULL,
        currency char(3),
        price numeric(14, 2),
        price_max numeric(14, 2),
        shipping numeric(14, 2),
        status text NOT NULL,
        quantity_available integer,
        run_id bigint
      )`);
    await q.query(
      `CREATE INDEX price_observation_listing_idx ON price_observation (listing_id, observed_at DESC, id DESC)`,
    );
    // Append-only, enforced by the database rather than by convention.
    await q.query(`
      CREATE FUNCTION price_observation_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'price_observation is append-only (% refused)', TG_OP
          USING ERRCODE = 'restrict_violation';
      END $$`);
    await q.query(`
      CREATE TRIGGER price_observation_append_only
        BEFORE UPDATE OR DELETE ON price_observation
        FOR EACH ROW EXECUTE FUNCTION price_observation_append_only()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE price_observation`);
    await q.query(`DROP FUNCTION price_observation_append_only()`);
    await q.query(`DROP TABLE listing`);
    await q.query(`DROP TABLE scrape_run`);
    await q.query(`DROP TABLE source`);
  }
}
