import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { PoolClient } from 'pg';
import { DataSource, type QueryRunner } from 'typeorm';
import { Cursor } from '../common/cursor';
import { SqlParams, rowsOf } from '../common/sql';
import { copyColumns, copyIn, encodeCopyRows } from '../database/copy-text';
import { PRICED_COLUMN_TYPES, type PricedColumns } from '../pricing/listing-pricing';
import { MARK_DIRTY_ON_CONFLICT } from '../pricing/pricing.repository';
import type { IngestResult } from '../queue/queues';
import { ListingEntity } from './listing.entity';
import {
  LISTING_SELECT,
  LISTING_VIEW_SELECT,
  type ListingView,
  type ListingViewColumn,
  OBSERVATION_SELECT,
  toListingEntity,
  toListingView,
  toObservationEntity,
} from './listing-row';
import {
  EQUALS_FILTERS,
  LISTING_ORDERS,
  ListingFilter,
  ListingOrderKey,
  MIN_FILTERS,
  OrderSpec,
} from './listing-query';
import { PriceObservationEntity } from './price-observation.entity';
import type { RawListing } from './raw-listing';

/**
 * A listing row as the upsert writes it (snake-case keys match WRITE_COLUMNS, the staging table).
 * `priced` rows carry freshly computed specs and metrics. Unpriced rows carry none: their pricing
 * inputs hash to the stored `pricing_hash`, so the stored valuation is kept (see UPSERT_SQL).
 */
export interface ListingWriteRow extends Partial<PricedColumns> {
  priced: boolean;
  pricing_hash: string;
  external_id: string;
  title: string;
  url: string | null;
  condition: string | null;
  buying_format: string | null;
  best_offer: boolean;
  bids: number | null;
  ends_at: string | null;
  seller: string | null;
  location: string | null;
  currency: string | null;
  price: number | null;
  price_max: number | null;
  shipping: number | null;
  quantity_available: number | null;
  status: string;
  attributes: Record<string, string>;
  description: string | null;
  image_url: string | null;
}

/**
 * The write row of one listing. `priced` (null: keep the stored valuation) is this row's own fresh
 * object and is extended in place: a spread copy of its ~40 priced columns measured slower than
 * normalizing the title.
 */
export function toWriteRow(
  raw: RawListing,
  priced: PricedColumns | null,
  pricingHash: string,
): ListingWriteRow {
  const row = (priced ?? {}) as ListingWriteRow;
  row.priced = priced !== null;
  row.pricing_hash = pricingHash;
  row.external_id = raw.externalId;
  row.title = raw.title;
  row.url = raw.url ?? null;
  row.condition = raw.condition ?? null;
  row.buying_format = raw.buyingFormat ?? null;
  row.best_offer = raw.bestOffer ?? raw.buyingFormat === 'best_offer';
  row.bids = raw.bids ?? null;
  row.ends_at = raw.endsAt ?? null;
  row.seller = raw.seller ?? null;
  row.location = raw.location ?? null;
  row.currency = raw.currency ?? null;
  row.price = raw.price ?? null;
  row.price_max = raw.priceMax ?? null;
  row.shipping = raw.shipping ?? null;
  row.quantity_available = raw.quantityAvailable ?? null;
  row.status = raw.status ?? 'active';
  row.attributes = raw.attributes ?? {};
  row.description = raw.description ?? null;
  row.image_url = raw.imageUrl ?? null;
  return row;
}

/** The columns of a write row, as loaded into the staging table (see STAGE_TABLE). */
const WRITE_COLUMNS = copyColumns([
  ['priced', 'boolean'],
  ['pricing_hash', 'text'],
  ['external_id', 'text'],
  ['title', 'text'],
  ['url', 'text'],
  ['condition', 'text'],
  ['buying_format', 'text'],
  ['best_offer', 'boolean'],
  ['bids', 'integer'],
  ['ends_at', 'timestamptz'],
  ['seller', 'text'],
  ['location', 'text'],
  ['currency', 'char(3)'],
  ['price', 'numeric'],
  ['price_max', 'numeric'],
  ['shipping', 'numeric'],
  ['quantity_available', 'integer'],
  ['status', 'text'],
  ['attributes', 'jsonb'],
  ['description', 'text'],
  ['image_url', 'text'],
  ...PRICED_COLUMN_TYPES,
]);

