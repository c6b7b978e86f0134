import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Drops alert_event_rule_listing_idx (rule_id, listing_id, id DESC): every lookup it served is
 * served as well by alert_event_listing_rule_idx (listing_id, rule_id, id DESC) for a pair, and
 * by the alert_event_uq (rule_id, listing_id, trigger_level) prefix for a rule (the cascade from
 * alert_rule). One index less to maintain on each of the thousands of events an ingest writes.
 */
export class AlertEventIndexTrim1795000620000 implements MigrationInterface {
  name = 'AlertEventIndexTrim1795000620000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS alert_event_rule_listing_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX IF NOT EXISTS alert_event_rule_listing_idx ON alert_event (rule_id, listing_id, id DESC)`,
    );
  }
}
