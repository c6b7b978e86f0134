import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { rowsOf } from '../common/sql';
import { CLAIM_DIGEST_SQL, EVALUATION } from './evaluation.sql';

/** An alert_rule row as stored (numeric columns come back as numbers). */
export interface AlertRuleRow {
  id: number;
  owner_key_id: number;
  name: string;
  type: string;
  params: Record<string, unknown>;
  listing_id: number | null;
  part_number: string | null;
  config_key: string | null;
  baseline_price: number | null;
  cooldown_hours: number;
  rearm: string;
  delivery: string;
  enabled: boolean;
  created_at: Date;
  updated_at: Date;
  recipients: Array<{ email: string; unsubscribed: boolean }>;
}

/** The denormalized columns the evaluation joins and compares on. */
export interface RuleColumns {
  owner_key_id: number;
  name: string;
  type: string;
  params: unknown;
  listing_id: number | null;
  part_number: string | null;
  config_key: string | null;
  match_key: string | null;
  filter: unknown;
  target_price: number | null;
  drop_pct: number | null;
  drop_amount: number | null;
  drop_basis: string;
  baseline_price: number | null;
  metric: string | null;
  metric_op: string | null;
  metric_value: number | null;
  low_mode: string | null;
  low_days: number | null;
  low_within_pct: number | null;
  min_observations: number;
  fleet_need_id: number | null;
  cooldown_hours: number;
  rearm: string;
  delivery: string;
  enabled: boolean;
}

export interface AlertEventRow {
  id: number;
  rule_id: number;
  listing_id: number;
  trigger_level: string;
  kind: string;
  price: number | null;
  previous_price: number | null;
  reference_price: number | null;
  currency: string | null;
  status: string;
  created_at: Date;
  sent_at: Date | null;
}

export interface OutboxRow {
  id: number;
  dedupe_key: string;
  recipient: string;
  kind: 'alert' | 'digest' | 'low_stock';
  event_ids: number[];
  payload: Record<string, unknown>;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  message_id: string | null;
}

export interface EvaluationResult {
  events: number;
  digestEvents: number;
  outboxIds: number[];
}

const RULE_SELECT = `
  SELECT r.*, COALESCE((
    SELECT json_agg(json_build_object('email', rc.email, 'unsubscribed', rc.unsubscribed_at IS NOT NULL)
                    ORDER BY rc.email)
    FROM alert_recipient rc WHERE rc.rule_id = r.id), '[]') AS recipients
  FROM alert_rule r`;