/**
 * A batch is loaded with COPY into this session-local table, then upserted from it in one
 * statement (see copy-text.ts for why COPY). Rows go at commit. It is created inside the batch's
 * own transaction when missing, so it also works behind a transaction-pooling proxy; its name
 * carries a digest of the columns, so a server connection that outlives a deploy never meets a
 * table of another shape.
 */
const STAGE_TABLE = `listing_ingest_stage_${createHash('sha1')
  .update(WRITE_COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(','))
  .digest('hex')
  .slice(0, 10)}`;
const CREATE_STAGE_SQL = `CREATE TEMP TABLE IF NOT EXISTS ${STAGE_TABLE} (
  ${WRITE_COLUMNS.map((c) => `${c.name} ${c.sqlType}`).join(', ')}) ON COMMIT DELETE ROWS`;

const PRICED = PRICED_COLUMN_TYPES.map(([c]) => c);

/**
 * What an unpriced row proposes for insertion: it is never inserted (see UPSERT_SQL), but NOT NULL
 * constraints are checked before ON CONFLICT is, so the columns that have one get their default.
 */
const INSERT_DEFAULTS: Partial<Record<string, string>> = {
  lot_quantity: '1',
  part_numbers: `'{}'::text[]`,
  hints: `'{}'::text[]`,
  metric_reasons: `'{}'::jsonb`,
  valuation_version: '0',
};
const INSERT_PRICED = PRICED.map((c) => {
  const d = INSERT_DEFAULTS[c];
  return d ? `COALESCE(i.${c}, ${d})` : `i.${c}`;
});

/** Listing fields pricing reads from the stored row (attributes and description merge). */
export interface StoredPricingInput {
  external_id: string;
  pricing_hash: string | null;
  /** Null when the stored row has none. */
  attributes: Record<string, string> | null;
  description: string | null;
}

/** A stored listing to re-price. */
export interface RepriceRow {
  id: number;
  title: string;
  attributes: Record<string, string>;
  description: string | null;
  price: number | null;
  price_max: number | null;
  shipping: number | null;
  currency: string | null;
  last_seen_at: Date;
  config_key: string | null;
}

const REPRICE_SQL = `
UPDATE listing l SET
  ${PRICED.filter((c) => c !== 'metric_reasons')
    .map((c) => `${c} = r.${c}`)
    .join(',\n  ')},
  discount_to_market = CASE WHEN r.config_key IS NOT DISTINCT FROM l.config_key
    AND r.effective_price IS NOT NULL THEN l.discount_to_market END,
  metric_reasons = r.metric_reasons || CASE
    WHEN r.config_key IS NOT DISTINCT FROM l.config_key AND l.metric_reasons ? 'discountToMarket'
      AND NOT r.metric_reasons ? 'discountToMarket'
    THEN jsonb_build_object('discountToMarket', l.metric_reasons->'discountToMarket')
    ELSE '{}'::jsonb END,
  valued_at = now(), pricing_hash = NULL
FROM json_to_recordset($1::json) AS r(id bigint, ${PRICED_COLUMN_TYPES.map(([c, t]) => `${c} ${t}`).join(', ')})
WHERE l.id = r.id AND l.valuation_version IS DISTINCT FROM r.valuation_version
RETURNING l.id, l.config_key`;

/**
 * The stored listing of this source with external id `idExpr`, as a LATERAL subquery: one probe of
 * the (source_id, external_id) index per input row. The LIMIT keeps the planner from flattening it
 * into a join it may then run as a scan of every listing of the source, which it picks when the
 * statistics still describe a smaller table (a new source's first scrape, a bulk load before
 * autovacuum's next ANALYZE): that made each batch of a 100,000-listing first load cost time in
 * proportion to the rows already loaded.
 */
