import { ALERT_METRICS } from './alert-rule.schema';

/**
 * The set-based evaluation, as a short sequence of statements run in one transaction (see
 * AlertsRepository.evaluate), each set-based over (rules x changed listings) for one rule type:
 *
 * 1. EV_CHANGED: the changed listings with their alert price and their two latest observations
 *    (one LATERAL probe per listing on price_observation (listing_id, observed_at DESC)), into a
 *    temp table that is ANALYZEd so the following joins are planned on real row counts.
 * 2. one INSERT INTO ev_cand per rule type: watches by listing id, saved searches by hash join on
 *    the match key with the filter flattened to typed columns once per rule, market lows against
 *    one aggregate per distinct (config key or part number, currency, window) of the changed
 *    listings, back in stock from the previous observation already in ev_changed.
 * 3. EV_INSERT: cooldown, re-arm and drop conditions against each pair's last event, then the
 *    alert events with ON CONFLICT (rule, listing, trigger level) DO NOTHING and, for immediate
 *    rules, their email_outbox rows in the same statement.
 *
 * $1 = changed listing ids (bigint[]).
 */

/** Alert price of a listing: effective price when valued, else price + shipping. */
const AP = `COALESCE(l.effective_price, l.price + COALESCE(l.shipping, 0))`;

const METRIC_CASE = `CASE r.metric ${Object.values(ALERT_METRICS)
  .map((col) => `WHEN '${col}' THEN c.${col}`)
  .join(' ')} END`;

const METRIC_COLUMNS = Object.values(ALERT_METRICS)
  .filter((c) => c !== 'effective_price')
  .map((c) => `l.${c}`)
  .join(', ');

export const EV_CHANGED = `
CREATE TEMP TABLE ev_changed ON COMMIT DROP AS
SELECT l.id, l.status, l.quantity_available, l.currency, l.title, l.kind, lower(l.vendor) AS vendor,
       lower(l.chassis) AS chassis, lower(l.cpu_model) AS cpu_model, lower(l.gpu_model) AS gpu_model,
       l.ram_gb, l.cores, l.gpu_count, l.price, l.source_id, l.part_numbers, l.config_key,
       l.effective_price, ${METRIC_COLUMNS},
       ${AP} AS ap,
       l.price + COALESCE(l.shipping, 0) AS raw_total,
       o.cur_obs_id, o.prev_total, o.prev_out, o.n_obs
FROM listing l
LEFT JOIN LATERAL (
  SELECT max(x.id) FILTER (WHERE x.rn = 1) AS cur_obs_id,
         max(x.total) FILTER (WHERE x.rn = 2) AS prev_total,
         bool_or(x.rn = 2 AND (x.status <> 'active' OR x.quantity_available = 0)) AS prev_out,
         count(*)::int AS n_obs
  FROM (SELECT po.id, po.status, po.quantity_available, po.price + COALESCE(po.shipping, 0) AS total,
               row_number() OVER (ORDER BY po.observed_at DESC, po.id DESC) AS rn
        FROM price_observation po WHERE po.listing_id = l.id
        ORDER BY po.observed_at DESC, po.id DESC LIMIT 2) x
) o ON true
WHERE l.id = ANY($1::bigint[])`;

export const EV_PREPARE = [
  `CREATE UNIQUE INDEX ON ev_changed (id)`,
  `ANALYZE ev_changed (id, config_key, cpu_model, gpu_model, chassis, kind, status)`,
  `CREATE TEMP TABLE ev_cand (rule_id bigint NOT NULL, listing_id bigint NOT NULL, kind text NOT NULL,
     price numeric, currency text, ref numeric, level text) ON COMMIT DROP`,
];

const EV_WATCH = `
INSERT INTO ev_cand
SELECT r.id, c.id, 'watch', c.ap, c.currency, NULL, NULL
FROM alert_rule r JOIN ev_changed c ON c.id = r.listing_id
WHERE r.enabled AND r.type = 'listing_watch' AND c.status = 'active' AND c.ap IS NOT NULL`;

/** Saved-search filters as typed columns, computed once per rule rather than once per pair. */
const SEARCH_RULES = `
SELECT r.id, r.match_key, r.target_price, r.metric, r.metric_op, r.metric_value,
       f->>'kind' AS kind, lower(f->>'vendor') AS vendor, lower(f->>'chassis') AS chassis,
       lower(f->>'cpuModel') AS cpu_model, lower(f->>'gpuModel') AS gpu_model,
       (f->>'minRamGb')::numeric AS min_ram, (f->>'minCores')::numeric AS min_cores,
       (f->>'minGpuCount')::numeric AS min_gpus, (f->>'priceMin')::numeric AS price_min,
       (f->>'priceMax')::numeric AS price_max, upper(f->>'currency') AS currency,
       lower(f->>'search') AS search,
       CASE WHEN jsonb_typeof(f->'sourceIds') = 'array'
            THEN ARRAY(SELECT jsonb_array_elements_text(f->'sourceIds')::bigint) END AS source_ids
FROM alert_rule r CROSS JOIN LATERAL (SELECT COALESCE(r.filter, '{}'::jsonb) AS f) x
WHERE r.enabled AND r.type = 'saved_search'`;

