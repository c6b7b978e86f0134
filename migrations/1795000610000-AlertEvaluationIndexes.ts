import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes the set-based alert evaluation probes: market-low history by configuration key (the
 * existing listing_config_key_seen_idx only covers valued listings), and the last event of each
 * (rule, listing) pair looked up from the changed listings' side.
 */
export class AlertEvaluationIndexes1795000610000 implements MigrationInterface {
  name = 'AlertEvaluationIndexes1795000610000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE INDEX listing_config_key_all_idx ON listing (config_key) WHERE config_key IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX alert_event_listing_rule_idx ON alert_event (listing_id, rule_id, id DESC)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX IF EXISTS alert_event_listing_rule_idx`);
    await q.query(`DROP INDEX IF EXISTS listing_config_key_all_idx`);
  }
}