function storedProbe(idExpr: string, columns: string): string {
  return `SELECT ${columns} FROM listing l
    WHERE l.source_id = $1 AND l.external_id = ${idExpr} LIMIT 1`;
}

/*
 * One statement per batch. New values that a source may omit (shipping, quantity, seller...) keep
 * the stored value: a search card must not erase what an item page told us. Price and status are
 * taken as given. The row is touched only when something differs or it was seen later, so
 * replaying a batch (at-least-once delivery) writes nothing. A price observation is appended when
 * the row is new or its price, shipping or availability changed; the change marker compares the
 * locked current row inside ON CONFLICT, so concurrent batches cannot both miss or double it.
 * The configuration keys of written rows (new key and, when it changed, the old one) are marked
 * in market_dirty_key in the same statement, in key order (no lock-order deadlock between
 * concurrent batches); the debounced market job rebuilds their baselines. A key the job has
 * claimed is set back to unclaimed, so the job's delete keeps it for the next run.
 *
 * Unpriced rows (their pricing inputs hash to the stored pricing_hash) keep every priced column.
 * They are only ever updates: the INSERT skips one whose listing does not exist, and the UPDATE
 * skips one whose stored hash changed meanwhile (a concurrent batch re-priced it). Neither is
 * returned; the caller prices those and writes them again.
 */
/** In ON CONFLICT, whether the proposed row is priced (only unpriced rows propose no valued_at). */
const FRESH = '(EXCLUDED.valued_at IS NOT NULL)';

