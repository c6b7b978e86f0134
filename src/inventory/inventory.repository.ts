import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource, EntityManager } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { DomainError } from '../common/errors';
import { SqlParams, rowsOf } from '../common/sql';
import {
  idempotencyConflict,
  insufficientStock,
  locationNotFound,
  reservationClosed,
  reservationExpired,
  reservationNotFound,
} from './inventory.errors';
import { LocationStock, allocate } from './inventory-rules';

export interface PartRow {
  id: number;
  part_number: string;
  manufacturer: string | null;
  aliases: string[];
  kind: string;
  description: string | null;
  compatible_chassis: string[];
  chassis_keys: string[];
  min_stock: number;
  min_stock_by_site: Record<string, number>;
  serial_tracked: boolean;
  created_at: Date;
  updated_at: Date;
}

export interface PartWrite {
  partNumber: string;
  manufacturer: string | null;
  aliases: string[];
  kind: string;
  description: string | null;
  compatibleChassis: string[];
  chassisKeys: string[];
  minStock: number;
  minStockBySite: Record<string, number>;
  serialTracked: boolean;
  /** Normalized keys of the part number and every alias. */
  keys: string[];
}

export interface LocationRow {
  id: number;
  site: string;
  room: string;
  rack: string;
  bin: string;
  created_at: Date;
}

export interface LevelRow {
  part_id: number;
  location_id: number;
  on_hand: number;
  reserved: number;
  updated_at: Date;
  site: string;
  room: string;
  rack: string;
  bin: string;
}

export type ReservationStatus = 'held' | 'consumed' | 'released' | 'expired';

export interface ReservationRow {
  id: number;
  part_id: number;
  site: string;
  location_id: number | null;
  quantity: number;
  for_kind: string;
  for_ref: string;
  note: string | null;
  actor: string;
  actor_key_id: number | null;
  status: ReservationStatus;
  expires_at: Date;
  created_at: Date;
  closed_at: Date | null;
  closed_by: string | null;
  idempotency_key: string | null;
  request_hash: string | null;
}

export interface ReservationLineRow {
  reservation_id: number;
  location_id: number;
  quantity: number;
}

export interface MovementRow {
  id: number;
  at: Date;
  kind: string;
  part_id: number;
  location_id: number;
  on_hand_delta: number;
  reserved_delta: number;
  reservation_id: number | null;
  actor: string;
  reason: string | null;
  reference: string | null;
  serials: string[] | null;
}

export interface StockAlertRow {
  id: number;
  part_id: number;
  site: string;
  available: number;
  minimum: number;
  created_at: Date;
  updated_at: Date;
  notified_at: Date | null;
  resolved_at: Date | null;
}

export interface ListingMatchRow {
  id: number;
  title: string;
  url: string | null;
  currency: string | null;
  price: number | null;
  effective_price: number | null;
  part_numbers: string[];
  seller: string | null;
  condition: string | null;
  matched_by: 'part_number' | 'title';
}

export interface ReserveRequest {
  partId: number;
  partNumber: string;
  serialTracked: boolean;
  site: string;
  locationId: number | null;
  quantity: number;
  forKind: string;
  forRef: string;
  note: string | null;
  actor: string;
  actorKeyId: number | null;
  ttlMs: number;
  idempotencyKey: string | null;
  requestHash: string | null;
}

/** A reservation attempt in one statement: the part is named by its key, not yet looked up. */
export interface ReserveAttempt {
  partKey: string;
  site: string;
  locationId: number | null;
  quantity: number;
  forKind: string;
  forRef: string;
  note: string | null;
  actor: string;
  actorKeyId: number | null;
  ttlMs: number;
  idempotencyKey: string | null;
  /** requestHash of the arguments cut around the part id (see requestHashAround). */
  hashAround: { before: string; after: string } | null;
}

export type PartMinimums = Pick<PartRow, 'min_stock' | 'min_stock_by_site'>;

/** What one reservation attempt found and did; nothing was written unless `reservation`. */
export interface ReserveAttemptResult {
  part: (PartMinimums & Pick<PartRow, 'id' | 'part_number' | 'serial_tracked'>) | null;
  /** The site of the named location (null when it does not exist or none was named). */
  locationSite: string | null;
  siteExists: boolean;
  /** A reservation already holds the idempotency key: a replay or a conflict, nothing written. */
  keyTaken: boolean;
  /** Free units of the part where it may be taken from, as the statement saw them. */
  available: number;
  /** The new reservation (held), when one location could hold the whole quantity. */
  reservation: ReservationRow | null;
}

export interface Actor {
  name: string;
  keyId: number | null;
}

interface MovementInsert {
  kind: string;
  partId: number;
  locationId: number;
  onHand: number;
  reserved: number;
  reservationId?: number | null;
  actor: string;
  reason?: string | null;
  reference?: string | null;
  serials?: string[] | null;
}

