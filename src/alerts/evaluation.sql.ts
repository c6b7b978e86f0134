import { ALERT_METRICS } from './alert-rule.schema';

/**
 * The set-based evaluation, as a short sequence of statements run in one transaction (see
 * AlertsRepository.evaluate), each set-based over (rules x changed listings) for one rule type,
 * never a loop over rules or listings:
 *
 * 1. EV_CHANGED: the changed listings that are on offer (every rule type needs an active
 *    listing) with their alert price, into a temp table that is ANALYZEd so the following joins
 *    are planned on real row counts.
 * 2. the candidate (rule, listing) pairs into ev_cand, one step per rule type: watches by listing
 *    id; saved searches compiled once to typed columns and matched through a range index over
 *    only the changed listings some search of their key could accept; market lows against one
 *    aggregate per distinct (config key or part number, currency, window); back in stock from
 *    the rules hit by part number or listing id.
 * 3. EV_OBSERVED: the latest two observations, probed only for the listings of a candidate pair
 *    (previous price of every event, stock transitions), not for every changed listing.
 * 4. EV_LAST, EV_INSERT: cooldown, re-arm and drop conditions against each pair's last event,
 *    then the alert events with ON CONFLICT (rule, listing, trigger level) DO NOTHING and, for
 *    immediate rules, their email_outbox rows in the same statement.
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
SELECT l.id, l.quantity_available, l.currency, l.title, l.kind, lower(l.vendor) AS vendor,
       lower(l.chassis) AS chassis, lower(l.cpu_model) AS cpu_model, lower(l.gpu_model) AS gpu_model,
       l.ram_gb, l.cores, l.gpu_count, l.price, l.source_id, l.part_numbers, l.config_key,
       l.effective_price, ${METRIC_COLUMNS},
       ${AP} AS ap,
       l.price + COALESCE(l.shipping, 0) AS raw_total
FROM listing l
WHERE l.id = ANY($1::bigint[]) AND l.status = 'active'`;

export const EV_PREPARE = [
  `ANALYZE ev_changed (config_key)`,
  `CREATE TEMP TABLE ev_cand (rule_id bigint NOT NULL, listing_id bigint NOT NULL, kind text NOT NULL,
     price numeric, currency text, ref numeric, level text) ON COMMIT DROP`,
];

const EV_WATCH = `
INSERT INTO ev_cand
SELECT r.id, c.id, 'watch', c.ap, c.currency, NULL, NULL
FROM alert_rule r JOIN ev_changed c ON c.id = r.listing_id
WHERE r.enabled AND r.type = 'listing_watch' AND c.ap IS NOT NULL`;

/** Saved-search filters as typed columns, computed once per rule rather than once per pair. */
const SEARCH_RULES = `
SELECT r.id, r.match_key COLLATE "C" AS match_key, r.target_price, r.metric, r.metric_op,
       r.metric_value,
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

/** The listing column each match-key prefix compares (see matchKeyOf); '*' matches any. */
const KEY_COLUMNS = { cpu: 'cpu_model', gpu: 'gpu_model', chassis: 'chassis', kind: 'kind' };

/** A changed listing under the loosest price bounds of a key's searches. */
const IN_BOUNDS = `c.ap IS NOT NULL AND (b.max_ap IS NULL OR c.ap <= b.max_ap)
     AND (b.max_price IS NULL OR c.price <= b.max_price)`;

/**
 * One equality join per key prefix (hashed on the listing's column, skipped when no search uses
 * that prefix) rather than five generated key strings per changed listing.
 */
const KEY_BRANCHES = [
  ...Object.entries(KEY_COLUMNS).map(
    ([prefix, column]) => `SELECT b.key, c.* FROM ev_changed c
   JOIN bounds b ON b.prefix = '${prefix}' AND b.value = c.${column} WHERE ${IN_BOUNDS}`,
  ),
  `SELECT b.key, c.* FROM ev_changed c JOIN bounds b ON b.key = '*' WHERE ${IN_BOUNDS}`,
].join('\n   UNION ALL\n   ');

/**
 * Saved searches. Searches are compiled to typed columns once (ev_search_rules). Their match
 * keys bound the listings worth pairing: a changed listing enters ev_keys under a key only when
 * its alert price and price are within the loosest target price and price ceiling of that key's
 * searches (searches look for deals, so that is a small share of the listings). ev_keys is
 * indexed on (key, ap) and (key, price): a search with a target price or a price ceiling reads
 * only the listings of its key under that bound (an index range per rule); the rest are
 * hash-joined on the key.
 */
const EV_SEARCH: string[] = [
  `CREATE TEMP TABLE ev_search_rules ON COMMIT DROP AS ${SEARCH_RULES}`,
  `ANALYZE ev_search_rules`,
  `CREATE TEMP TABLE ev_keys ON COMMIT DROP AS
   WITH bounds AS MATERIALIZED (
     SELECT match_key AS key, split_part(match_key, ':', 1) AS prefix,
            substr(match_key, strpos(match_key, ':') + 1) AS value,
            CASE WHEN count(*) = count(target_price) THEN max(target_price) END AS max_ap,
            CASE WHEN count(*) = count(price_max) THEN max(price_max) END AS max_price
     FROM ev_search_rules GROUP BY match_key
   )
   ${KEY_BRANCHES}`,
  `CREATE INDEX ON ev_keys (key, ap)`,
  `CREATE INDEX ON ev_keys (key, price)`,
  `ANALYZE ev_keys`,
  `INSERT INTO ev_cand
   SELECT r.id, c.id, 'search', c.ap, c.currency, r.target_price, NULL
   FROM ev_search_rules r JOIN ev_keys c ON c.key = r.match_key AND c.ap <= r.target_price
   WHERE r.target_price IS NOT NULL AND ${SEARCH_MATCHES}`,
  `INSERT INTO ev_cand
   SELECT r.id, c.id, 'search', c.ap, c.currency, r.target_price, NULL
   FROM ev_search_rules r JOIN ev_keys c ON c.key = r.match_key AND c.price <= r.price_max
   WHERE r.target_price IS NULL AND r.price_max IS NOT NULL AND ${SEARCH_MATCHES}`,
  `INSERT INTO ev_cand
   SELECT r.id, c.id, 'search', c.ap, c.currency, r.target_price, NULL
   FROM ev_search_rules r JOIN ev_keys c ON c.key = r.match_key
   WHERE r.target_price IS NULL AND r.price_max IS NULL AND ${SEARCH_MATCHES}`,
];

/**
 * Market lows. First the distinct (config key or part number, currency, window) groups the
 * changed listings touch, then one aggregate per group over the listings of that key and their
 * observations (not one per rule), then the rules x changed listings of each group against it.
 * Both small tables are ANALYZEd so each step is planned on real counts: the history as one hash
 * join over the observations when most keys are touched, index probes when few are; the pairs
 * as a hash join of the changed listings against (rule, group).
 * Part numbers are one LATERAL aggregate per part through the part_numbers GIN index, because a
 * containment join cannot be hashed and is otherwise planned as every observation x every part.
 */
const LOW_DAYS = `CASE WHEN r.low_mode = 'window' THEN r.low_days ELSE 0 END`;
const LOW_HIT = `s.n >= r.min_observations
  AND CASE r.low_mode WHEN 'within_pct' THEN c.raw_total <= s.low * (1 + r.low_within_pct / 100)
                      ELSE c.raw_total <= s.low END`;
const LOW_CAND = `r.id, c.id, 'market_low', c.raw_total, c.currency, s.low,
  'low:' || r.low_mode || ':' || round(c.raw_total * 100)::bigint`;

const EV_LOW: string[] = [
  `CREATE TEMP TABLE ev_low_groups ON COMMIT DROP AS
   WITH priced AS MATERIALIZED (
     SELECT c.config_key, c.part_numbers, c.currency FROM ev_changed c
     WHERE c.raw_total IS NOT NULL AND c.currency IS NOT NULL
   )
   SELECT DISTINCT 'c' AS by, r.config_key AS key, k.currency, ${LOW_DAYS} AS days
   FROM (SELECT DISTINCT config_key, currency FROM priced) k
   JOIN alert_rule r ON r.config_key = k.config_key
   WHERE r.enabled AND r.type = 'market_low'
   UNION
   SELECT 'p', r.part_number, k.currency, ${LOW_DAYS}
   FROM (SELECT DISTINCT pn.part, p.currency FROM priced p
         CROSS JOIN LATERAL unnest(p.part_numbers) AS pn(part)) k
   JOIN alert_rule r ON r.part_number = k.part
   WHERE r.enabled AND r.type = 'market_low'`,
  `ANALYZE ev_low_groups`,
  `CREATE TEMP TABLE ev_low_stats ON COMMIT DROP AS
     SELECT g.by, g.key, g.currency, g.days, min(po.price + COALESCE(po.shipping, 0)) AS low,
            count(*) AS n
     FROM ev_low_groups g
     JOIN listing l2 ON l2.config_key = g.key
     JOIN price_observation po ON po.listing_id = l2.id AND po.currency = g.currency
     WHERE g.by = 'c' AND po.price IS NOT NULL AND po.status = 'active'
       AND (g.days = 0 OR po.observed_at >= now() - make_interval(days => g.days))
     GROUP BY g.by, g.key, g.currency, g.days
     UNION ALL
     SELECT g.by, g.key, g.currency, g.days, s.low, s.n
     FROM ev_low_groups g
     CROSS JOIN LATERAL (
       SELECT min(po.price + COALESCE(po.shipping, 0)) AS low, count(*) AS n
       FROM listing l3
       JOIN price_observation po ON po.listing_id = l3.id AND po.currency = g.currency
       WHERE l3.part_numbers @> ARRAY[g.key] AND po.price IS NOT NULL AND po.status = 'active'
         AND (g.days = 0 OR po.observed_at >= now() - make_interval(days => g.days))
     ) s
     WHERE g.by = 'p' AND s.n > 0`,
  `ANALYZE ev_low_stats`,
  `INSERT INTO ev_cand
   SELECT ${LOW_CAND}
   FROM alert_rule r
   JOIN ev_low_stats s ON s.by = 'c' AND s.key = r.config_key AND s.days = ${LOW_DAYS}
   JOIN ev_changed c ON c.config_key = r.config_key AND c.currency = s.currency
   WHERE r.enabled AND r.type = 'market_low' AND c.raw_total IS NOT NULL AND ${LOW_HIT}
   UNION ALL
   SELECT DISTINCT ${LOW_CAND}
   FROM ev_changed c
   CROSS JOIN LATERAL unnest(c.part_numbers) AS pn(part)
   JOIN alert_rule r ON r.part_number = pn.part
   JOIN ev_low_stats s ON s.by = 'p' AND s.key = r.part_number AND s.currency = c.currency
               AND s.days = ${LOW_DAYS}
   WHERE r.enabled AND r.type = 'market_low' AND c.raw_total IS NOT NULL AND ${LOW_HIT}`,
];

/** Back-in-stock rules hit by an available changed listing, by listing id or part number. */
const EV_STOCK_HITS = `
CREATE TEMP TABLE ev_stock_hits ON COMMIT DROP AS
SELECT r.id AS rule_id, c.id AS listing_id, r.part_number FROM alert_rule r
JOIN ev_changed c ON c.id = r.listing_id
WHERE r.enabled AND r.type = 'back_in_stock' AND COALESCE(c.quantity_available, 1) > 0
UNION
SELECT r.id, c.id, r.part_number FROM ev_changed c
CROSS JOIN LATERAL unnest(c.part_numbers) AS pn(part)
JOIN alert_rule r ON r.part_number = pn.part AND r.enabled AND r.type = 'back_in_stock'
WHERE COALESCE(c.quantity_available, 1) > 0`;

export const EV_CANDIDATES = [EV_WATCH, ...EV_SEARCH, ...EV_LOW, EV_STOCK_HITS];

/** Observations of listing `c`, latest first (index (listing_id, observed_at DESC, id DESC)). */
const OBS_LATEST_FIRST = `FROM price_observation po WHERE po.listing_id = c.id
     ORDER BY po.observed_at DESC, po.id DESC`;

/**
 * The latest and the previous observation of each listing in a candidate pair (previous price
 * of every event, stock transitions): two index probes per listing, only for the listings of a
 * candidate pair, not for every changed listing. n_obs counts them up to 2.
 */
const EV_OBSERVED = [
  `CREATE TEMP TABLE ev_obs ON COMMIT DROP AS
   SELECT c.id, cur.id AS cur_obs_id, prev.total AS prev_total,
          COALESCE(prev.status <> 'active' OR prev.quantity_available = 0, false) AS prev_out,
          CASE WHEN cur.id IS NULL THEN 0 WHEN prev.status IS NULL THEN 1 ELSE 2 END AS n_obs
   FROM (SELECT listing_id AS id FROM ev_cand UNION SELECT listing_id FROM ev_stock_hits) c
   LEFT JOIN LATERAL (SELECT po.id ${OBS_LATEST_FIRST} LIMIT 1) cur ON true
   LEFT JOIN LATERAL (
     SELECT po.status, po.quantity_available, po.price + COALESCE(po.shipping, 0) AS total
     ${OBS_LATEST_FIRST} OFFSET 1 LIMIT 1
   ) prev ON true`,
  `ANALYZE ev_obs`,
];

/**
 * Back in stock: the listing is available now and its previous observation was not (ended,
 * sold or zero quantity), or, for a part number, it is the first listing of that part on offer:
 * no other active, available listing has the part. That is counted once per part through the
 * part_numbers GIN index (a NOT EXISTS per pair may be planned as a sequential scan expecting an
 * early hit, which for a genuinely new part never comes).
 */
const EV_STOCK = `
WITH parts AS (
  SELECT DISTINCT h.part_number FROM ev_stock_hits h JOIN ev_obs o ON o.id = h.listing_id
  WHERE h.part_number IS NOT NULL AND o.n_obs = 1
),
offered AS (
  SELECT p.part_number, a.n, a.only_id
  FROM parts p
  CROSS JOIN LATERAL (
    SELECT count(*) AS n, max(l4.id) AS only_id FROM listing l4
    WHERE l4.part_numbers @> ARRAY[p.part_number]
      AND l4.status = 'active' AND COALESCE(l4.quantity_available, 1) > 0
  ) a
)
INSERT INTO ev_cand
SELECT h.rule_id, c.id, 'stock', c.ap, c.currency, NULL, 'stock:' || o.cur_obs_id
FROM ev_stock_hits h
JOIN ev_changed c ON c.id = h.listing_id
JOIN ev_obs o ON o.id = h.listing_id
LEFT JOIN offered f ON f.part_number = h.part_number
WHERE o.cur_obs_id IS NOT NULL
  AND (o.prev_out
       OR (h.part_number IS NOT NULL AND o.n_obs = 1
           AND (f.n = 0 OR (f.n = 1 AND f.only_id = c.id))))`;

/**
 * The last event of each candidate pair (one probe per pair on alert_event (listing_id, rule_id,
 * id DESC)), read in its own statement before any event is written: probed from inside the
 * INSERT, a scan would also walk the rows that INSERT has just added (invisible to it, but
 * visited), which grows quadratically with the events of one evaluation.
 */
const EV_LAST = `
CREATE TEMP TABLE ev_last ON COMMIT DROP AS
SELECT cand.rule_id, cand.listing_id, le.price, le.created_at
FROM ev_cand cand
CROSS JOIN LATERAL (
  SELECT le.price, le.created_at FROM alert_event le
  WHERE le.listing_id = cand.listing_id AND le.rule_id = cand.rule_id
  ORDER BY le.id DESC LIMIT 1
) le`;

/** Cooldown, re-arm and the watch drop condition against the pair's last event, then insert. */
export const EV_INSERT = `
WITH inserted AS (
  INSERT INTO alert_event AS e (rule_id, listing_id, trigger_level, kind, price, previous_price,
                                reference_price, currency, status)
  SELECT cand.rule_id, cand.listing_id,
         COALESCE(cand.level, 'p:' || round(cand.price * 100)::bigint), cand.kind, cand.price,
         o.prev_total,
         CASE WHEN cand.kind = 'watch' THEN x.ref ELSE cand.ref END,
         cand.currency,
         CASE WHEN r.delivery = 'immediate' THEN 'queued' ELSE 'pending' END
  FROM ev_cand cand
  JOIN alert_rule r ON r.id = cand.rule_id
  JOIN ev_obs o ON o.id = cand.listing_id
  LEFT JOIN ev_last last ON last.rule_id = cand.rule_id AND last.listing_id = cand.listing_id
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

const EV_SETTINGS = [
  // short statements over modest sets: JIT compilation costs more than it saves here
  `SET LOCAL jit = off`,
  // hashes and sorts over the changed set (100k+ rows) stay in memory instead of spilling
  `SET LOCAL work_mem = '64MB'`,
  // the temp tables are ANALYZEd for row counts and distinct counts to plan joins on, which a
  // 3,000-row sample gives as well as the default 30,000
  `SET LOCAL default_statistics_target = 10`,
];

const EV_STEPS = [
  ...EV_PREPARE,
  ...EV_CANDIDATES,
  ...EV_OBSERVED,
  EV_STOCK,
  EV_LAST,
  `ANALYZE ev_last`,
];

/**
 * One evaluation in four round trips (see AlertsRepository.evaluate): the settings, the changed
 * listings ($1, the only parameter), every further step as one multi-statement script (no
 * parameters, no rows returned: one round trip instead of twenty-odd), then the insert, which
 * returns the counts.
 */
export const EVALUATION = {
  settings: EV_SETTINGS.join(';\n'),
  changed: EV_CHANGED,
  steps: EV_STEPS.join(';\n'),
  insert: EV_INSERT,
};

/** The same statements one by one, in order (to EXPLAIN or time them separately). */
export const EVALUATION_STATEMENTS = [...EV_SETTINGS, EV_CHANGED, ...EV_STEPS, EV_INSERT];

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