@Injectable()
export class AlertsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /** The listing's current alert price (effective price, else price + shipping), or null. */
  async listingAlertPrice(listingId: number): Promise<{ exists: boolean; price: number | null }> {
    const rows: Array<{ price: number | null }> = await this.db.query(
      `SELECT COALESCE(effective_price, price + COALESCE(shipping, 0)) AS price FROM listing WHERE id = $1`,
      [listingId],
    );
    return { exists: rows.length > 0, price: rows[0]?.price ?? null };
  }

  async insertRule(cols: RuleColumns, recipients: string[]): Promise<number> {
    return this.db.transaction(async (m) => {
      const keys = Object.keys(cols) as Array<keyof RuleColumns>;
      const values = keys.map((k) =>
        k === 'params' || k === 'filter'
          ? cols[k] === null
            ? null
            : JSON.stringify(cols[k])
          : cols[k],
      );
      const [row] = rowsOf<{ id: number }>(
        await m.query(
          `INSERT INTO alert_rule (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})
         RETURNING id`,
          values,
        ),
      );
      await this.replaceRecipients(m, row!.id, recipients);
      return row!.id;
    });
  }

  async updateRule(
    id: number,
    cols: Omit<RuleColumns, 'owner_key_id'>,
    recipients: string[],
  ): Promise<void> {
    await this.db.transaction(async (m) => {
      const keys = Object.keys(cols) as Array<keyof typeof cols>;
      const values = keys.map((k) =>
        k === 'params' || k === 'filter'
          ? cols[k] === null
            ? null
            : JSON.stringify(cols[k])
          : cols[k],
      );
      await m.query(
        `UPDATE alert_rule SET ${keys.map((k, i) => `${k} = $${i + 2}`).join(', ')}, updated_at = now()
         WHERE id = $1`,
        [id, ...values],
      );
      await this.replaceRecipients(m, id, recipients);
    });
  }

  /** Keeps the unsubscribe state of recipients that stay. */
  private async replaceRecipients(
    m: EntityManager,
    ruleId: number,
    emails: string[],
  ): Promise<void> {
    const lower = [...new Set(emails.map((e) => e.toLowerCase()))];
    await m.query(
      `DELETE FROM alert_recipient WHERE rule_id = $1 AND NOT (email = ANY($2::text[]))`,
      [ruleId, lower],
    );
    await m.query(
      `INSERT INTO alert_recipient (rule_id, email) SELECT $1, unnest($2::text[])
       ON CONFLICT (rule_id, email) DO NOTHING`,
      [ruleId, lower],
    );
  }

  async findRule(id: number): Promise<AlertRuleRow | null> {
    const rows: AlertRuleRow[] = await this.db.query(`${RULE_SELECT} WHERE r.id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Rules of one owner (null: every rule), newest first. */
  async listRules(ownerKeyId: number | null): Promise<AlertRuleRow[]> {
    return this.db.query(
      `${RULE_SELECT} WHERE ($1::int IS NULL OR r.owner_key_id = $1) ORDER BY r.id DESC LIMIT 1000`,
      [ownerKeyId],
    );
  }

  async setEnabled(id: number, enabled: boolean): Promise<void> {
    await this.db.query(`UPDATE alert_rule SET enabled = $2, updated_at = now() WHERE id = $1`, [
      id,
      enabled,
    ]);
  }

  async deleteRule(id: number): Promise<boolean> {
    const rows = rowsOf<{ id: number }>(
      await this.db.query(`DELETE FROM alert_rule WHERE id = $1 RETURNING id`, [id]),
    );
    return rows.length > 0;
  }

  async events(
    ruleIds: number[] | null,
    ownerKeyId: number | null,
    status: string | null,
    first: number,
  ): Promise<AlertEventRow[]> {
    return this.db.query(
      `SELECT e.* FROM alert_event e JOIN alert_rule r ON r.id = e.rule_id
       WHERE ($1::bigint[] IS NULL OR e.rule_id = ANY($1)) AND ($2::int IS NULL OR r.owner_key_id = $2)
         AND ($3::text IS NULL OR e.status = $3)
       ORDER BY e.id DESC LIMIT $4`,
      [ruleIds, ownerKeyId, status, first],
    );
  }

  /** Market-low history available to a rule: observations and the span they cover. */
  async marketHistory(
    configKey: string | null,
    partNumber: string | null,
    days: number | null,
  ): Promise<{ n: number; low: number | null; since: Date | null }> {
    const [row] = rowsOf<{ n: number; low: number | null; since: Date | null }>(
      await this.db.query(
        `SELECT count(*)::int AS n, min(po.price + COALESCE(po.shipping, 0)) AS low, min(po.observed_at) AS since
       FROM price_observation po JOIN listing l ON l.id = po.listing_id
       WHERE po.price IS NOT NULL AND po.status = 'active'
         AND (($1::text IS NOT NULL AND l.config_key = $1) OR ($2::text IS NOT NULL AND l.part_numbers @> ARRAY[$2]))
         AND ($3::int IS NULL OR po.observed_at >= now() - make_interval(days => $3))`,
        [configKey, partNumber, days],
      ),
    );
    return row ?? { n: 0, low: null, since: null };
  }

  /**
   * The set-based evaluation over the listings that changed (see evaluation.sql.ts): four round
   * trips in one transaction, so the events and their emails commit together or not at all.
   */
  async evaluate(listingIds: number[]): Promise<EvaluationResult> {
    if (!listingIds.length) return { events: 0, digestEvents: 0, outboxIds: [] };
    return this.db.transaction(async (m) => {
      await m.query(EVALUATION.settings);
      await m.query(EVALUATION.changed, [listingIds]);
      await m.query(EVALUATION.steps);
      const [row] = rowsOf<{ events: number; digest_events: number; outbox_ids: number[] }>(
        await m.query(EVALUATION.insert),
      );
      return {
        events: row?.events ?? 0,
        digestEvents: row?.digest_events ?? 0,
        outboxIds: row?.outbox_ids ?? [],
      };
    });
  }

  async claimDigest(mode: 'hourly' | 'daily'): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db.query(CLAIM_DIGEST_SQL, [mode]);
    return rows.map((r) => r.id);
  }

  /** Outbox rows still unsent (their job may be lost or exhausted): re-enqueued by the sweeper. */
  async pendingOutbox(olderThanSeconds: number, limit = 5000): Promise<number[]> {
    const rows: Array<{ id: number }> = await this.db.query(
      `SELECT id FROM email_outbox WHERE status = 'pending'
         AND created_at <= now() - make_interval(secs => $1) ORDER BY id LIMIT $2`,
      [olderThanSeconds, limit],
    );
    return rows.map((r) => r.id);
  }

  async outbox(id: number): Promise<OutboxRow | null> {
    const rows: OutboxRow[] = await this.db.query(`SELECT * FROM email_outbox WHERE id = $1`, [id]);
    return rows[0] ?? null;
  }

  /** Records success; returns false when another delivery already did (nothing changes then). */
  async markSent(id: number, messageId: string): Promise<boolean> {
    return this.db.transaction(async (m) => {
      const rows = rowsOf<{ event_ids: number[] }>(
        await m.query(
          `UPDATE email_outbox SET status = 'sent', sent_at = now(), message_id = $2, attempts = attempts + 1,
             last_error = NULL
           WHERE id = $1 AND status <> 'sent' RETURNING event_ids`,
          [id, messageId],
        ),
      );
      const row = rows[0];
      if (!row) return false;
      await m.query(
        `UPDATE alert_event SET status = 'sent', sent_at = COALESCE(sent_at, now())
         WHERE id = ANY($1::bigint[])`,
        [row.event_ids],
      );
      return true;
    });
  }

  async markAttemptFailed(id: number, error: string, final: boolean): Promise<void> {
    await this.db.query(
      `UPDATE email_outbox SET attempts = attempts + 1, last_error = $2,
         status = CASE WHEN $3 THEN 'failed' ELSE status END
       WHERE id = $1 AND status = 'pending'`,
      [id, error.slice(0, 500), final],
    );
    if (final) {
      await this.db.query(
        `UPDATE alert_event SET status = 'failed'
         WHERE id = ANY((SELECT event_ids FROM email_outbox WHERE id = $1)::bigint[]) AND status = 'queued'`,
        [id],
      );
    }
  }

  /** Which of these rules the recipient is still subscribed to. */
  async subscribedRules(recipient: string, ruleIds: number[]): Promise<Set<number>> {
    const rows: Array<{ rule_id: number }> = await this.db.query(
      `SELECT rc.rule_id FROM alert_recipient rc JOIN alert_rule r ON r.id = rc.rule_id
       WHERE rc.email = $1 AND rc.rule_id = ANY($2::bigint[]) AND rc.unsubscribed_at IS NULL AND r.enabled`,
      [recipient, ruleIds],
    );
    return new Set(rows.map((r) => r.rule_id));
  }

  /** Marks the recipient unsubscribed from these rules; returns the rules it was a recipient of. */
  async unsubscribe(ruleIds: number[], email: string): Promise<number[]> {
    const rows = rowsOf<{ rule_id: number }>(
      await this.db.query(
        `UPDATE alert_recipient SET unsubscribed_at = COALESCE(unsubscribed_at, now())
         WHERE rule_id = ANY($1::bigint[]) AND email = $2 RETURNING rule_id`,
        [ruleIds, email.toLowerCase()],
      ),
    );
    return rows.map((r) => r.rule_id).sort((a, b) => a - b);
  }

  /** Enabled fleet-need rules: the needs to plan once per evaluation. */
  async fleetRules(): Promise<Array<{ id: number; fleet_need_id: number }>> {
    return rowsOf<{ id: number; fleet_need_id: number }>(
      await this.db.query(
        `SELECT id, fleet_need_id FROM alert_rule
         WHERE enabled AND type = 'fleet_need' AND fleet_need_id IS NOT NULL ORDER BY id`,
        [],
      ),
    );
  }

  /**
   * One fleet-need event when the plan total clears the rule's condition against its last
   * event: none yet, or (after the cooldown) at least cheaperPct % cheaper than the last
   * alerted total (strictly cheaper for the 'satisfiable' trigger). Unique on (rule, plan's
   * first listing, total bucket) like every event, so a re-run inserts nothing. Immediate rules
   * get their outbox rows in the same statement; returns the outbox ids.
   */
  async insertFleetEvent(e: {
    ruleId: number;
    listingId: number;
    level: string;
    total: number;
    currency: string;
    details: Record<string, unknown>;
  }): Promise<{ inserted: boolean; outboxIds: number[] }> {
    const [row] = rowsOf<{ inserted: number; outbox_ids: number[] }>(
      await this.db.query(
        `WITH last AS (
           SELECT le.price, le.created_at FROM alert_event le
           WHERE le.rule_id = $1 ORDER BY le.id DESC LIMIT 1
         ),
         inserted AS (
           INSERT INTO alert_event (rule_id, listing_id, trigger_level, kind, price, previous_price,
                                    reference_price, currency, details, status)
           SELECT r.id, $2, $3, 'fleet', $4, last.price, last.price, $5, $6::jsonb,
                  CASE WHEN r.delivery = 'immediate' THEN 'queued' ELSE 'pending' END
           FROM alert_rule r LEFT JOIN last ON true
           WHERE r.id = $1 AND r.enabled
             AND (last.created_at IS NULL
                  OR (last.created_at <= now() - r.cooldown_hours * interval '1 hour'
                      AND $4 < last.price * (1 - COALESCE((r.params->'fleetNeed'->>'cheaperPct')::numeric, 0) / 100)))
           ON CONFLICT (rule_id, listing_id, trigger_level) DO NOTHING
           RETURNING id, rule_id, status
         ),
         outbox AS (
           INSERT INTO email_outbox (dedupe_key, recipient, kind, event_ids)
           SELECT 'event:' || i.id || ':' || rc.email, rc.email, 'alert', ARRAY[i.id]
           FROM inserted i
           JOIN alert_recipient rc ON rc.rule_id = i.rule_id AND rc.unsubscribed_at IS NULL
           WHERE i.status = 'queued'
           ON CONFLICT (dedupe_key) DO NOTHING
           RETURNING id
         )
         SELECT (SELECT count(*)::int FROM inserted) AS inserted,
                COALESCE((SELECT array_agg(id ORDER BY id) FROM outbox), '{}') AS outbox_ids`,
        [e.ruleId, e.listingId, e.level, e.total, e.currency, JSON.stringify(e.details)],
      ),
    );
    return { inserted: (row?.inserted ?? 0) > 0, outboxIds: row?.outbox_ids ?? [] };
  }

  /** Low-stock outbox rows, one per (stock alert, subscriber); the dedupe key makes it once. */
  async insertStockEmails(
    rows: Array<{ dedupeKey: string; recipient: string; payload: unknown }>,
  ): Promise<number[]> {
    if (!rows.length) return [];
    const inserted = rowsOf<{ id: number }>(
      await this.db.query(
        `INSERT INTO email_outbox (dedupe_key, recipient, kind, payload)
         SELECT d, r, 'low_stock', p FROM unnest($1::text[], $2::text[], $3::jsonb[]) AS x(d, r, p)
         ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
        [
          rows.map((r) => r.dedupeKey),
          rows.map((r) => r.recipient.toLowerCase()),
          rows.map((r) => JSON.stringify(r.payload)),
        ],
      ),
    );
    return inserted.map((r) => r.id);
  }

  query<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.db.query(sql, params);
  }
}