export interface ReconcileReport {
  levels: number;
  movements: number;
  reservations: number;
  problems: string[];
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * The one-statement reservation (see InventoryRepository.reserveAttempt). Parameters: $1 part
 * key, $2 site, $3 location id or null, $4 quantity, $5 for kind, $6 for ref, $7 note, $8 actor,
 * $9 idempotency key or null, $10 actor key id, $11 ttl in ms, $12/$13 the request hash text
 * around the part id, $14 movement reference. Columns are listed (no *) so that the prepared
 * statement's result type cannot change under it. Writes happen only through `upd`: no stock
 * taken, no reservation, line or movement.
 */
const RESERVE_ATTEMPT_SQL = `
  WITH pt AS (
    SELECT p.id, p.part_number, p.serial_tracked, p.min_stock, p.min_stock_by_site
    FROM part_number_key k JOIN part p ON p.id = k.part_id WHERE k.key = $1::text
  ), prior AS (
    SELECT FROM reservation WHERE idempotency_key = $9::text
  ), stock AS (
    SELECT sl.location_id, sl.on_hand - sl.reserved AS available
    FROM stock_level sl JOIN pt ON pt.id = sl.part_id
    JOIN stock_location l ON l.id = sl.location_id
    WHERE l.site = $2::text AND ($3::int IS NULL OR sl.location_id = $3::int)
  ), pick AS (
    SELECT s.location_id FROM stock s, pt
    WHERE s.available >= $4::int AND NOT pt.serial_tracked AND NOT EXISTS (SELECT FROM prior)
    ORDER BY s.available, s.location_id LIMIT 1
  ), upd AS (
    UPDATE stock_level sl SET reserved = sl.reserved + $4::int, updated_at = now()
    FROM pick WHERE sl.part_id = (SELECT id FROM pt) AND sl.location_id = pick.location_id
      AND sl.on_hand - sl.reserved >= $4::int
    RETURNING sl.part_id, sl.location_id
  ), res AS (
    INSERT INTO reservation (part_id, site, location_id, quantity, for_kind, for_ref, note,
      actor, actor_key_id, expires_at, idempotency_key, request_hash)
    SELECT upd.part_id, $2::text, $3::int, $4::int, $5::text, $6::text, $7::text, $8::text,
      $10::int, now() + $11::float8 * interval '1 millisecond', $9::text,
      CASE WHEN $9::text IS NOT NULL THEN substr(encode(sha256(convert_to(
        $12::text || upd.part_id::text || $13::text, 'UTF8')), 'hex'), 1, 32) END
    FROM upd
    RETURNING id, part_id, site, location_id, quantity, for_kind, for_ref, note, actor,
      actor_key_id, status, expires_at, created_at, closed_at, closed_by, idempotency_key,
      request_hash
  ), line AS (
    INSERT INTO reservation_line (reservation_id, location_id, quantity)
    SELECT res.id, upd.location_id, $4::int FROM res, upd
  ), mv AS (
    INSERT INTO stock_movement (kind, part_id, location_id, on_hand_delta, reserved_delta,
      reservation_id, actor, reference)
    SELECT 'reserve', upd.part_id, upd.location_id, 0, $4::int, res.id, $8::text, $14::text
    FROM res, upd
  )
  SELECT res.id, res.part_id, res.site, res.location_id, res.quantity, res.for_kind,
    res.for_ref, res.note, res.actor, res.actor_key_id, res.status, res.expires_at,
    res.created_at, res.closed_at, res.closed_by, res.idempotency_key, res.request_hash,
    pt.id AS x_part_id, pt.part_number AS x_part_number, pt.serial_tracked AS x_serial_tracked,
    pt.min_stock AS x_min_stock, pt.min_stock_by_site AS x_min_stock_by_site,
    (SELECT site FROM stock_location WHERE id = $3::int) AS x_location_site,
    EXISTS (SELECT FROM stock_location WHERE site = $2::text) AS x_site_exists,
    EXISTS (SELECT FROM prior) AS x_key_taken,
    (SELECT COALESCE(sum(GREATEST(available, 0)), 0)::int FROM stock) AS x_available
  FROM (SELECT) one LEFT JOIN pt ON true LEFT JOIN res ON true`;

/** A row of RESERVE_ATTEMPT_SQL: the new reservation (all null when none) and what was seen. */
type ReserveStatementRow = { [K in keyof ReservationRow]: ReservationRow[K] | null } & {
  x_part_id: number | null;
  x_part_number: string | null;
  x_serial_tracked: boolean | null;
  x_min_stock: number | null;
  x_min_stock_by_site: Record<string, number> | null;
  x_location_site: string | null;
  x_site_exists: boolean;
  x_key_taken: boolean;
  x_available: number;
};

/** All inventory SQL. Every stock change happens in one transaction with its movement rows. */

/** Advisory lock key serializing low-stock evaluations (any fixed bigint unique to this use). */
const LOW_STOCK_LOCK = 7_207_113_001;

@Injectable()
export class InventoryRepository {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  /**
   * Runs fn in a transaction, retrying on deadlock/serialization failure (nothing was committed),
   * with a short jittered backoff so contending transactions stop colliding.
   */
  async tx<T>(fn: (m: EntityManager) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction(fn);
      } catch (e) {
        const err = e as { code?: string; driverError?: { code?: string } };
        const code = err.code ?? err.driverError?.code;
        if (attempt < 10 && code && RETRYABLE.has(code)) {
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        throw e;
      }
    }
  }

  // ---------------------------------------------------------------- parts

  async insertPart(p: PartWrite): Promise<PartRow> {
    return this.tx(async (m) => {
      const [row] = rowsOf<PartRow>(
        await m.query(
          `INSERT INTO part (part_number, manufacturer, aliases, kind, description,
             compatible_chassis, chassis_keys, min_stock, min_stock_by_site, serial_tracked)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING *`,
          partValues(p),
        ),
      );
      await this.claimKeys(m, row!.id, p.keys);
      return row!;
    });
  }

  async updatePart(id: number, p: PartWrite): Promise<PartRow> {
    return this.tx(async (m) => {
      const [row] = rowsOf<PartRow>(
        await m.query(
          `UPDATE part SET part_number = $1, manufacturer = $2, aliases = $3, kind = $4,
             description = $5, compatible_chassis = $6, chassis_keys = $7, min_stock = $8,
             min_stock_by_site = $9, serial_tracked = $10, updated_at = now()
           WHERE id = $11 RETURNING *`,
          [...partValues(p), id],
        ),
      );
      await m.query(`DELETE FROM part_number_key WHERE part_id = $1`, [id]);
      await this.claimKeys(m, id, p.keys);
      return row!;
    });
  }