/** The filter conditions of a saved search `r` on a changed listing `c`. */
const SEARCH_MATCHES = `(r.kind IS NULL OR c.kind = r.kind)
  AND (r.vendor IS NULL OR c.vendor = r.vendor)
  AND (r.chassis IS NULL OR c.chassis = r.chassis)
  AND (r.cpu_model IS NULL OR c.cpu_model = r.cpu_model)
  AND (r.gpu_model IS NULL OR c.gpu_model = r.gpu_model)
  AND (r.min_ram IS NULL OR c.ram_gb >= r.min_ram)
  AND (r.min_cores IS NULL OR c.cores >= r.min_cores)
  AND (r.min_gpus IS NULL OR c.gpu_count >= r.min_gpus)
  AND (r.price_min IS NULL OR c.price >= r.price_min)
  AND (r.price_max IS NULL OR c.price <= r.price_max)
  AND (r.currency IS NULL OR c.currency = r.currency)
  AND (r.search IS NULL OR strpos(lower(c.title), r.search) > 0)
  AND (r.source_ids IS NULL OR c.source_id = ANY(r.source_ids))
  AND (r.target_price IS NULL OR c.ap <= r.target_price)
  AND (r.metric IS NULL OR (r.metric_op = 'gte' AND ${METRIC_CASE} >= r.metric_value)
                        OR (r.metric_op = 'lte' AND ${METRIC_CASE} <= r.metric_value))`;

/**
 * Saved searches. The changed listings' match keys go into ev_keys, indexed on (key, ap) and
 * (key, price): a search with a target price or a price ceiling (most of them) reads only the
 * listings of its key under that bound (an index range per rule) instead of every listing of its
 * key; the rest are hash-joined on the key.
 */
const EV_SEARCH: string[] = [
  `CREATE TEMP TABLE ev_keys ON COMMIT DROP AS
   SELECT k.key COLLATE "C" AS key, c.ap, c.price, c.id
   FROM ev_changed c
   CROSS JOIN LATERAL unnest(ARRAY['cpu:' || c.cpu_model, 'gpu:' || c.gpu_model,
     'chassis:' || c.chassis, 'kind:' || c.kind, '*']) AS k(key)
   WHERE k.key IS NOT NULL AND c.status = 'active' AND c.ap IS NOT NULL
     AND k.key IN (SELECT match_key FROM alert_rule WHERE enabled AND type = 'saved_search')`,
  `CREATE INDEX ON ev_keys (key, ap)`,
  `CREATE INDEX ON ev_keys (key, price)`,
  `ANALYZE ev_keys`,
  `CREATE TEMP TABLE ev_search_rules ON COMMIT DROP AS ${SEARCH_RULES}`,
  `INSERT INTO ev_cand
   SELECT r.id, c.id, 'search', c.ap, c.currency, r.target_price, NULL
   FROM ev_search_rules r
   CROSS JOIN LATERAL (SELECT k.id FROM ev_keys k
                       WHERE k.key = r.match_key AND k.ap <= r.target_price) k
   JOIN ev_changed c ON c.id = k.id
   WHERE r.target_price IS NOT NULL AND ${SEARCH_MATCHES}`,
  `INSERT INTO ev_cand
   SELECT r.id, c.id, 'search', c.ap, c.currency, r.target_price, NULL
   FROM ev_search_rules r
   CROSS JOIN LATERAL (SELECT k.id FROM ev_keys k
                       WHERE k.key = r.match_key AND k.price <= r.price_max) k
   JOIN ev_changed c ON c.id = k.id
   WHERE r.target_price IS NULL AND r.price_max IS NOT NULL AND ${SEARCH_MATCHES}`,
  `INSERT INTO ev_cand
   SELECT r.id, c.id, 'search', c.ap, c.currency, r.target_price, NULL
   FROM ev_search_rules r
   JOIN ev_keys k ON k.key = r.match_key
   JOIN ev_changed c ON c.id = k.id
   WHERE r.target_price IS NULL AND r.price_max IS NULL AND ${SEARCH_MATCHES}`,
];

/**
 * Market lows: the rules hit by a changed listing (by config key or part number), then one
 * aggregate per distinct (key, currency, window) over the listings of that key (indexed on
 * listing.config_key / the part_numbers GIN index) and their observations, not one per rule.
 */
