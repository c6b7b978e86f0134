import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Optional } from '@nestjs/common';
import { Queue } from 'bullmq';
import type { Principal } from '../auth/roles';
import { roleSatisfies } from '../auth/roles';
import { badInput, notFound } from '../common/errors';
import { rootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { FleetNeedsService } from '../fleet/fleet-needs.service';
import { InventoryService } from '../inventory/inventory.service';
import { MailerService } from '../mail/mailer.service';
import { JobName, QueueName } from '../queue/queues';
import {
  EmailEvent,
  LowStockEmail,
  money,
  renderAlertEmail,
  renderLowStockEmail,
} from './alert-email';
import {
  ALERT_METRICS,
  AlertRuleDefinition,
  matchKeyOf,
  parseAlertRule,
} from './alert-rule.schema';
import {
  AlertEventRow,
  AlertRuleRow,
  AlertsRepository,
  EvaluationResult,
  RuleColumns,
} from './alerts.repository';
import { MAX_TOKEN_RULES, signUnsubscribe, verifyUnsubscribe } from './unsubscribe-token';

export const EVENT_STATUSES = ['pending', 'queued', 'sent', 'failed', 'skipped'] as const;

const SPEC_COLUMNS: Array<[string, string]> = [
  ['kind', 'Kind'],
  ['vendor', 'Vendor'],
  ['chassis', 'Chassis'],
  ['cpu_model', 'CPU'],
  ['cpu_count', 'CPU count'],
  ['cores', 'Cores'],
  ['threads', 'Threads'],
  ['ram_gb', 'RAM (GB)'],
  ['storage_gb', 'Storage (GB)'],
  ['gpu_model', 'GPU'],
  ['gpu_count', 'GPU count'],
  ['gpu_memory_gb', 'GPU memory (GB)'],
  ['config_key', 'Configuration'],
];

/** Alert rules (CRUD), their set-based evaluation, digests and email delivery from the outbox. */
@Injectable()
export class AlertsService {
  private readonly log = rootLogger().child({ module: 'alerts' });
  private baselineTable: boolean | null = null;

  constructor(
    private readonly repo: AlertsRepository,
    private readonly config: AppConfig,
    private readonly mailer: MailerService,
    @InjectQueue(QueueName.Email) private readonly emailQueue: Queue,
    @Optional() private readonly fleet?: FleetNeedsService,
    @Optional() private readonly inventory?: InventoryService,
  ) {}

  // ---- rules ----

  async createRule(principal: Principal, input: unknown): Promise<AlertRuleRow> {
    const def = parseAlertRule(input);
    const cols = await this.columnsOf(def);
    const id = await this.repo.insertRule(
      { owner_key_id: principal.keyId, ...cols },
      def.recipients,
    );
    return (await this.repo.findRule(id))!;
  }

  async updateRule(principal: Principal, id: number, input: unknown): Promise<AlertRuleRow> {
    const existing = await this.ownedRule(principal, id);
    const def = parseAlertRule(input);
    const cols = await this.columnsOf(def, existing);
    await this.repo.updateRule(id, cols, def.recipients);
    return (await this.repo.findRule(id))!;
  }

  async setEnabled(principal: Principal, id: number, enabled: boolean): Promise<AlertRuleRow> {
    await this.ownedRule(principal, id);
    await this.repo.setEnabled(id, enabled);
    return (await this.repo.findRule(id))!;
  }

  async deleteRule(principal: Principal, id: number): Promise<boolean> {
    await this.ownedRule(principal, id);
    return this.repo.deleteRule(id);
  }

  rules(principal: Principal): Promise<AlertRuleRow[]> {
    return this.repo.listRules(this.ownerScope(principal));
  }

  rule(principal: Principal, id: number): Promise<AlertRuleRow> {
    return this.ownedRule(principal, id);
  }

  async events(
    principal: Principal,
    ruleId: number | null,
    status: string | null,
    first: number,
  ): Promise<AlertEventRow[]> {
    if (!Number.isInteger(first) || first < 1 || first > 500) {
      throw badInput('first: must be between 1 and 500', { field: 'first' });
    }
    if (status !== null && !(EVENT_STATUSES as readonly string[]).includes(status)) {
      throw badInput(`status: must be one of ${EVENT_STATUSES.join(', ')}`, { field: 'status' });
    }
    if (ruleId !== null) await this.ownedRule(principal, ruleId);
    return this.repo.events(
      ruleId === null ? null : [ruleId],
      this.ownerScope(principal),
      status,
      first,
    );
  }

  /** Why a rule cannot fire yet (market low without enough history, fleet planner missing). */
  async note(rule: AlertRuleRow): Promise<string | null> {
    if (rule.type === 'fleet_need' && !this.fleet) {
      return 'fleet planner not available in this deployment: fleet-need rules are not evaluated';
    }
    if (rule.type !== 'market_low') return null;
    const p = rule.params as {
      marketLow?: { mode: string; days?: number; minObservations?: number };
    };
    const m = p.marketLow;
    if (!m) return null;
    const h = await this.repo.marketHistory(
      rule.config_key,
      rule.part_number,
      m.mode === 'window' ? (m.days ?? null) : null,
    );
    const need = m.minObservations ?? 5;
    if (h.n < need) {
      return `not enough history: ${h.n} price observation${h.n === 1 ? '' : 's'} for ${rule.config_key ?? rule.part_number}, needs ${need}`;
    }
    return null;
  }

  private ownerScope(principal: Principal): number | null {
    return roleSatisfies(principal.role, 'admin') ? null : principal.keyId;
  }

  private async ownedRule(principal: Principal, id: number): Promise<AlertRuleRow> {
    const rule = await this.repo.findRule(id);
    const scope = this.ownerScope(principal);
    if (!rule || (scope !== null && rule.owner_key_id !== scope)) throw notFound('AlertRule', id);
    return rule;
  }

  private async columnsOf(
    def: AlertRuleDefinition,
    existing?: AlertRuleRow,
  ): Promise<Omit<RuleColumns, 'owner_key_id'>> {
    const base: Omit<RuleColumns, 'owner_key_id'> = {
      name: def.name,
      type: def.type,
      params: def,
      listing_id: null,
      part_number: null,
      config_key: null,
      match_key: null,
      filter: null,
      target_price: null,
      drop_pct: null,
      drop_amount: null,
      drop_basis: 'watch_start',
      baseline_price: null,
      metric: null,
      metric_op: null,
      metric_value: null,
      low_mode: null,
      low_days: null,
      low_within_pct: null,
      min_observations: 5,
      fleet_need_id: null,
      cooldown_hours: def.cooldownHours,
      rearm: def.rearm,
      delivery: def.delivery,
      enabled: def.enabled,
    };
    switch (def.type) {
      case 'listing_watch': {
        const w = def.listingWatch;
        const listing = await this.repo.listingAlertPrice(w.listingId);
        if (!listing.exists) {
          throw badInput(`listingWatch.listingId: listing ${w.listingId} not found`, {
            field: 'listingWatch.listingId',
          });
        }
        const keepBaseline = existing?.listing_id === w.listingId ? existing.baseline_price : null;
        return {
          ...base,
          listing_id: w.listingId,
          target_price: w.targetPrice ?? null,
          drop_pct: w.dropPct ?? null,
          drop_amount: w.dropAmount ?? null,
          drop_basis: w.basis,
          baseline_price: keepBaseline ?? listing.price,
        };
      }
      case 'saved_search': {
        const s = def.savedSearch;
        return {
          ...base,
          filter: s.filter,
          match_key: matchKeyOf(s.filter),
          target_price: s.targetPrice ?? null,
          metric: s.metric ? ALERT_METRICS[s.metric] : null,
          metric_op: s.metricOp ?? null,
          metric_value: s.metricValue ?? null,
        };
      }
      case 'market_low': {
        const m = def.marketLow;
        return {
          ...base,
          config_key: m.configKey ?? null,
          part_number: m.partNumber ?? null,
          low_mode: m.mode,
          low_days: m.days ?? null,
          low_within_pct: m.withinPct ?? null,
          min_observations: m.minObservations,
        };
      }
      case 'fleet_need':
        return { ...base, fleet_need_id: def.fleetNeed.needId };
      case 'back_in_stock': {
        const b = def.backInStock;
        if (b.listingId !== undefined && !(await this.repo.listingAlertPrice(b.listingId)).exists) {
          throw badInput(`backInStock.listingId: listing ${b.listingId} not found`, {
            field: 'backInStock.listingId',
          });
        }
        return { ...base, listing_id: b.listingId ?? null, part_number: b.partNumber ?? null };
      }
    }
  }

  // ---- evaluation and delivery ----

  /**
   * Evaluates every enabled rule over the changed listings (set-based, one transaction), then
   * the fleet-need rules (each need planned at most once per call), and queues the emails.
   */
  async evaluate(listingIds: number[]): Promise<EvaluationResult> {
    const ids = [...new Set(listingIds.filter((id) => Number.isSafeInteger(id) && id > 0))];
    const result = await this.repo.evaluate(ids);
    await this.enqueueEmails(result.outboxIds);
    if (ids.length) {
      const fleet = await this.evaluateFleetNeeds();
      await this.enqueueEmails(fleet.outboxIds);
      result.events += fleet.events;
      result.outboxIds = [...result.outboxIds, ...fleet.outboxIds];
    }
    return result;
  }

  /**
   * Fleet-need rules: plans each referenced need once and raises an event when the cheapest
   * plan is satisfiable within the need's budget, the first time, then again only when it is
   * cheaper than the last alerted plan (by cheaperPct % for the 'cheaper' trigger). The trigger
   * level is the plan total in whole currency units, so a re-run raises nothing new.
   */
  async evaluateFleetNeeds(): Promise<{ events: number; outboxIds: number[] }> {
    const out = { events: 0, outboxIds: [] as number[] };
    if (!this.fleet) return out;
    const rules = await this.repo.fleetRules();
    const byNeed = new Map<number, number[]>();
    for (const r of rules)
      byNeed.set(r.fleet_need_id, [...(byNeed.get(r.fleet_need_id) ?? []), r.id]);
    for (const [needId, ruleIds] of byNeed) {
      let plan: Awaited<ReturnType<FleetNeedsService['plan']>>;
      try {
        plan = await this.fleet.plan(needId);
      } catch (e) {
        this.log.warn({ needId, err: (e as Error).message }, 'fleet need not planned');
        continue;
      }
      const best = plan.satisfiable
        ? plan.plans
            .filter((p) => p.satisfiable && p.lines.length > 0)
            .sort((a, b) => a.totalPrice - b.totalPrice)[0]
        : undefined;
      if (!best) continue;
      const total = Math.round(best.totalPrice);
      const currency = this.config.env.BASE_CURRENCY;
      const summary = [
        `Fleet need "${plan.need.name}": ${best.nodes} nodes for ${money(total, currency)} (${best.kind}${best.chassis ? `, ${best.chassis}` : ''})`,
        ...best.lines.map(
          (l) =>
            `  ${l.quantity} x listing ${l.candidate.listingId} (${l.nodes} nodes): ${money(l.price, currency)}`,
        ),
      ];
      for (const ruleId of ruleIds) {
        const r = await this.repo.insertFleetEvent({
          ruleId,
          listingId: best.lines[0]!.candidate.listingId,
          level: `fleet:${total}`,
          total,
          currency,
          details: { needId, nodes: best.nodes, summary },
        });
        if (r.inserted) out.events++;
        out.outboxIds.push(...r.outboxIds);
      }
    }
    return out;
  }

  /**
   * Low-stock emails: each open, not yet notified stock alert goes once to its part's
   * subscribers, with the best current offers, through the outbox (dedupe key per alert and
   * recipient, so a re-run or a crash between the steps never sends twice).
   */
  async sendStockAlerts(): Promise<number[]> {
    if (!this.inventory) return [];
    const alerts = await this.inventory.openStockAlerts({ offers: 5 });
    const ids: number[] = [];
    for (const a of alerts) {
      const payload: LowStockEmail = {
        partNumber: a.partNumber,
        description: a.description,
        site: a.site,
        available: a.available,
        minimum: a.minimum,
        offers: a.offers.map((o) => ({
          id: o.id,
          title: o.title,
          url: o.url,
          price: o.effective_price ?? o.price,
          currency: o.effective_price != null ? this.config.env.BASE_CURRENCY : o.currency,
          seller: o.seller,
        })),
      };
      ids.push(
        ...(await this.repo.insertStockEmails(
          [...new Set(a.subscribers.map((e) => e.toLowerCase()))].map((recipient) => ({
            dedupeKey: `stock:${a.id}:${recipient}`,
            recipient,
            payload,
          })),
        )),
      );
      await this.inventory.markStockAlertNotified(a.id);
    }
    await this.enqueueEmails(ids);
    return ids;
  }

  /** Claims pending digest events of this mode into one outbox email per recipient. */
  async runDigest(mode: 'hourly' | 'daily'): Promise<number[]> {
    const ids = await this.repo.claimDigest(mode);
    await this.enqueueEmails(ids);
    // Outbox rows whose job was lost (Redis flushed, attempts exhausted) are sent again here.
    await this.enqueueEmails(await this.repo.pendingOutbox(600));
    return ids;
  }

  async enqueueEmails(outboxIds: number[]): Promise<void> {
    if (!outboxIds.length) return;
    const opts = {
      attempts: this.config.env.EMAIL_ATTEMPTS,
      backoff: { type: 'exponential', delay: this.config.env.EMAIL_BACKOFF_MS },
    };
    for (let i = 0; i < outboxIds.length; i += 500) {
      await this.emailQueue.addBulk(
        outboxIds.slice(i, i + 500).map((emailId) => ({
          name: JobName.SendEmail,
          data: { emailId },
          opts: { ...opts, jobId: `email-${emailId}` },
        })),
      );
    }
  }

  /**
   * Sends one outbox email. Already sent: nothing happens (a retry checks the outbox first).
   * The Message-ID derives from the outbox id, so a resend after a lost acknowledgement is
   * recognisable as the same message. Throws on SMTP failure so the queue retries with backoff.
   */
  async deliver(
    outboxId: number,
    finalAttempt: boolean,
  ): Promise<'sent' | 'already-sent' | 'missing' | 'skipped'> {
    const row = await this.repo.outbox(outboxId);
    if (!row) return 'missing';
    if (row.status === 'sent') return 'already-sent';
    const messageId = `<outbox-${row.id}.${row.dedupe_key.length}@${this.messageDomain()}>`;
    if (row.kind === 'low_stock') {
      const email = renderLowStockEmail(row.payload as unknown as LowStockEmail, {
        publicUrl: this.config.publicUrl,
      });
      return this.sendOutbox(row.id, finalAttempt, messageId, {
        to: row.recipient,
        subject: email.subject,
        text: email.text,
        html: email.html,
        messageId,
      });
    }
    const subscribed = await this.repo.subscribedRules(
      row.recipient,
      await this.ruleIdsOf(row.event_ids),
    );
    const events = (await this.loadEmailEvents(row.event_ids, row.recipient)).filter((e) =>
      subscribed.has(e.ruleId),
    );
    if (!events.length) {
      await this.repo.markSent(row.id, messageId); // nothing left to say (unsubscribed / deleted)
      return 'skipped';
    }
    const mode = row.kind === 'digest' ? (row.payload.mode as 'hourly' | 'daily') : undefined;
    const email = renderAlertEmail(events, { publicUrl: this.config.publicUrl, digest: mode });
    // One-click List-Unsubscribe covers every rule in this email (a digest spans many rules).
    const unsubscribe = this.unsubscribeUrl(
      [...new Set(events.map((e) => e.ruleId))].slice(0, MAX_TOKEN_RULES),
      row.recipient,
    );
    return this.sendOutbox(row.id, finalAttempt, messageId, {
      to: row.recipient,
      subject: email.subject,
      text: email.text,
      html: email.html,
      attachments: email.attachments,
      messageId,
      list: { unsubscribe: { url: unsubscribe, comment: 'Unsubscribe' } },
      headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
    });
  }

  private async sendOutbox(
    outboxId: number,
    finalAttempt: boolean,
    messageId: string,
    message: Parameters<MailerService['send']>[0],
  ): Promise<'sent'> {
    try {
      await this.mailer.send(message);
    } catch (e) {
      const message = (e as Error).message;
      await this.repo.markAttemptFailed(outboxId, message, finalAttempt);
      this.log.warn({ outboxId, finalAttempt, err: message }, 'email send failed');
      throw e;
    }
    await this.repo.markSent(outboxId, messageId);
    return 'sent';
  }

  /** Unsubscribes the token's recipient from each rule it names (the rules still existing). */
  async unsubscribe(token: string): Promise<{ ruleIds: number[]; email: string } | null> {
    const v = verifyUnsubscribe(this.config.alertsSigningSecret, token);
    if (!v) return null;
    const done = await this.repo.unsubscribe(v.ruleIds, v.email);
    return done.length ? { ruleIds: done, email: v.email } : null;
  }

  unsubscribeUrl(ruleIds: number | number[], email: string): string {
    const token = signUnsubscribe(this.config.alertsSigningSecret, ruleIds, email);
    return `${this.config.publicUrl.replace(/\/$/, '')}/alerts/unsubscribe?token=${token}`;
  }

  private messageDomain(): string {
    try {
      return new URL(this.config.publicUrl).hostname || 'rackhound.local';
    } catch {
      return 'rackhound.local';
    }
  }

  private async ruleIdsOf(eventIds: number[]): Promise<number[]> {
    const rows = await this.repo.query<{ rule_id: number }>(
      `SELECT DISTINCT rule_id FROM alert_event WHERE id = ANY($1::bigint[])`,
      [eventIds],
    );
    return rows.map((r) => r.rule_id);
  }

  private async loadEmailEvents(eventIds: number[], recipient: string): Promise<EmailEvent[]> {
    const metricCols = Object.entries(ALERT_METRICS);
    const rows = await this.repo.query<Record<string, unknown>>(
      `SELECT e.id AS event_id, e.rule_id, r.name AS rule_name, e.kind AS event_kind, e.price AS event_price,
              e.previous_price, e.reference_price, e.currency AS event_currency, e.details AS event_details, e.created_at AS event_at,
              l.id AS listing_id, l.title, l.url, l.condition, l.seller, l.status AS listing_status,
              ${SPEC_COLUMNS.map(([c]) => `l.${c}`).join(', ')},
              ${metricCols.map(([, c]) => `l.${c}`).join(', ')}
       FROM alert_event e JOIN alert_rule r ON r.id = e.rule_id JOIN listing l ON l.id = e.listing_id
       WHERE e.id = ANY($1::bigint[]) ORDER BY e.id`,
      [eventIds],
    );
    const listingIds = [...new Set(rows.map((r) => r.listing_id as number))];
    const history = await this.repo.query<{ listing_id: number; observed_at: Date; price: number }>(
      `SELECT listing_id, observed_at, price + COALESCE(shipping, 0) AS price FROM price_observation
       WHERE listing_id = ANY($1::bigint[]) AND price IS NOT NULL ORDER BY observed_at, id`,
      [listingIds],
    );
    const byListing = new Map<number, Array<{ at: Date; price: number }>>();
    for (const h of history) {
      const list = byListing.get(h.listing_id) ?? [];
      list.push({ at: new Date(h.observed_at), price: h.price });
      byListing.set(h.listing_id, list);
    }
    const out: EmailEvent[] = [];
    for (const r of rows) {
      const str = (v: unknown): string | null =>
        typeof v === 'string' ? v || null : typeof v === 'number' ? String(v) : null;
      out.push({
        eventId: r.event_id as number,
        ruleId: r.rule_id as number,
        ruleName: r.rule_name as string,
        kind: r.event_kind as string,
        price: r.event_price as number | null,
        previousPrice: r.previous_price as number | null,
        referencePrice: r.reference_price as number | null,
        currency: r.event_currency as string | null,
        createdAt: new Date(r.event_at as string),
        unsubscribeUrl: this.unsubscribeUrl(r.rule_id as number, recipient),
        listing: {
          id: r.listing_id as number,
          title: r.title as string,
          url: str(r.url),
          condition: str(r.condition),
          seller: str(r.seller),
          status: r.listing_status as string,
          specs: SPEC_COLUMNS.flatMap(([c, label]) => {
            const v = str(r[c]);
            return v === null ? [] : [[label, v] as [string, string]];
          }),
          metrics: metricCols.flatMap(([name, c]) => {
            const v = r[c];
            return typeof v === 'number' ? [[name, formatMetric(v)] as [string, string]] : [];
          }),
        },
        history: (byListing.get(r.listing_id as number) ?? []).slice(-200),
        baseline: await this.baseline(str(r.config_key)),
        notes: notesOf(r.event_details),
      });
    }
    return out;
  }

  /** Lines from market_baseline when that table exists (built by the pricing work), else null. */
  private async baseline(configKey: string | null): Promise<string[] | null> {
    if (!configKey) return null;
    if (this.baselineTable === null) {
      const [row] = await this.repo.query<{ t: string | null }>(
        `SELECT to_regclass('market_baseline')::text AS t`,
        [],
      );
      this.baselineTable = Boolean(row?.t);
    }
    if (!this.baselineTable) return null;
    try {
      const [row] = await this.repo.query<Record<string, unknown>>(
        `SELECT * FROM market_baseline WHERE config_key = $1 LIMIT 1`,
        [configKey],
      );
      if (!row) return null;
      return Object.entries(row)
        .filter(
          ([k, v]) =>
            k !== 'id' && k !== 'config_key' && (typeof v === 'number' || typeof v === 'string'),
        )
        .map(([k, v]) => `${k} ${typeof v === 'number' ? formatMetric(v) : String(v)}`);
    } catch {
      return null;
    }
  }
}

function notesOf(details: unknown): string[] {
  const summary = (details as { summary?: unknown } | null)?.summary;
  return Array.isArray(summary) ? summary.filter((x): x is string => typeof x === 'string') : [];
}

function formatMetric(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3);
}
