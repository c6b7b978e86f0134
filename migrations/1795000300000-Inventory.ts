import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Spare-parts inventory: parts and their numbers, locations, stock levels, serialized units,
 * reservations (with idempotency keys), the append-only movement ledger that reproduces every
 * level, low-stock alerts and part subscribers.
 *
 * Invariants enforced here as well as in code: 0 <= reserved <= on_hand on every level row, one
 * open stock_alert per part+site, one reservation per idempotency key, and stock_movement rows
 * are never updated or deleted.
 */
export class Inventory1795000300000 implements MigrationInterface {
  name = 'Inventory1795000300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE part (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        part_number text NOT NULL,
        manufacturer text,
        aliases text[] NOT NULL DEFAULT '{}',
        kind text NOT NULL,
        description text,
        compatible_chassis text[] NOT NULL DEFAULT '{}',
        chassis_keys text[] NOT NULL DEFAULT '{}',
        min_stock integer NOT NULL DEFAULT 0 CHECK (min_stock >= 0),
        min_stock_by_site jsonb NOT NULL DEFAULT '{}'::jsonb
          CHECK (jsonb_typeof(min_stock_by_site) = 'object'),
        serial_tracked boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX part_chassis_keys_idx ON part USING gin (chassis_keys)`);
    // Every number a part is known by (its part number and aliases), normalized, unique overall.
    await q.query(`
      CREATE TABLE part_number_key (
        key text PRIMARY KEY,
        part_id integer NOT NULL REFERENCES part(id) ON DELETE CASCADE
      )`);
    await q.query(`CREATE INDEX part_number_key_part_idx ON part_number_key (part_id)`);

    await q.query(`
      CREATE TABLE stock_location (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        site text NOT NULL CHECK (site <> ''),
        room text NOT NULL DEFAULT '',
        rack text NOT NULL DEFAULT '',
        bin text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (site, room, rack, bin)
      )`);

    await q.query(`
      CREATE TABLE stock_level (
        part_id integer NOT NULL REFERENCES part(id),
        location_id integer NOT NULL REFERENCES stock_location(id),
        on_hand integer NOT NULL DEFAULT 0,
        reserved integer NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (part_id, location_id),
        CONSTRAINT stock_level_never_oversold CHECK (reserved >= 0 AND reserved <= on_hand)
      )`);
    await q.query(`CREATE INDEX stock_level_location_idx ON stock_level (location_id)`);

    await q.query(`
      CREATE TABLE reservation (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        part_id integer NOT NULL REFERENCES part(id),
        site text NOT NULL,
        location_id integer REFERENCES stock_location(id),
        quantity integer NOT NULL CHECK (quantity > 0),
        for_kind text NOT NULL CHECK (for_kind IN ('ticket', 'host', 'fleet_need', 'other')),
        for_ref text NOT NULL,
        note text,
        actor text NOT NULL,
        actor_key_id integer,
        status text NOT NULL DEFAULT 'held'
          CHECK (status IN ('held', 'consumed', 'released', 'expired')),
        expires_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        closed_at timestamptz,
        closed_by text,
        idempotency_key text UNIQUE,
        request_hash text
      )`);
    await q.query(
      `CREATE INDEX reservation_held_expiry_idx ON reservation (expires_at) WHERE status = 'held'`,
    );
    await q.query(`CREATE INDEX reservation_part_idx ON reservation (part_id, status)`);
    // Where a reservation's units are held (a site-wide reservation may span locations).
    await q.query(`
      CREATE TABLE reservation_line (
        reservation_id bigint NOT NULL REFERENCES reservation(id),
        location_id integer NOT NULL REFERENCES stock_location(id),
        quantity integer NOT NULL CHECK (quantity > 0),
        PRIMARY KEY (reservation_id, location_id)
      )`);

    await q.query(`
      CREATE TABLE serial_unit (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        part_id integer NOT NULL REFERENCES part(id),
        serial text NOT NULL,
        location_id integer NOT NULL REFERENCES stock_location(id),
        status text NOT NULL DEFAULT 'in_stock'
          CHECK (status IN ('in_stock', 'reserved', 'consumed', 'removed')),
        reservation_id bigint REFERENCES reservation(id),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (part_id, serial)
      )`);
    await q.query(
      `CREATE INDEX serial_unit_stock_idx ON serial_unit (part_id, location_id, status)`,
    );
    await q.query(`CREATE INDEX serial_unit_reservation_idx ON serial_unit (reservation_id)`);

    await q.query(`
      CREATE TABLE stock_movement (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT now(),
        kind text NOT NULL CHECK (kind IN
          ('receive', 'reserve', 'release', 'consume', 'adjust', 'transfer', 'expire')),
        part_id integer NOT NULL REFERENCES part(id),
        location_id integer NOT NULL REFERENCES stock_location(id),
        on_hand_delta integer NOT NULL,
        reserved_delta integer NOT NULL,
        reservation_id bigint REFERENCES reservation(id),
        actor text NOT NULL,
        reason text,
        reference text,
        serials text[]
      )`);
    await q.query(
      `CREATE INDEX stock_movement_level_idx ON stock_movement (part_id, location_id, id)`,
    );
    await q.query(
      `CREATE INDEX stock_movement_reservation_idx ON stock_movement (reservation_id)
         WHERE reservation_id IS NOT NULL`,
    );
    await q.query(`
      CREATE FUNCTION stock_movement_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'stock_movement is append-only';
      END $$`);
    await q.query(`
      CREATE TRIGGER stock_movement_append_only BEFORE UPDATE OR DELETE ON stock_movement
        FOR EACH ROW EXECUTE FUNCTION stock_movement_append_only()`);

    // Idempotency keys of receive/adjust/transfer (reservations keep theirs on the row).
    await q.query(`
      CREATE TABLE inventory_request (
        key text PRIMARY KEY,
        operation text NOT NULL,
        request_hash text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE stock_alert (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        part_id integer NOT NULL REFERENCES part(id),
        site text NOT NULL,
        available integer NOT NULL,
        minimum integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        notified_at timestamptz,
        resolved_at timestamptz
      )`);
    await q.query(
      `CREATE UNIQUE INDEX stock_alert_open_idx ON stock_alert (part_id, site)
         WHERE resolved_at IS NULL`,
    );

    await q.query(`
      CREATE TABLE part_subscriber (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        part_id integer NOT NULL REFERENCES part(id) ON DELETE CASCADE,
        email text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX part_subscriber_unique_idx ON part_subscriber (part_id, lower(email))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      DROP TABLE part_subscriber, stock_alert, inventory_request, stock_movement, serial_unit,
        reservation_line, reservation, stock_level, stock_location, part_number_key, part`);
    await q.query(`DROP FUNCTION stock_movement_append_only()`);
  }
}