const EV_LOW = `
WITH hits AS MATERIALIZED (
  SELECT h.rule_id, h.listing_id, h.config_key, h.part_number, c.currency, c.raw_total,
         CASE WHEN r.low_mode = 'window' THEN r.low_days ELSE 0 END AS days
  FROM (
    SELECT r.id AS rule_id, c.id AS listing_id, r.config_key, NULL::text AS part_number
    FROM alert_rule r JOIN ev_changed c ON c.config_key = r.config_key
    WHERE r.enabled AND r.type = 'market_low' AND r.config_key IS NOT NULL
    UNION
    SELECT r.id, c.id, NULL, r.part_number
    FROM ev_changed c
    CROSS JOIN LATERAL unnest(c.part_numbers) AS pn(part)
    JOIN alert_rule r ON r.part_number = pn.part AND r.enabled AND r.type = 'market_low'
  ) h
  JOIN alert_rule r ON r.id = h.rule_id
  JOIN ev_changed c ON c.id = h.listing_id
  WHERE c.status = 'active' AND c.raw_total IS NOT NULL AND c.currency IS NOT NULL
),
cfg AS MATERIALIZED (
  SELECT DISTINCT config_key, currency, days FROM hits WHERE config_key IS NOT NULL
),
pns AS MATERIALIZED (
  SELECT DISTINCT part_number, currency, days FROM hits WHERE part_number IS NOT NULL
),
stats AS MATERIALIZED (
  SELECT 'c' AS by, g.config_key AS key, g.currency, g.days,
         min(po.price + COALESCE(po.shipping, 0)) AS low, count(*) AS n
  FROM cfg g
  JOIN listing l2 ON l2.config_key = g.config_key
  JOIN price_observation po ON po.listing_id = l2.id AND po.currency = g.currency
  WHERE po.price IS NOT NULL AND po.status = 'active'
    AND (g.days = 0 OR po.observed_at >= now() - make_interval(days => g.days))
  GROUP BY g.config_key, g.currency, g.days
  UNION ALL
  SELECT 'p', g.part_number, g.currency, g.days,
         min(po.price + COALESCE(po.shipping, 0)), count(*)
  FROM pns g
  CROSS JOIN LATERAL (
    SELECT l3.id FROM listing l3 WHERE l3.part_numbers @> ARRAY[g.part_number]
  ) l3
  JOIN price_observation po ON po.listing_id = l3.id AND po.currency = g.currency
  WHERE po.price IS NOT NULL AND po.status = 'active'
    AND (g.days = 0 OR po.observed_at >= now() - make_interval(days => g.days))
  GROUP BY g.part_number, g.currency, g.days
)
INSERT INTO ev_cand
SELECT r.id, h.listing_id, 'market_low', h.raw_total, h.currency, s.low,
       'low:' || r.low_mode || ':' || round(h.raw_total * 100)::bigint
FROM hits h
JOIN alert_rule r ON r.id = h.rule_id
JOIN stats s ON s.by = CASE WHEN h.config_key IS NOT NULL THEN 'c' ELSE 'p' END
            AND s.key = COALESCE(h.config_key, h.part_number)
            AND s.currency = h.currency AND s.days = h.days
WHERE s.n >= r.min_observations
  AND CASE r.low_mode WHEN 'within_pct' THEN h.raw_total <= s.low * (1 + r.low_within_pct / 100)
                      ELSE h.raw_total <= s.low END`;

/**
 * Back in stock: the listing is available now and its previous observation was not (ended,
 * sold or zero quantity), or, for a part number, it is the first listing of that part on offer.
 */
const EV_STOCK = `
WITH hits AS (
  SELECT r.id AS rule_id, c.id AS listing_id, r.part_number FROM alert_rule r
  JOIN ev_changed c ON c.id = r.listing_id
  WHERE r.enabled AND r.type = 'back_in_stock'
  UNION
  SELECT r.id, c.id, r.part_number FROM ev_changed c
  CROSS JOIN LATERAL unnest(c.part_numbers) AS pn(part)
  JOIN alert_rule r ON r.part_number = pn.part AND r.enabled AND r.type = 'back_in_stock'
)
INSERT INTO ev_cand
SELECT h.rule_id, c.id, 'stock', c.ap, c.currency, NULL, 'stock:' || c.cur_obs_id
FROM hits h
JOIN ev_changed c ON c.id = h.listing_id
WHERE c.status = 'active' AND COALESCE(c.quantity_available, 1) > 0 AND c.cur_obs_id IS NOT NULL
  AND (c.prev_out
       OR (h.part_number IS NOT NULL AND c.n_obs = 1 AND NOT EXISTS (
             SELECT 1 FROM listing l4
             WHERE l4.part_numbers @> ARRAY[h.part_number] AND l4.id <> c.id
               AND l4.status = 'active' AND COALESCE(l4.quantity_available, 1) > 0)))`;

