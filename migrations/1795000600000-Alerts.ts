import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert rules, their recipients, the events they raise and the email outbox.
 *
 * alert_rule keeps the validated definition in `params` (jsonb) and denormalizes the columns the
 * set-based evaluation joins and compares on (listing_id, part_number, config_key, match_key...).
 * alert_event is unique on (rule, listing, trigger level): re-running an evaluation inserts
 * nothing new. email_outbox is unique on dedupe_key: an email is created once and sent once.
 */
export class Alerts1795000600000 implements MigrationInterface {
  name = 'Alerts1795000600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_rule (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        owner_key_id integer NOT NULL,
        name text NOT NULL,
        type text NOT NULL
          CHECK (type IN ('listing_watch', 'saved_search', 'market_low', 'fleet_need', 'back_in_stock')),
        params jsonb NOT NULL DEFAULT '{}'::jsonb,
        listing_id bigint REFERENCES listing(id) ON DELETE CASCADE,
        part_number text,
        config_key text,
        match_key text,
        filter jsonb,
        target_price numeric,
        drop_pct numeric,
        drop_amount numeric,
        drop_basis text NOT NULL DEFAULT 'watch_start' CHECK (drop_basis IN ('watch_start', 'last_alert')),
        baseline_price numeric,
        metric text,
        metric_op text CHECK (metric_op IS NULL OR metric_op IN ('gte', 'lte')),
        metric_value numeric,
        low_mode text CHECK (low_mode IS NULL OR low_mode IN ('window', 'all_time', 'within_pct')),
        low_days integer,
        low_within_pct numeric,
        min_observations integer NOT NULL DEFAULT 5,
        fleet_need_id bigint,
        cooldown_hours numeric NOT NULL DEFAULT 24 CHECK (cooldown_hours >= 0),
        rearm text NOT NULL DEFAULT 'after_hours' CHECK (rearm IN ('after_hours', 'further_drop')),
        delivery text NOT NULL DEFAULT 'immediate' CHECK (delivery IN ('immediate', 'hourly', 'daily')),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alert_rule_owner_idx ON alert_rule (owner_key_id, id)`);
    await q.query(
      `CREATE INDEX alert_rule_listing_idx ON alert_rule (listing_id) WHERE enabled AND listing_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX alert_rule_part_idx ON alert_rule (part_number) WHERE enabled AND part_number IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX alert_rule_config_idx ON alert_rule (config_key) WHERE enabled AND config_key IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX alert_rule_match_idx ON alert_rule (match_key) WHERE enabled AND type = 'saved_search'`,
    );

    await q.query(`
      CREATE TABLE alert_recipient (
        rule_id bigint NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,
        email text NOT NULL,
        unsubscribed_at timestamptz,
        PRIMARY KEY (rule_id, email)
      )`);

    await q.query(`
      CREATE TABLE alert_event (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rule_id bigint NOT NULL REFERENCES alert_rule(id) ON DELETE CASCADE,
        listing_id bigint NOT NULL REFERENCES listing(id) ON DELETE CASCADE,
        trigger_level text NOT NULL,
        kind text NOT NULL,
        price numeric,
        previous_price numeric,
        reference_price numeric,
        currency char(3),
        details jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'pending'
          CHECK (status IN ('pending', 'queued', 'sent', 'failed', 'skipped')),
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        CONSTRAINT alert_event_uq UNIQUE (rule_id, listing_id, trigger_level)
      )`);
    await q.query(
      `CREATE INDEX alert_event_rule_listing_idx ON alert_event (rule_id, listing_id, id DESC)`,
    );
    await q.query(
      `CREATE INDEX alert_event_pending_idx ON alert_event (rule_id) WHERE status = 'pending'`,
    );

    await q.query(`
      CREATE TABLE email_outbox (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        dedupe_key text NOT NULL UNIQUE,
        recipient text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('alert', 'digest', 'low_stock')),
        event_ids bigint[] NOT NULL DEFAULT '{}',
        payload jsonb NOT NULL DEFAULT '{}'::jsonb,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        message_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz
      )`);
    await q.query(
      `CREATE INDEX email_outbox_pending_idx ON email_outbox (id) WHERE status = 'pending'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE email_outbox`);
    await q.query(`DROP TABLE alert_event`);
    await q.query(`DROP TABLE alert_recipient`);
    await q.query(`DROP TABLE alert_rule`);
  }
}