const UPSERT_SQL = `
WITH input AS (
  SELECT s.*, x.id IS NOT NULL AS stored, x.config_key AS stored_config_key
  FROM ${STAGE_TABLE} s
  LEFT JOIN LATERAL (${storedProbe('s.external_id', 'l.id, l.config_key')}) x ON true
),
upserted AS (
  INSERT INTO listing AS l (
    source_id, external_id, url, title, condition, buying_format, best_offer, bids, ends_at,
    seller, location, currency, price, price_max, shipping, quantity_available, status,
    attributes, description, image_url, first_seen_at, last_seen_at, last_changed_at,
    ended_at, last_run_id, ${PRICED.join(', ')}, valued_at, pricing_hash)
  SELECT $1, i.external_id, i.url, i.title, i.condition, i.buying_format, i.best_offer, i.bids,
    i.ends_at, i.seller, i.location, i.currency, i.price, i.price_max, i.shipping,
    i.quantity_available, i.status, i.attributes, i.description, i.image_url, $2, $2, now(),
    CASE WHEN i.status = 'active' THEN NULL ELSE $2::timestamptz END, $3,
    ${INSERT_PRICED.join(', ')}, CASE WHEN i.priced THEN now() END, i.pricing_hash
  FROM input i
  WHERE i.priced OR i.stored
  ON CONFLICT (source_id, external_id) DO UPDATE SET
    url = COALESCE(EXCLUDED.url, l.url),
    title = EXCLUDED.title,
    condition = COALESCE(EXCLUDED.condition, l.condition),
    buying_format = COALESCE(EXCLUDED.buying_format, l.buying_format),
    best_offer = EXCLUDED.best_offer,
    bids = COALESCE(EXCLUDED.bids, l.bids),
    ends_at = COALESCE(EXCLUDED.ends_at, l.ends_at),
    seller = COALESCE(EXCLUDED.seller, l.seller),
    location = COALESCE(EXCLUDED.location, l.location),
    currency = COALESCE(EXCLUDED.currency, l.currency),
    price = EXCLUDED.price,
    price_max = EXCLUDED.price_max,
    shipping = COALESCE(EXCLUDED.shipping, l.shipping),
    quantity_available = COALESCE(EXCLUDED.quantity_available, l.quantity_available),
    status = EXCLUDED.status,
    attributes = l.attributes || EXCLUDED.attributes,
    description = COALESCE(EXCLUDED.description, l.description),
    image_url = COALESCE(EXCLUDED.image_url, l.image_url),
    last_seen_at = EXCLUDED.last_seen_at,
    last_run_id = COALESCE(EXCLUDED.last_run_id, l.last_run_id),
    ended_at = CASE WHEN EXCLUDED.status = 'active' THEN NULL
                    ELSE COALESCE(l.ended_at, EXCLUDED.last_seen_at) END,
    ${PRICED.filter((c) => c !== 'metric_reasons')
      .map((c) => `${c} = CASE WHEN ${FRESH} THEN EXCLUDED.${c} ELSE l.${c} END`)
      .join(',\n    ')},
    -- the discount (set by the market step) survives while the configuration key stays
    discount_to_market = CASE WHEN NOT ${FRESH} THEN l.discount_to_market
      WHEN EXCLUDED.config_key IS NOT DISTINCT FROM l.config_key
        AND EXCLUDED.effective_price IS NOT NULL THEN l.discount_to_market END,
    metric_reasons = CASE WHEN NOT ${FRESH} THEN l.metric_reasons
      ELSE EXCLUDED.metric_reasons || CASE
      WHEN EXCLUDED.config_key IS NOT DISTINCT FROM l.config_key
        AND l.metric_reasons ? 'discountToMarket' AND NOT EXCLUDED.metric_reasons ? 'discountToMarket'
      THEN jsonb_build_object('discountToMarket', l.metric_reasons->'discountToMarket')
      ELSE '{}'::jsonb END END,
    valued_at = CASE WHEN ${FRESH} THEN now() ELSE l.valued_at END,
    pricing_hash = EXCLUDED.pricing_hash,
    last_changed_at = CASE
      WHEN (l.price, l.price_max, l.shipping, l.status, l.quantity_available, l.currency)
        IS DISTINCT FROM
           (EXCLUDED.price, EXCLUDED.price_max, COALESCE(EXCLUDED.shipping, l.shipping),
            EXCLUDED.status, COALESCE(EXCLUDED.quantity_available, l.quantity_available),
            COALESCE(EXCLUDED.currency, l.currency))
      THEN now() ELSE l.last_changed_at END
  WHERE l.last_seen_at <= EXCLUDED.last_seen_at
    AND (${FRESH} OR l.pricing_hash = EXCLUDED.pricing_hash)
    AND (l.last_seen_at < EXCLUDED.last_seen_at
      OR (${FRESH} AND (l.valuation_version, l.pricing_hash)
          IS DISTINCT FROM (EXCLUDED.valuation_version, EXCLUDED.pricing_hash))
      OR l.last_run_id IS DISTINCT FROM COALESCE(EXCLUDED.last_run_id, l.last_run_id)
      OR (l.title, l.price, l.price_max, l.status, l.best_offer, l.attributes)
         IS DISTINCT FROM
         (EXCLUDED.title, EXCLUDED.price, EXCLUDED.price_max, EXCLUDED.status,
          EXCLUDED.best_offer, l.attributes || EXCLUDED.attributes)
      OR (l.url, l.condition, l.buying_format, l.bids, l.ends_at, l.seller, l.location,
          l.currency, l.shipping, l.quantity_available, l.description, l.image_url)
         IS DISTINCT FROM
         (COALESCE(EXCLUDED.url, l.url), COALESCE(EXCLUDED.condition, l.condition),
          COALESCE(EXCLUDED.buying_format, l.buying_format), COALESCE(EXCLUDED.bids, l.bids),
          COALESCE(EXCLUDED.ends_at, l.ends_at), COALESCE(EXCLUDED.seller, l.seller),
          COALESCE(EXCLUDED.location, l.location), COALESCE(EXCLUDED.currency, l.currency),
          COALESCE(EXCLUDED.shipping, l.shipping),
          COALESCE(EXCLUDED.quantity_available, l.quantity_available),
          COALESCE(EXCLUDED.description, l.description),
          COALESCE(EXCLUDED.image_url, l.image_url)))
  RETURNING l.id, l.external_id, l.config_key, l.currency, l.price, l.price_max, l.shipping, l.status, l.quantity_available,
    (xmax = 0) AS inserted, (l.last_changed_at = now()) AS changed
),
observed AS (
  INSERT INTO price_observation (listing_id, observed_at, currency, price, price_max, shipping,
    status, quantity_available, run_id)
  SELECT u.id, $2, u.currency, u.price, u.price_max, u.shipping, u.status, u.quantity_available, $3
  FROM upserted u
  WHERE u.inserted OR u.changed
  RETURNING listing_id
),
dirty AS (
  INSERT INTO market_dirty_key AS d (config_key)
  SELECT k.config_key FROM (
    SELECT u.config_key FROM upserted u WHERE u.config_key IS NOT NULL
    UNION
    SELECT i.stored_config_key FROM input i JOIN upserted u ON u.external_id = i.external_id
    WHERE i.stored_config_key IS NOT NULL
  ) k
  ORDER BY k.config_key
  ${MARK_DIRTY_ON_CONFLICT}
  RETURNING 1
)
SELECT u.id, u.external_id, u.config_key, u.inserted, u.changed,
  (SELECT count(*) FROM observed)::int AS observations,
  (SELECT count(*) FROM dirty)::int AS marked
FROM upserted u`;