export const EV_CANDIDATES = [EV_WATCH, ...EV_SEARCH, EV_LOW, EV_STOCK];

/**
 * Cooldown, re-arm and the watch drop condition against the pair's last event (one DISTINCT ON
 * over the events of the changed listings, indexed on alert_event (listing_id, rule_id, id)).
 */
export const EV_INSERT = `
WITH last AS (
  SELECT DISTINCT ON (le.rule_id, le.listing_id) le.rule_id, le.listing_id, le.price, le.created_at
  FROM alert_event le
  WHERE le.listing_id IN (SELECT id FROM ev_changed)
  ORDER BY le.rule_id, le.listing_id, le.id DESC
),
inserted AS (
  INSERT INTO alert_event AS e (rule_id, listing_id, trigger_level, kind, price, previous_price,
                                reference_price, currency, status)
  SELECT cand.rule_id, cand.listing_id,
         COALESCE(cand.level, 'p:' || round(cand.price * 100)::bigint), cand.kind, cand.price,
         c.prev_total,
         CASE WHEN cand.kind = 'watch' THEN x.ref ELSE cand.ref END,
         cand.currency,
         CASE WHEN r.delivery = 'immediate' THEN 'queued' ELSE 'pending' END
  FROM ev_cand cand
  JOIN alert_rule r ON r.id = cand.rule_id
  JOIN ev_changed c ON c.id = cand.listing_id
  LEFT JOIN last ON last.rule_id = cand.rule_id AND last.listing_id = cand.listing_id
  CROSS JOIN LATERAL (
    SELECT CASE WHEN r.drop_basis = 'last_alert' THEN COALESCE(last.price, r.baseline_price)
                ELSE r.baseline_price END AS ref
  ) x
  WHERE (last.created_at IS NULL OR last.created_at <= now() - r.cooldown_hours * interval '1 hour')
    AND (cand.kind = 'stock' OR r.rearm <> 'further_drop' OR last.price IS NULL
         OR cand.price < last.price)
    AND (cand.kind <> 'search' OR last.price IS NULL OR cand.price < last.price)
    AND (cand.kind <> 'watch'
         OR (r.target_price IS NOT NULL AND cand.price <= r.target_price)
         OR (r.drop_pct IS NOT NULL AND cand.price <= x.ref * (1 - r.drop_pct / 100))
         OR (r.drop_amount IS NOT NULL AND cand.price <= x.ref - r.drop_amount))
  ON CONFLICT (rule_id, listing_id, trigger_level) DO NOTHING
  RETURNING e.id, e.rule_id, e.status
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
SELECT (SELECT count(*)::int FROM inserted) AS events,
       (SELECT count(*)::int FROM inserted WHERE status = 'pending') AS digest_events,
       COALESCE((SELECT array_agg(id ORDER BY id) FROM outbox), '{}') AS outbox_ids`;

/** Every statement of one evaluation, in order; the last returns the counts. */
export const EVALUATION_STATEMENTS = [
  // short statements over modest sets: JIT compilation costs more than it saves here
  `SET LOCAL jit = off`,
  EV_CHANGED,
  ...EV_PREPARE,
  ...EV_CANDIDATES,
  EV_INSERT,
];

/**
 * Claims the pending events of digest rules with this delivery mode and writes one outbox row
 * per recipient holding all of them, in one statement: a retried digest job finds nothing left
 * to claim, so it never sends twice. $1 = 'hourly' | 'daily'.
 */
export const CLAIM_DIGEST_SQL = `
WITH claimed AS (
  UPDATE alert_event e SET status = 'queued'
  FROM alert_rule r
  WHERE r.id = e.rule_id AND r.delivery = $1 AND e.status = 'pending'
  RETURNING e.id, e.rule_id
),
per_recipient AS (
  SELECT rc.email, array_agg(DISTINCT c.id ORDER BY c.id) AS ids
  FROM claimed c
  JOIN alert_recipient rc ON rc.rule_id = c.rule_id AND rc.unsubscribed_at IS NULL
  GROUP BY rc.email
)
INSERT INTO email_outbox (dedupe_key, recipient, kind, event_ids, payload)
SELECT 'digest:' || $1 || ':' || p.email || ':' || p.ids[1] || '-' || p.ids[cardinality(p.ids)]
         || ':' || cardinality(p.ids),
       p.email, 'digest', p.ids, jsonb_build_object('mode', $1::text)
FROM per_recipient p
ON CONFLICT (dedupe_key) DO NOTHING
RETURNING id`;