  private async claimKeys(m: EntityManager, partId: number, keys: string[]): Promise<void> {
    const claimed = rowsOf<{ key: string }>(
      await m.query(
        `INSERT INTO part_number_key (key, part_id) SELECT k, $2 FROM unnest($1::text[]) k
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [keys, partId],
      ),
    );
    if (claimed.length !== keys.length) {
      const taken = keys.filter((k) => !claimed.some((c) => c.key === k));
      const [owner] = rowsOf<{ part_number: string }>(
        await m.query(
          `SELECT p.part_number FROM part_number_key k JOIN part p ON p.id = k.part_id
           WHERE k.key = $1`,
          [taken[0]],
        ),
      );
      throw new DomainError(
        'CONFLICT',
        `part number ${taken.join(', ')} already belongs to part ${owner?.part_number ?? '?'}`,
        'PART_NUMBER_TAKEN',
        { keys: taken, partNumber: owner?.part_number },
      );
    }
  }

  async partByKey(key: string): Promise<PartRow | null> {
    const [row] = rowsOf<PartRow>(
      await this.db.query(
        `SELECT p.* FROM part_number_key k JOIN part p ON p.id = k.part_id WHERE k.key = $1`,
        [key],
      ),
    );
    return row ?? null;
  }

  async partsByIds(ids: readonly number[]): Promise<PartRow[]> {
    return rowsOf<PartRow>(
      await this.db.query(`SELECT * FROM part WHERE id = ANY($1::int[])`, [ids]),
    );
  }

  async listParts(f: {
    kind?: string;
    search?: string;
    chassisKey?: string;
    limit: number;
  }): Promise<PartRow[]> {
    const sql = new SqlParams();
    const where: string[] = [];
    if (f.kind) where.push(`lower(kind) = lower(${sql.param(f.kind)})`);
    if (f.chassisKey) where.push(`chassis_keys @> ARRAY[${sql.param(f.chassisKey)}]::text[]`);
    if (f.search) {
      const s = sql.param(`%${f.search.replace(/[\\%_]/g, '\\$&')}%`);
      where.push(
        `(part_number ILIKE ${s} OR description ILIKE ${s} OR manufacturer ILIKE ${s}
          OR array_to_string(aliases, ' ') ILIKE ${s})`,
      );
    }
    return rowsOf<PartRow>(
      await this.db.query(
        `SELECT * FROM part ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY part_number, id LIMIT ${sql.param(f.limit)}`,
        sql.values,
      ),
    );
  }

  async partsForChassis(keys: string[]): Promise<PartRow[]> {
    return rowsOf<PartRow>(
      await this.db.query(
        `SELECT * FROM part WHERE chassis_keys && $1::text[] ORDER BY kind, part_number`,
        [keys],
      ),
    );
  }

  async fleetNeedChassis(id: number): Promise<string[] | null> {
    try {
      const [row] = rowsOf<{ allowed_chassis: string[] }>(
        await this.db.query(`SELECT allowed_chassis FROM fleet_need WHERE id = $1`, [id]),
      );
      return row ? row.allowed_chassis : null;
    } catch (e) {
      if ((e as { code?: string }).code === '42P01') return null;
      throw e;
    }
  }

  // ------------------------------------------------------------ locations

  async insertLocation(l: {
    site: string;
    room: string;
    rack: string;
    bin: string;
  }): Promise<LocationRow> {
    const [row] = rowsOf<LocationRow>(
      await this.db.query(
        `INSERT INTO stock_location (site, room, rack, bin) VALUES ($1, $2, $3, $4)
         ON CONFLICT (site, room, rack, bin) DO NOTHING RETURNING *`,
        [l.site, l.room, l.rack, l.bin],
      ),
    );
    if (row) return row;
    const [existing] = rowsOf<LocationRow>(
      await this.db.query(
        `SELECT * FROM stock_location WHERE site = $1 AND room = $2 AND rack = $3 AND bin = $4`,
        [l.site, l.room, l.rack, l.bin],
      ),
    );
    return existing!;
  }

  async locations(site?: string): Promise<LocationRow[]> {
    return rowsOf<LocationRow>(
      await this.db.query(
        `SELECT * FROM stock_location WHERE ($1::text IS NULL OR site = $1)
         ORDER BY site, room, rack, bin`,
        [site ?? null],
      ),
    );
  }

  async locationsByIds(ids: readonly number[]): Promise<LocationRow[]> {
    return rowsOf<LocationRow>(
      await this.db.query(`SELECT * FROM stock_location WHERE id = ANY($1::int[])`, [ids]),
    );
  }

  async siteExists(site: string): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await this.db.query(`SELECT 1 FROM stock_location WHERE site = $1 LIMIT 1`, [site]),
    );
    return rows.length > 0;
  }

  // ---------------------------------------------------------------- stock

  async levels(partId: number, site?: string): Promise<LevelRow[]> {
    return rowsOf<LevelRow>(
      await this.db.query(
        `SELECT sl.*, l.site, l.room, l.rack, l.bin FROM stock_level sl
         JOIN stock_location l ON l.id = sl.location_id
         WHERE sl.part_id = $1 AND ($2::text IS NULL OR l.site = $2)
         ORDER BY l.site, l.room, l.rack, l.bin`,
        [partId, site ?? null],
      ),
    );
  }

  /** Available units per (part, site) for the given parts. */
  async availableBySite(
    partIds: number[],
  ): Promise<Array<{ part_id: number; site: string; on_hand: number; available: number }>> {
    return rowsOf(
      await this.db.query(
        `SELECT sl.part_id, l.site, sum(sl.on_hand)::int AS on_hand,
           sum(sl.on_hand - sl.reserved)::int AS available
         FROM stock_level sl JOIN stock_location l ON l.id = sl.location_id
         WHERE sl.part_id = ANY($1::int[]) GROUP BY sl.part_id, l.site`,
        [partIds],
      ),
    );
  }

  async sites(): Promise<string[]> {
    const rows = rowsOf<{ site: string }>(
      await this.db.query(`SELECT DISTINCT site FROM stock_location ORDER BY site`),
    );
    return rows.map((r) => r.site);
  }

  /**
   * Claims an idempotency key for a receive/adjust/transfer inside the transaction. Returns
   * true when this call is a replay of the same request (the caller then changes nothing).
   */
  private async claimRequest(
    m: EntityManager,
    key: string | null,
    operation: string,
    hash: string,
  ): Promise<boolean> {
    if (!key) return false;
    const inserted = rowsOf<unknown>(
      await m.query(
        `INSERT INTO inventory_request (key, operation, request_hash) VALUES ($1, $2, $3)
         ON CONFLICT (key) DO NOTHING RETURNING key`,
        [key, operation, hash],
      ),
    );
    if (inserted.length) return false;
    const [prior] = rowsOf<{ operation: string; request_hash: string }>(
      await m.query(`SELECT operation, request_hash FROM inventory_request WHERE key = $1`, [key]),
    );
    if (prior && prior.operation === operation && prior.request_hash === hash) return true;
    throw idempotencyConflict(key);
  }

  private async insertMovements(m: EntityManager, rows: MovementInsert[]): Promise<void> {
    if (!rows.length) return;
    await m.query(
      `INSERT INTO stock_movement (kind, part_id, location_id, on_hand_delta, reserved_delta,
         reservation_id, actor, reason, reference, serials)
       SELECT r.kind, r.part_id, r.location_id, r.on_hand_delta, r.reserved_delta,
         r.reservation_id, r.actor, r.reason, r.reference, r.serials
       FROM jsonb_to_recordset($1::jsonb) AS r(kind text, part_id int, location_id int,
         on_hand_delta int, reserved_delta int, reservation_id bigint, actor text, reason text,
         reference text, serials text[])`,
      [
        JSON.stringify(
          rows.map((r) => ({
            kind: r.kind,
            part_id: r.partId,
            location_id: r.locationId,
            on_hand_delta: r.onHand,
            reserved_delta: r.reserved,
            reservation_id: r.reservationId ?? null,
            actor: r.actor,
            reason: r.reason ?? null,
            reference: r.reference ?? null,
            serials: r.serials?.length ? r.serials : null,
          })),
        ),
      ],
    );
  }

  private async lockedLocation(m: EntityManager, id: number): Promise<LocationRow> {
    const [loc] = rowsOf<LocationRow>(
      await m.query(`SELECT * FROM stock_location WHERE id = $1`, [id]),
    );
    if (!loc) throw locationNotFound(id);
    return loc;
  }

  /** Adds received units (and their serials) to a location. */
  async receive(r: {
    partId: number;
    locationId: number;
    quantity: number;
    serials: string[] | null;
    actor: string;
    reason: string | null;
    reference: string | null;
    idempotencyKey: string | null;
    hash: string;
  }): Promise<{ replayed: boolean }> {
    return this.tx(async (m) => {
      if (await this.claimRequest(m, r.idempotencyKey, 'receive', r.hash)) {
        return { replayed: true };
      }
      await this.lockedLocation(m, r.locationId);
      await m.query(
        `INSERT INTO stock_level (part_id, location_id, on_hand) VALUES ($1, $2, $3)
         ON CONFLICT (part_id, location_id)
         DO UPDATE SET on_hand = stock_level.on_hand + EXCLUDED.on_hand, updated_at = now()`,
        [r.partId, r.locationId, r.quantity],
      );
      if (r.serials) await this.insertSerials(m, r.partId, r.locationId, r.serials);
      await this.insertMovements(m, [
        {
          kind: 'receive',
          partId: r.partId,
          locationId: r.locationId,
          onHand: r.quantity,
          reserved: 0,
          actor: r.actor,
          reason: r.reason,
          reference: r.reference,
          serials: r.serials,
        },
      ]);
      return { replayed: false };
    });
  }

  private async insertSerials(
    m: EntityManager,
    partId: number,
    locationId: number,
    serials: string[],
  ): Promise<void> {
    const inserted = rowsOf<{ serial: string }>(
      await m.query(
        `INSERT INTO serial_unit (part_id, serial, location_id)
         SELECT $1, s, $2 FROM unnest($3::text[]) s
         ON CONFLICT (part_id, serial) DO NOTHING RETURNING serial`,
        [partId, locationId, serials],
      ),
    );
    if (inserted.length !== serials.length) {
      const dup = serials.filter((s) => !inserted.some((i) => i.serial === s));
      throw new DomainError(
        'CONFLICT',
        `serial number(s) already recorded for this part: ${dup.join(', ')}`,
        'SERIAL_EXISTS',
        { serials: dup },
      );
    }
  }

  /**
   * Takes free serialized units out of a location: the named ones (which must be free there)
   * or, when none are named, the oldest free ones. Returns their serials.
   */
  private async takeSerials(
    m: EntityManager,
    partId: number,
    locationId: number,
    count: number,
    named: string[] | null,
    set: {
      status: 'reserved' | 'removed' | 'in_stock';
      reservationId?: number;
      toLocation?: number;
    },
  ): Promise<string[]> {
    const rows = rowsOf<{ serial: string }>(
      await m.query(
        `UPDATE serial_unit SET status = $5, reservation_id = $6,
           location_id = COALESCE($7, location_id), updated_at = now()
         WHERE id IN (
           SELECT id FROM serial_unit
           WHERE part_id = $1 AND location_id = $2 AND status = 'in_stock'
             AND ($4::text[] IS NULL OR serial = ANY($4::text[]))
           ORDER BY id LIMIT $3 FOR UPDATE)
         RETURNING serial`,
        [
          partId,
          locationId,
          count,
          named,
          set.status,
          set.reservationId ?? null,
          set.toLocation ?? null,
        ],
      ),
    );
    if (rows.length !== count) {
      throw new DomainError(
        'CONFLICT',
        named
          ? `serial number(s) not free at location ${locationId}: ${named
              .filter((s) => !rows.some((r) => r.serial === s))
              .join(', ')}`
          : `the serialized units at location ${locationId} do not match its stock level`,
        'SERIAL_NOT_AVAILABLE',
        { locationId },
      );
    }
    return rows.map((r) => r.serial);
  }

  /** Counts stock up (found, returned) or down (lost, damaged); never below what is reserved. */
  async adjust(r: {
    partId: number;
    partNumber: string;
    serialTracked: boolean;
    locationId: number;
    delta: number;
    serials: string[] | null;
    actor: string;
    reason: string;
    reference: string | null;
    idempotencyKey: string | null;
    hash: string;
  }): Promise<{ replayed: boolean }> {
    return this.tx(async (m) => {
      if (await this.claimRequest(m, r.idempotencyKey, 'adjust', r.hash)) {
        return { replayed: true };
      }
      const loc = await this.lockedLocation(m, r.locationId);
      let serials = r.serials;
      if (r.delta > 0) {
        await m.query(
          `INSERT INTO stock_level (part_id, location_id, on_hand) VALUES ($1, $2, $3)
           ON CONFLICT (part_id, location_id)
           DO UPDATE SET on_hand = stock_level.on_hand + EXCLUDED.on_hand, updated_at = now()`,
          [r.partId, r.locationId, r.delta],
        );
        if (serials) await this.insertSerials(m, r.partId, r.locationId, serials);
      } else {
        const n = -r.delta;
        const updated = rowsOf<unknown>(
          await m.query(
            `UPDATE stock_level SET on_hand = on_hand - $3, updated_at = now()
             WHERE part_id = $1 AND location_id = $2 AND on_hand - reserved >= $3
             RETURNING part_id`,
            [r.partId, r.locationId, n],
          ),
        );
        if (!updated.length) {
          const available = await this.availableAt(m, r.partId, r.locationId);
          throw insufficientStock(r.partNumber, locationLabel(loc), n, available);
        }
        if (r.serialTracked) {
          serials = await this.takeSerials(m, r.partId, r.locationId, n, serials, {
            status: 'removed',
          });
        }
      }
      await this.insertMovements(m, [
        {
          kind: 'adjust',
          partId: r.partId,
          locationId: r.locationId,
          onHand: r.delta,
          reserved: 0,
          actor: r.actor,
          reason: r.reason,
          reference: r.reference,
          serials,
        },
      ]);
      return { replayed: false };
    });
  }

  /** Moves free units between locations (possibly across sites). */
  async transfer(r: {
    partId: number;
    partNumber: string;
    serialTracked: boolean;
    fromLocationId: number;
    toLocationId: number;
    quantity: number;
    serials: string[] | null;
    actor: string;
    reason: string | null;
    reference: string | null;
    idempotencyKey: string | null;
    hash: string;
  }): Promise<{ replayed: boolean }> {
    return this.tx(async (m) => {
      if (await this.claimRequest(m, r.idempotencyKey, 'transfer', r.hash)) {
        return { replayed: true };
      }
      const from = await this.lockedLocation(m, r.fromLocationId);
      await this.lockedLocation(m, r.toLocationId);
      await m.query(
        `INSERT INTO stock_level (part_id, location_id) VALUES ($1, $2)
         ON CONFLICT (part_id, location_id) DO NOTHING`,
        [r.partId, r.toLocationId],
      );
      // Lock both rows in location order so crossing transfers cannot deadlock.
      await m.query(
        `SELECT 1 FROM stock_level WHERE part_id = $1 AND location_id = ANY($2::int[])
         ORDER BY location_id FOR UPDATE`,
        [r.partId, [r.fromLocationId, r.toLocationId]],
      );
      const moved = rowsOf<unknown>(
        await m.query(
          `UPDATE stock_level SET on_hand = on_hand - $3, updated_at = now()
           WHERE part_id = $1 AND location_id = $2 AND on_hand - reserved >= $3
           RETURNING part_id`,
          [r.partId, r.fromLocationId, r.quantity],
        ),
      );
      if (!moved.length) {
        const available = await this.availableAt(m, r.partId, r.fromLocationId);
        throw insufficientStock(r.partNumber, locationLabel(from), r.quantity, available);
      }
      await m.query(
        `UPDATE stock_level SET on_hand = on_hand + $3, updated_at = now()
         WHERE part_id = $1 AND location_id = $2`,
        [r.partId, r.toLocationId, r.quantity],
      );
      let serials: string[] | null = null;
      if (r.serialTracked) {
        serials = await this.takeSerials(m, r.partId, r.fromLocationId, r.quantity, r.serials, {
          status: 'in_stock',
          toLocation: r.toLocationId,
        });
      }
      const base = {
        kind: 'transfer',
        partId: r.partId,
        reserved: 0,
        actor: r.actor,
        reason: r.reason,
        reference: r.reference,
        serials,
      };
      await this.insertMovements(m, [
        { ...base, locationId: r.fromLocationId, onHand: -r.quantity },
        { ...base, locationId: r.toLocationId, onHand: r.quantity },
      ]);
      return { replayed: false };
    });
  }

  private async availableAt(m: EntityManager, partId: number, locationId: number) {
    const [row] = rowsOf<{ available: number }>(
      await m.query(
        `SELECT on_hand - reserved AS available FROM stock_level
         WHERE part_id = $1 AND location_id = $2`,
        [partId, locationId],
      ),
    );
    return row?.available ?? 0;
  }

  // --------------------------------------------------------- reservations

  /**
   * The common reservation in a single statement (one round trip, atomic on its own): looks the
   * part up by key, checks the site or location, and when one location has enough free units
   * takes them with a guarded update (`on_hand - reserved >= n`, re-checked on the latest row
   * version under its lock, so concurrent attempts never oversell) and inserts the reservation,
   * its line and its movement. Serial-tracked parts, quantities that must be spread over
   * locations and lost races write nothing and are left to `reserve` (locking path).
   *
   * Idempotency: a key already stored (as of the statement's snapshot) writes nothing and is
   * reported as `keyTaken`. Two first uses racing on one key both take stock, but the second
   * insert hits the key's unique index and its whole statement rolls back; the attempt then
   * runs again and sees the key taken.
   */
  async reserveAttempt(a: ReserveAttempt): Promise<ReserveAttemptResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.reserveStatement(a);
      } catch (e) {
        const { code, constraint } = e as { code?: string; constraint?: string };
        // The key was stored by a racing first use: run again, the key is now seen as taken.
        const keyRace = code === '23505' && constraint === 'reservation_idempotency_key_key';
        if (attempt < 10 && keyRace) continue;
        if (attempt < 10 && code && RETRYABLE.has(code)) {
          await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
          continue;
        }
        throw e;
      }
    }
  }

  private async reserveStatement(a: ReserveAttempt): Promise<ReserveAttemptResult> {
    const { rows } = await this.pool.query<ReserveStatementRow>({
      name: 'inventory-reserve-attempt-v1',
      text: RESERVE_ATTEMPT_SQL,
      values: [
        a.partKey,
        a.site,
        a.locationId,
        a.quantity,
        a.forKind,
        a.forRef,
        a.note,
        a.actor,
        a.idempotencyKey,
        a.actorKeyId,
        a.ttlMs,
        a.hashAround?.before ?? null,
        a.hashAround?.after ?? null,
        `${a.forKind}:${a.forRef}`,
      ],
    });
    const {
      x_part_id,
      x_part_number,
      x_serial_tracked,
      x_min_stock,
      x_min_stock_by_site,
      x_location_site,
      x_site_exists,
      x_key_taken,
      x_available,
      ...reservation
    } = rows[0]!;
    return {
      part:
        x_part_id === null
          ? null
          : {
              id: x_part_id,
              part_number: x_part_number!,
              serial_tracked: x_serial_tracked!,
              min_stock: x_min_stock!,
              min_stock_by_site: x_min_stock_by_site!,
            },
      locationSite: x_location_site,
      siteExists: x_site_exists,
      keyTaken: x_key_taken,
      available: x_available,
      reservation: reservation.id === null ? null : (reservation as ReservationRow),
    };
  }

  /**
   * node-postgres' pool behind TypeORM. Used directly for named statements, which PostgreSQL
   * parses and plans once per connection instead of on every call (planning the reservation
   * statement costs several times its execution).
   */
  private get pool(): Pool {
    return (this.db.driver as PostgresDriver).master as Pool;
  }

  async reservationByKey(key: string): Promise<ReservationRow | null> {
    const [row] = rowsOf<ReservationRow>(
      await this.db.query(`SELECT * FROM reservation WHERE idempotency_key = $1`, [key]),
    );
    return row ?? null;
  }

  /**
   * Reserves in one transaction: the path for what reserveAttempt leaves (serial-tracked
   * parts, quantities spread over locations, lost races). The reservation row is inserted
   * first so that concurrent replays of one idempotency key serialize on its unique index (a
   * replay returns the existing row, `replayed: true`, and writes nothing). Stock is taken by
   * guarded updates (`on_hand - reserved >= n`): the fast path picks one location that can
   * hold the whole quantity in a single UPDATE; otherwise the part's rows in the site are
   * locked in location order and the quantity is spread over them. A refusal rolls
   * everything back.
   */
  async reserve(r: ReserveRequest): Promise<{ reservation: ReservationRow; replayed: boolean }> {
    return this.tx(async (m) => {
      const inserted = rowsOf<ReservationRow>(
        await m.query(
          `INSERT INTO reservation (part_id, site, location_id, quantity, for_kind, for_ref, note,
             actor, actor_key_id, expires_at, idempotency_key, request_hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
             now() + $10 * interval '1 millisecond', $11, $12)
           ON CONFLICT (idempotency_key) DO NOTHING RETURNING *`,
          [
            r.partId,
            r.site,
            r.locationId,
            r.quantity,
            r.forKind,
            r.forRef,
            r.note,
            r.actor,
            r.actorKeyId,
            r.ttlMs,
            r.idempotencyKey,
            r.requestHash,
          ],
        ),
      );
      const reservation = inserted[0];
      if (!reservation) {
        const [existing] = rowsOf<ReservationRow>(
          await m.query(`SELECT * FROM reservation WHERE idempotency_key = $1`, [r.idempotencyKey]),
        );
        if (!existing || existing.request_hash !== r.requestHash) {
          throw idempotencyConflict(r.idempotencyKey ?? '');
        }
        return { reservation: existing, replayed: true };
      }
      if (!r.serialTracked) {
        const fast = rowsOf<{ location_id: number }>(
          await m.query(
            `WITH pick AS (
               SELECT sl.location_id FROM stock_level sl
               JOIN stock_location l ON l.id = sl.location_id
               WHERE sl.part_id = $1 AND l.site = $2 AND ($3::int IS NULL OR sl.location_id = $3)
                 AND sl.on_hand - sl.reserved >= $4
               ORDER BY sl.on_hand - sl.reserved, sl.location_id LIMIT 1
             ), upd AS (
               UPDATE stock_level sl SET reserved = sl.reserved + $4, updated_at = now()
               FROM pick WHERE sl.part_id = $1 AND sl.location_id = pick.location_id
                 AND sl.on_hand - sl.reserved >= $4
               RETURNING sl.location_id
             ), line AS (
               INSERT INTO reservation_line (reservation_id, location_id, quantity)
               SELECT $5, location_id, $4 FROM upd
             ), mv AS (
               INSERT INTO stock_movement (kind, part_id, location_id, on_hand_delta,
                 reserved_delta, reservation_id, actor, reference)
               SELECT 'reserve', $1, location_id, 0, $4, $5, $6, $7 FROM upd
             )
             SELECT location_id FROM upd`,
            [
              r.partId,
              r.site,
              r.locationId,
              r.quantity,
              reservation.id,
              r.actor,
              `${r.forKind}:${r.forRef}`,
            ],
          ),
        );
        if (fast.length) return { reservation, replayed: false };
      }
      // Slow path: lock the part's rows in the site and spread the quantity.
      const stock = rowsOf<LocationStock>(
        await m.query(
          `SELECT sl.location_id AS "locationId", sl.on_hand - sl.reserved AS available
           FROM stock_level sl JOIN stock_location l ON l.id = sl.location_id
           WHERE sl.part_id = $1 AND l.site = $2 AND ($3::int IS NULL OR sl.location_id = $3)
           ORDER BY sl.location_id FOR UPDATE OF sl`,
          [r.partId, r.site, r.locationId],
        ),
      );
      const plan = allocate(r.quantity, stock);
      if (!plan) {
        const available = stock.reduce((s, x) => s + Math.max(0, x.available), 0);
        const where = r.locationId ? `location ${r.locationId}` : `site ${r.site}`;
        throw insufficientStock(r.partNumber, where, r.quantity, available);
      }
      const updated = rowsOf<unknown>(
        await m.query(
          `WITH a AS (SELECT * FROM unnest($2::int[], $3::int[]) AS a(location_id, quantity)),
           upd AS (
             UPDATE stock_level sl SET reserved = sl.reserved + a.quantity, updated_at = now()
             FROM a WHERE sl.part_id = $1 AND sl.location_id = a.location_id
               AND sl.on_hand - sl.reserved >= a.quantity
             RETURNING sl.location_id, a.quantity
           ), line AS (
             INSERT INTO reservation_line (reservation_id, location_id, quantity)
             SELECT $4, location_id, quantity FROM upd
           )
           SELECT location_id FROM upd`,
          [r.partId, plan.map((p) => p.locationId), plan.map((p) => p.quantity), reservation.id],
        ),
      );
      if (updated.length !== plan.length) {
        throw new Error(`reservation ${reservation.id}: locked stock changed under the lock`);
      }
      const moves: MovementInsert[] = [];
      for (const p of plan) {
        const serials = r.serialTracked
          ? await this.takeSerials(m, r.partId, p.locationId, p.quantity, null, {
              status: 'reserved',
              reservationId: reservation.id,
            })
          : null;
        moves.push({
          kind: 'reserve',
          partId: r.partId,
          locationId: p.locationId,
          onHand: 0,
          reserved: p.quantity,
          reservationId: reservation.id,
          actor: r.actor,
          reference: `${r.forKind}:${r.forRef}`,
          serials,
        });
      }
      await this.insertMovements(m, moves);
      return { reservation, replayed: false };
    });
  }

  /**
   * Ends a held reservation: consume (units leave stock), release (back to available) or
   * expire (the sweeper). Guarded on status = 'held' so a reservation ends exactly once;
   * consume and release also refuse a reservation past its expiry.
   */
  async close(
    id: number,
    to: 'consumed' | 'released' | 'expired',
    actor: string,
    reason: string | null,
    guard?: (r: ReservationRow) => void,
  ): Promise<ReservationRow> {
    return this.tx(async (m) => {
      const expiryGuard = to === 'expired' ? `expires_at <= now()` : `expires_at > now()`;
      const [locked] = rowsOf<ReservationRow>(
        await m.query(
          `SELECT * FROM reservation WHERE id = $1 AND status = 'held' AND ${expiryGuard}
           FOR UPDATE`,
          [id],
        ),
      );
      if (!locked) {
        const [current] = rowsOf<ReservationRow>(
          await m.query(`SELECT * FROM reservation WHERE id = $1`, [id]),
        );
        if (!current) throw reservationNotFound(id);
        if (current.status !== 'held') throw reservationClosed(id, current.status);
        if (to === 'expired') throw new DomainError('CONFLICT', 'not expired', 'NOT_EXPIRED');
        throw reservationExpired(id, current.expires_at);
      }
      guard?.(locked);
      const [closed] = rowsOf<ReservationRow>(
        await m.query(
          `UPDATE reservation SET status = $2, closed_at = now(), closed_by = $3
           WHERE id = $1 RETURNING *`,
          [id, to, actor],
        ),
      );
      const lines = rowsOf<ReservationLineRow>(
        await m.query(
          `SELECT * FROM reservation_line WHERE reservation_id = $1 ORDER BY location_id`,
          [id],
        ),
      );
      const consume = to === 'consumed';
      const updated = rowsOf<unknown>(
        await m.query(
          `UPDATE stock_level sl SET reserved = sl.reserved - a.quantity,
             on_hand = sl.on_hand - CASE WHEN $4 THEN a.quantity ELSE 0 END, updated_at = now()
           FROM unnest($2::int[], $3::int[]) AS a(location_id, quantity)
           WHERE sl.part_id = $1 AND sl.location_id = a.location_id AND sl.reserved >= a.quantity
           RETURNING sl.location_id`,
          [locked.part_id, lines.map((l) => l.location_id), lines.map((l) => l.quantity), consume],
        ),
      );
      if (updated.length !== lines.length) {
        throw new Error(`reservation ${id}: stock levels do not hold its reserved units`);
      }
      const units = rowsOf<{ serial: string; location_id: number }>(
        await m.query(
          `UPDATE serial_unit SET status = $2,
             reservation_id = CASE WHEN $2 = 'consumed' THEN reservation_id END, updated_at = now()
           WHERE reservation_id = $1 AND status = 'reserved' RETURNING serial, location_id`,
          [id, consume ? 'consumed' : 'in_stock'],
        ),
      );
      const kind = to === 'consumed' ? 'consume' : to === 'released' ? 'release' : 'expire';
      await this.insertMovements(
        m,
        lines.map((l) => ({
          kind,
          partId: locked.part_id,
          locationId: l.location_id,
          onHand: consume ? -l.quantity : 0,
          reserved: -l.quantity,
          reservationId: id,
          actor,
          reason,
          reference: `${locked.for_kind}:${locked.for_ref}`,
          serials: units.filter((u) => u.location_id === l.location_id).map((u) => u.serial),
        })),
      );
      return closed!;
    });
  }

  async extend(id: number, ttlMs: number): Promise<ReservationRow | null> {
    const [row] = rowsOf<ReservationRow>(
      await this.db.query(
        `UPDATE reservation SET expires_at = now() + $2 * interval '1 millisecond'
         WHERE id = $1 AND status = 'held' AND expires_at > now() RETURNING *`,
        [id, ttlMs],
      ),
    );
    return row ?? null;
  }

  async reservationById(id: number): Promise<ReservationRow | null> {
    const [row] = rowsOf<ReservationRow>(
      await this.db.query(`SELECT * FROM reservation WHERE id = $1`, [id]),
    );
    return row ?? null;
  }

  async linesFor(ids: readonly number[]): Promise<ReservationLineRow[]> {
    return rowsOf<ReservationLineRow>(
      await this.db.query(
        `SELECT * FROM reservation_line WHERE reservation_id = ANY($1::bigint[])
         ORDER BY reservation_id, location_id`,
        [ids],
      ),
    );
  }

  async serialsFor(
    ids: readonly number[],
  ): Promise<Array<{ reservation_id: number; serial: string }>> {
    return rowsOf(
      await this.db.query(
        `SELECT reservation_id, serial FROM serial_unit WHERE reservation_id = ANY($1::bigint[])
         ORDER BY serial`,
        [ids],
      ),
    );
  }

  async listReservations(f: {
    partId?: number;
    site?: string;
    statuses?: string[];
    forKind?: string;
    forRef?: string;
    actor?: string;
    expiringBefore?: Date;
    afterId?: number;
    limit: number;
  }): Promise<ReservationRow[]> {
    const sql = new SqlParams();
    const where: string[] = [];
    if (f.partId !== undefined) where.push(`part_id = ${sql.param(f.partId)}`);
    if (f.site) where.push(`site = ${sql.param(f.site)}`);
    if (f.statuses?.length) where.push(`status = ANY(${sql.param(f.statuses)}::text[])`);
    if (f.forKind) where.push(`for_kind = ${sql.param(f.forKind)}`);
    if (f.forRef) where.push(`for_ref = ${sql.param(f.forRef)}`);
    if (f.actor) where.push(`actor = ${sql.param(f.actor)}`);
    if (f.expiringBefore) where.push(`expires_at < ${sql.param(f.expiringBefore)}`);
    if (f.afterId !== undefined) where.push(`id < ${sql.param(f.afterId)}`);
    return rowsOf<ReservationRow>(
      await this.db.query(
        `SELECT * FROM reservation ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT ${sql.param(f.limit)}`,
        sql.values,
      ),
    );
  }

  async dueForExpiry(limit: number): Promise<ReservationRow[]> {
    return rowsOf<ReservationRow>(
      await this.db.query(
        `SELECT * FROM reservation WHERE status = 'held' AND expires_at <= now()
         ORDER BY expires_at LIMIT $1`,
        [limit],
      ),
    );
  }

  async movements(f: {
    partId?: number;
    locationIds?: number[];
    reservationId?: number;
    limit: number;
  }): Promise<MovementRow[]> {
    const sql = new SqlParams();
    const where: string[] = [];
    if (f.partId !== undefined) where.push(`part_id = ${sql.param(f.partId)}`);
    if (f.locationIds) where.push(`location_id = ANY(${sql.param(f.locationIds)}::int[])`);
    if (f.reservationId !== undefined) where.push(`reservation_id = ${sql.param(f.reservationId)}`);
    return rowsOf<MovementRow>(
      await this.db.query(
        `SELECT * FROM stock_movement ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY id DESC LIMIT ${sql.param(f.limit)}`,
        sql.values,
      ),
    );
  }

  // ----------------------------------------------------- low stock, market

  /**
   * Opens, refreshes or resolves the low-stock alert of each (part, site): open while the
   * site's available units are below the part's minimum there, one open alert per pair.
   * Without pairs, evaluates every part with a minimum at every site (and every open alert).
   */
  async evaluateLowStock(pairs?: Array<{ partId: number; site: string }>): Promise<{
    opened: number;
    resolved: number;
  }> {
    const source = pairs
      ? `SELECT * FROM unnest($1::int[], $2::text[]) AS p(part_id, site)`
      : `SELECT pt.id AS part_id, s.site FROM part pt
           CROSS JOIN (SELECT DISTINCT site FROM stock_location) s
           WHERE pt.min_stock > 0 OR pt.min_stock_by_site <> '{}'::jsonb
         UNION
         SELECT pt.id, k.site FROM part pt, jsonb_object_keys(pt.min_stock_by_site) AS k(site)
         UNION
         SELECT part_id, site FROM stock_alert WHERE resolved_at IS NULL`;
    const params = pairs ? [pairs.map((p) => p.partId), pairs.map((p) => p.site)] : [];
    // Evaluations run one at a time, each with a snapshot taken after the lock: a sweep whose
    // snapshot predates a release could otherwise reopen an alert that the release just resolved.
    const [row] = await this.db.transaction(async (m) => {
      await m.query('SELECT pg_advisory_xact_lock($1)', [LOW_STOCK_LOCK]);
      return rowsOf<{ opened: number; resolved: number }>(
        await m.query(
          `WITH pairs AS (${source}),
         cur AS (
           SELECT p.part_id, p.site,
             COALESCE((SELECT sum(sl.on_hand - sl.reserved) FROM stock_level sl
                       JOIN stock_location l ON l.id = sl.location_id
                       WHERE sl.part_id = p.part_id AND l.site = p.site), 0)::int AS available,
             COALESCE((pt.min_stock_by_site ->> p.site)::int, pt.min_stock) AS minimum
           FROM (SELECT DISTINCT part_id, site FROM pairs) p JOIN part pt ON pt.id = p.part_id
         ), opened AS (
           INSERT INTO stock_alert AS a (part_id, site, available, minimum)
           SELECT part_id, site, available, minimum FROM cur WHERE available < minimum
           ON CONFLICT (part_id, site) WHERE resolved_at IS NULL DO UPDATE
             SET available = EXCLUDED.available, minimum = EXCLUDED.minimum, updated_at = now()
             WHERE (a.available, a.minimum) IS DISTINCT FROM (EXCLUDED.available, EXCLUDED.minimum)
           RETURNING (xmax = 0) AS inserted
         ), resolved AS (
           UPDATE stock_alert a SET resolved_at = now(), available = c.available,
             updated_at = now()
           FROM cur c
           WHERE a.part_id = c.part_id AND a.site = c.site AND a.resolved_at IS NULL
             AND c.available >= c.minimum
           RETURNING a.id
         )
         SELECT (SELECT count(*) FROM opened WHERE inserted)::int AS opened,
           (SELECT count(*) FROM resolved)::int AS resolved`,
          params,
        ),
      );
    });
    return row ?? { opened: 0, resolved: 0 };
  }

  async stockAlerts(f: { open: boolean; unnotifiedOnly: boolean }): Promise<StockAlertRow[]> {
    return rowsOf<StockAlertRow>(
      await this.db.query(
        `SELECT * FROM stock_alert
         WHERE ($1::boolean IS FALSE OR resolved_at IS NULL)
           AND ($2::boolean IS FALSE OR notified_at IS NULL)
         ORDER BY id DESC LIMIT 1000`,
        [f.open, f.unnotifiedOnly],
      ),
    );
  }

  async markAlertNotified(id: number): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await this.db.query(
        `UPDATE stock_alert SET notified_at = now() WHERE id = $1 AND notified_at IS NULL
         RETURNING id`,
        [id],
      ),
    );
    return rows.length > 0;
  }

  async subscribers(
    partIds: readonly number[],
  ): Promise<Array<{ part_id: number; email: string }>> {
    return rowsOf(
      await this.db.query(
        `SELECT part_id, email FROM part_subscriber WHERE part_id = ANY($1::int[])
         ORDER BY part_id, lower(email)`,
        [partIds],
      ),
    );
  }

  async addSubscriber(partId: number, email: string): Promise<void> {
    await this.db.query(
      `INSERT INTO part_subscriber (part_id, email) VALUES ($1, $2)
       ON CONFLICT (part_id, lower(email)) DO NOTHING`,
      [partId, email],
    );
  }

  async removeSubscriber(partId: number, email: string): Promise<boolean> {
    const rows = rowsOf<unknown>(
      await this.db.query(
        `DELETE FROM part_subscriber WHERE part_id = $1 AND lower(email) = lower($2) RETURNING id`,
        [partId, email],
      ),
    );
    return rows.length > 0;
  }

  /**
   * Active listings that name one of the numbers (in the normalizer's part_numbers or as a
   * whole word in the title), cheapest effective price first.
   */
  async listingsMatching(variants: string[], limit: number): Promise<ListingMatchRow[]> {
    const patterns = variants.map((v) => `\\m${v.replace(/[^A-Za-z0-9]/g, (c) => `\\${c}`)}\\M`);
    return rowsOf<ListingMatchRow>(
      await this.db.query(
        `SELECT l.id, l.title, l.url, l.currency, l.price, l.effective_price, l.part_numbers,
           l.seller, l.condition,
           CASE WHEN l.part_numbers && $1::text[] THEN 'part_number' ELSE 'title' END
             AS matched_by
         FROM listing l
         WHERE l.status = 'active'
           AND (l.part_numbers && $1::text[] OR l.title ~* ANY($2::text[]))
         ORDER BY COALESCE(l.effective_price, l.price) ASC NULLS LAST, l.id
         LIMIT $3`,
        [variants, patterns, limit],
      ),
    );
  }

  // ------------------------------------------------------------ reconcile

  /** Proves that every level equals the sum of its movements, and reservations agree. */
  async reconcile(): Promise<ReconcileReport> {
    return this.tx(async (m) => {
      await m.query(`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY`);
      const problems: string[] = [];
      const levels = rowsOf<{
        part_id: number;
        location_id: number;
        on_hand: number | null;
        reserved: number | null;
        mv_on_hand: number | null;
        mv_reserved: number | null;
      }>(
        await m.query(
          `WITH mv AS (
             SELECT part_id, location_id, sum(on_hand_delta)::int AS mv_on_hand,
               sum(reserved_delta)::int AS mv_reserved
             FROM stock_movement GROUP BY part_id, location_id)
           SELECT part_id, location_id, sl.on_hand, sl.reserved, mv.mv_on_hand, mv.mv_reserved
           FROM stock_level sl FULL JOIN mv USING (part_id, location_id)
           WHERE (COALESCE(sl.on_hand, 0), COALESCE(sl.reserved, 0))
             IS DISTINCT FROM (COALESCE(mv.mv_on_hand, 0), COALESCE(mv.mv_reserved, 0))
             OR sl.reserved > sl.on_hand OR sl.reserved < 0`,
        ),
      );
      for (const l of levels) {
        problems.push(
          `level part ${l.part_id} location ${l.location_id}: on_hand ${l.on_hand ?? 0} ` +
            `reserved ${l.reserved ?? 0}, movements say on_hand ${l.mv_on_hand ?? 0} ` +
            `reserved ${l.mv_reserved ?? 0}`,
        );
      }
      const reservations = rowsOf<{ id: number; status: string; problem: string }>(
        await m.query(
          `WITH mv AS (
             SELECT reservation_id, sum(reserved_delta)::int AS r, sum(on_hand_delta)::int AS o
             FROM stock_movement WHERE reservation_id IS NOT NULL GROUP BY reservation_id),
           ln AS (SELECT reservation_id, sum(quantity)::int AS q FROM reservation_line
                  GROUP BY reservation_id)
           SELECT r.id, r.status,
             format('quantity %s, lines %s, reserved by movements %s, consumed %s',
               r.quantity, COALESCE(ln.q, 0), COALESCE(mv.r, 0), -COALESCE(mv.o, 0)) AS problem
           FROM reservation r LEFT JOIN mv ON mv.reservation_id = r.id
             LEFT JOIN ln ON ln.reservation_id = r.id
           WHERE COALESCE(ln.q, 0) <> r.quantity
             OR COALESCE(mv.r, 0) <> CASE WHEN r.status = 'held' THEN r.quantity ELSE 0 END
             OR -COALESCE(mv.o, 0) <> CASE WHEN r.status = 'consumed' THEN r.quantity ELSE 0 END`,
        ),
      );
      for (const r of reservations)
        problems.push(`reservation ${r.id} (${r.status}): ${r.problem}`);
      const serials = rowsOf<{ part_id: number; location_id: number; problem: string }>(
        await m.query(
          `WITH u AS (
             SELECT part_id, location_id, count(*) FILTER (WHERE status = 'in_stock')::int AS free,
               count(*) FILTER (WHERE status = 'reserved')::int AS held
             FROM serial_unit GROUP BY part_id, location_id)
           SELECT sl.part_id, sl.location_id,
             format('serial units free %s held %s, level free %s reserved %s',
               COALESCE(u.free, 0), COALESCE(u.held, 0), sl.on_hand - sl.reserved, sl.reserved)
               AS problem
           FROM stock_level sl JOIN part p ON p.id = sl.part_id AND p.serial_tracked
             LEFT JOIN u USING (part_id, location_id)
           WHERE (COALESCE(u.free, 0), COALESCE(u.held, 0))
             <> (sl.on_hand - sl.reserved, sl.reserved)`,
        ),
      );
      for (const s of serials) {
        problems.push(`serials part ${s.part_id} location ${s.location_id}: ${s.problem}`);
      }
      const [counts] = rowsOf<{ levels: number; movements: number; reservations: number }>(
        await m.query(
          `SELECT (SELECT count(*) FROM stock_level)::int AS levels,
             (SELECT count(*) FROM stock_movement)::int AS movements,
             (SELECT count(*) FROM reservation)::int AS reservations`,
        ),
      );
      return { ...counts!, problems };
    });
  }
}

function partValues(p: PartWrite): unknown[] {
  return [
    p.partNumber,
    p.manufacturer,
    p.aliases,
    p.kind,
    p.description,
    p.compatibleChassis,
    p.chassisKeys,
    p.minStock,
    JSON.stringify(p.minStockBySite),
    p.serialTracked,
  ];
}

export function locationLabel(l: Pick<LocationRow, 'id' | 'site' | 'room' | 'rack' | 'bin'>) {
  return [l.site, l.room, l.rack, l.bin].filter(Boolean).join('/') || `location ${l.id}`;
}