/** $1 source id, $2 external ids: see ListingsRepository.storedForPricing. */
const STORED_FOR_PRICING_SQL = `SELECT x.* FROM unnest($2::text[]) AS e(external_id)
       CROSS JOIN LATERAL (${storedProbe(
         'e.external_id',
         `l.external_id, l.pricing_hash,
         CASE WHEN l.attributes <> '{}'::jsonb THEN l.attributes END AS attributes, l.description`,
       )}) x`;

/** The ingest statements, exported for the tests that check their plans. */
export const INGEST_SQL = {
  createStage: CREATE_STAGE_SQL,
  upsert: UPSERT_SQL,
  storedForPricing: STORED_FOR_PRICING_SQL,
} as const;

/** A row the upsert returns (see UPSERT_SQL). */
interface UpsertedRow {
  id: number;
  external_id: string;
  config_key: string | null;
  inserted: boolean;
  changed: boolean;
  observations: number;
  marked: number;
}

@Injectable()
export class ListingsRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Upserts a batch in one statement and appends price observations for new or changed rows.
   * Duplicate external ids inside a batch keep the last one (a later card wins). `unpricedSkipped`
   * lists the unpriced rows the statement did not write: unchanged replays, and rows whose stored
   * valuation changed meanwhile; the caller prices them and writes them again.
   */
  async upsertBatch(
    sourceId: number,
    observedAt: Date,
    runId: number | null,
    rows: ListingWriteRow[],
  ): Promise<IngestResult & { marked: number; keyed: number; unpricedSkipped: string[] }> {
    const unique = new Map<string, ListingWriteRow>();
    for (const row of rows) unique.set(row.external_id, row);
    if (unique.size === 0) {
      return {
        received: rows.length,
        inserted: 0,
        changed: 0,
        unchanged: 0,
        observations: 0,
        changedListingIds: [],
        marked: 0,
        keyed: 0,
        unpricedSkipped: [],
      };
    }
    const result: UpsertedRow[] = await this.staged(
      encodeCopyRows(unique.values(), WRITE_COLUMNS),
      (q) =>
        q.query(UPSERT_SQL, [sourceId, observedAt.toISOString(), runId]) as Promise<UpsertedRow[]>,
    );
    let inserted = 0;
    let changed = 0;
    let keyed = 0;
    const changedListingIds: number[] = [];
    const written = new Set<string>();
    for (const r of result) {
      written.add(r.external_id);
      if (r.config_key !== null) keyed++;
      if (r.inserted) inserted++;
      else if (r.changed) changed++;
      if (r.inserted || r.changed) changedListingIds.push(r.id);
    }
    return {
      received: rows.length,
      inserted,
      changed,
      unchanged: unique.size - inserted - changed,
      observations: result[0]?.observations ?? 0,
      changedListingIds,
      /** Dirty keys newly inserted or re-marked; `keyed`: written rows that have a key. */
      marked: result[0]?.marked ?? 0,
      keyed,
      unpricedSkipped: [...unique.values()]
        .filter((r) => !r.priced && !written.has(r.external_id))
        .map((r) => r.external_id),
    };
  }

  /**
   * What pricing needs from the stored rows of these listings: the hash of the inputs their
   * valuation was computed from, and the attributes and description a new observation merges
   * into (null when there are none).
   */
  async storedForPricing(
    sourceId: number,
    externalIds: string[],
  ): Promise<Map<string, StoredPricingInput>> {
    if (externalIds.length === 0) return new Map();
    const rows: StoredPricingInput[] = await this.db.query(STORED_FOR_PRICING_SQL, [
      sourceId,
      externalIds,
    ]);
    return new Map(rows.map((r) => [r.external_id, r]));
  }

  /**
   * Runs `write` in a transaction whose staging table holds `rows` (COPY text of WRITE_COLUMNS).
   */
  private async staged<T>(rows: string, write: (q: QueryRunner) => Promise<T>): Promise<T> {
    const q = this.db.createQueryRunner();
    try {
      const client = (await q.connect()) as PoolClient;
      await q.startTransaction();
      try {
        await q.query(CREATE_STAGE_SQL);
        await copyIn(client, STAGE_TABLE, WRITE_COLUMNS, rows);
        const result = await write(q);
        await q.commitTransaction();
        return result;
      } catch (err) {
        // The batch's own error is the one to report, not a failed rollback on a broken connection.
        await q.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    } finally {
      await q.release();
    }
  }

  /** The next `limit` listings (by id, after `afterId`) not valued with `version`. */
  async findStale(version: number, afterId: number, limit: number): Promise<RepriceRow[]> {
    return this.db.query(
      `SELECT id, title, attributes, description, price, price_max, shipping, currency,
         last_seen_at, config_key
       FROM listing WHERE id > $1 AND valuation_version <> $2 ORDER BY id LIMIT $3`,
      [afterId, version, limit],
    );
  }

  async countStale(version: number, upToId?: number): Promise<number> {
    const rows: Array<{ n: number }> = await this.db.query(
      `SELECT count(*)::int AS n FROM listing
       WHERE valuation_version <> $1 AND ($2::bigint IS NULL OR id <= $2)`,
      [version, upToId ?? null],
    );
    return rows[0]?.n ?? 0;
  }

  async hasStale(version: number): Promise<boolean> {
    const rows: unknown[] = await this.db.query(
      'SELECT 1 FROM listing WHERE valuation_version <> $1 LIMIT 1',
      [version],
    );
    return rows.length > 0;
  }

  /** Writes re-priced columns set-based; rows already at that version are left alone. */
  async writePriced(
    rows: Array<PricedColumns & { id: number }>,
  ): Promise<Array<{ id: number; config_key: string | null }>> {
    if (rows.length === 0) return [];
    return rowsOf(await this.db.query(REPRICE_SQL, [JSON.stringify(rows)]));
  }

  /** One page in keyset order; fetches `limit` rows (callers ask for one extra to know hasNext). */
  /**
   * `columns` (from the GraphQL selection, see listing-projection.ts) limits what is read: the
   * views then hold those columns plus the id and the order column, the other properties are
   * undefined. Without it every view column is read.
   */
  async findPage(
    filter: ListingFilter,
    orderKey: ListingOrderKey,
    limit: number,
    after: Cursor | null,
    columns?: readonly ListingViewColumn[] | null,
  ): Promise<ListingView[]> {
    const order: OrderSpec = LISTING_ORDERS[orderKey];
    const p = new SqlParams();
    const where = this.whereClause(filter, p);
    if (after) {
      const cmp = order.direction === 'ASC' ? '>' : '<';
      const id = p.param(after.id);
      if (after.value === null) {
        where.push(`(${order.column} IS NULL AND l.id ${cmp} ${id})`);
      } else {
        const v = `${p.param(after.value)}::${order.cast}`;
        where.push(
          `(${order.column} ${cmp} ${v} OR (${order.column} = ${v} AND l.id ${cmp} ${id}) OR ${order.column} IS NULL)`,
        );
      }
    }
    const select = columns
      ? [...new Set(['l.id', order.column, ...columns.map((c) => `l.${c}`)])].join(', ')
      : LISTING_VIEW_SELECT;
    const sql = `SELECT ${select} FROM listing l
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY ${order.column} ${order.direction} NULLS LAST, l.id ${order.direction}
      LIMIT ${p.param(limit)}`;
    const rows: Record<string, unknown>[] = await this.db.query(sql, p.values);
    return rows.map(toListingView);
  }

  async count(filter: ListingFilter): Promise<number> {
    const p = new SqlParams();
    const where = this.whereClause(filter, p);
    const rows: Array<{ n: number }> = await this.db.query(
      `SELECT count(*)::int AS n FROM listing l ${where.length ? `WHERE ${where.join(' AND ')}` : ''}`,
      p.values,
    );
    return rows[0]?.n ?? 0;
  }

  async findByIds(ids: readonly number[]): Promise<ListingEntity[]> {
    if (ids.length === 0) return [];
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT ${LISTING_SELECT} FROM listing l WHERE l.id = ANY($1::bigint[])`,
      [ids],
    );
    return rows.map(toListingEntity);
  }

  /** Latest `limit` observations of each listing, newest first, in one statement. */
  async priceHistory(
    listingIds: readonly number[],
    limit: number,
  ): Promise<Map<number, PriceObservationEntity[]>> {
    const out = new Map<number, PriceObservationEntity[]>();
    for (const id of listingIds) out.set(id, []);
    if (listingIds.length === 0) return out;
    const rows: Record<string, unknown>[] = await this.db.query(
      `SELECT * FROM (
         SELECT ${OBSERVATION_SELECT},
           row_number() OVER (PARTITION BY o.listing_id ORDER BY o.observed_at DESC, o.id DESC) AS rn
         FROM price_observation o WHERE o.listing_id = ANY($1::bigint[])
       ) h WHERE h.rn <= $2 ORDER BY h.listing_id, h.observed_at DESC, h.id DESC`,
      [listingIds, limit],
    );
    for (const r of rows) {
      const o = toObservationEntity(r);
      out.get(o.listingId)?.push(o);
    }
    return out;
  }

  private whereClause(f: ListingFilter, p: SqlParams): string[] {
    const w: string[] = [];
    if (f.sourceIds?.length) w.push(`l.source_id = ANY(${p.param(f.sourceIds)}::int[])`);
    if (f.statuses?.length) w.push(`l.status = ANY(${p.param(f.statuses)}::text[])`);
    if (f.search) w.push(`l.title ILIKE ${p.param(`%${escapeLike(f.search)}%`)}`);
    if (f.priceMin !== undefined) w.push(`l.price >= ${p.param(f.priceMin)}`);
    if (f.priceMax !== undefined) w.push(`l.price <= ${p.param(f.priceMax)}`);
    if (f.currency) w.push(`l.currency = ${p.param(f.currency)}`);
    if (f.seenSince) w.push(`l.last_seen_at >= ${p.param(f.seenSince.toISOString())}`);
    for (const [key, column] of Object.entries(EQUALS_FILTERS)) {
      const v = f[key as keyof typeof EQUALS_FILTERS];
      if (v) w.push(`lower(${column}) = lower(${p.param(v)})`);
    }
    for (const [key, column] of Object.entries(MIN_FILTERS)) {
      const v = f[key as keyof typeof MIN_FILTERS];
      if (v !== undefined && v !== null) w.push(`${column} >= ${p.param(v)}`);
    }
    if (f.sellerLocation) {
      w.push(`l.location ILIKE ${p.param(`%${escapeLike(f.sellerLocation)}%`)}`);
    }
    return w;
  }
}

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
