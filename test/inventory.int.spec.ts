import { ApiKeysService } from '../src/auth/api-keys.service';
import { requestHash } from '../src/inventory/inventory-rules';
import { InventoryService } from '../src/inventory/inventory.service';
import { ListingsService } from '../src/listings/listings.service';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, startTestApp, truncateAll, waitFor } from './support/app';
import { makeRawListing } from './support/factories';

jest.setTimeout(60_000);

const APP_ENV = {
  APP_ROLE: 'all',
  RATE_LIMIT_PER_MINUTE: '0',
  RESERVATION_SWEEP_SECONDS: '1',
  DATABASE_POOL_SIZE: '40',
};

const RESERVE = `mutation($pn: String!, $q: Int!, $site: String!, $loc: ID, $key: String,
  $exp: String, $ref: String!) {
  reservePart(partNumber: $pn, quantity: $q, site: $site, locationId: $loc,
    for: { kind: TICKET, ref: $ref }, expiresIn: $exp, idempotencyKey: $key) {
    id status quantity site expiresAt lines { locationId quantity } serials
  }
}`;
const CONSUME = `mutation($id: ID!, $site: String) {
  consumeReservation(id: $id, site: $site) { id status }
}`;
const RELEASE = `mutation($id: ID!) { releaseReservation(id: $id) { id status } }`;
const STOCK = `query($pn: String!, $site: String) {
  stock(partNumber: $pn, site: $site) {
    onHand reserved available sites { site available minimum belowMinimum }
  }
}`;

describe('inventory over HTTP (booted app, real PostgreSQL)', () => {
  let app: TestApp;
  let ops: Record<string, string>;
  let viewer: Record<string, string>;

  const gql = async (q: string, v: Record<string, unknown>, h = ops) => app.graphql(q, v, h);
  const service = () => app.app.get(InventoryService);

  async function seedPart(partNumber: string, stock: Record<string, number>, extra = {}) {
    const inv = service();
    await inv.createPart({ partNumber, kind: 'psu', ...extra });
    const locations: number[] = [];
    for (const [where, qty] of Object.entries(stock)) {
      const [site, bin] = where.split('/');
      const loc = await inv.createLocation({ site: site!, bin: bin ?? 'A1' });
      locations.push(loc.id);
      if (qty > 0) {
        await inv.receiveStock(
          { partNumber, locationId: loc.id, quantity: qty },
          { name: 'seed', keyId: null },
        );
      }
    }
    return locations;
  }

  async function expectReconciled() {
    const r = await service().reconcile();
    expect(r.problems).toEqual([]);
    return r;
  }

  async function reservedTotal(partNumber: string): Promise<number> {
    const res = await gql(STOCK, { pn: partNumber });
    return res.body.data.stock.reserved as number;
  }

  beforeAll(async () => {
    app = await startTestApp(APP_ENV);
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });
  beforeEach(async () => {
    await truncateAll(app.db);
    const keys = app.app.get(ApiKeysService);
    ops = { authorization: `Bearer ${(await keys.create('ops', 'tech')).key}` };
    viewer = { authorization: `Bearer ${(await keys.create('viewer', 'v')).key}` };
  });

  it('200 parallel reservations of 1 for 50 in stock: exactly 50 succeed', async () => {
    await seedPart('865414-B21', { 'ams1/A1': 50 });
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        gql(RESERVE, { pn: '865414-B21', q: 1, site: 'ams1', ref: `T-${i}` }),
      ),
    );
    const ok = results.filter((r) => r.body.data?.reservePart);
    const refused = results.filter((r) => r.body.errors);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(150);
    for (const r of refused) {
      expect(r.body.errors[0].extensions).toMatchObject({
        code: 'CONFLICT',
        reason: 'INSUFFICIENT_STOCK',
        available: 0,
        requested: 1,
      });
    }
    expect(new Set(ok.map((r) => r.body.data.reservePart.id)).size).toBe(50);
    expect(await reservedTotal('865414-B21')).toBe(50);
    await expectReconciled();
  });

  it('mixed sizes over two bins never oversell; refusals say how many are available', async () => {
    await seedPart('0J4Y7V', { 'fra2/A1': 30, 'fra2/B7': 20, 'ams1/A1': 100 });
    const sizes = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7) % 5));
    const results = await Promise.all(
      sizes.map((q, i) => gql(RESERVE, { pn: '0j4y7v', q, site: 'fra2', ref: `T-${i}` })),
    );
    let reserved = 0;
    for (const [i, r] of results.entries()) {
      if (r.body.data?.reservePart) {
        reserved += r.body.data.reservePart.quantity as number;
        const lines = r.body.data.reservePart.lines as Array<{ quantity: number }>;
        expect(lines.reduce((s, l) => s + l.quantity, 0)).toBe(sizes[i]);
      } else {
        const ext = r.body.errors[0].extensions;
        expect(r.body.errors[0]).toMatchObject({ extensions: { reason: 'INSUFFICIENT_STOCK' } });
        expect(ext.available).toBeLessThan(sizes[i]!);
        expect(ext.available).toBeGreaterThanOrEqual(0);
      }
    }
    expect(reserved).toBeLessThanOrEqual(50);
    expect(reserved).toBeGreaterThan(45); // sizes are <= 5: the last refusal left < 5 behind
    const stock = await gql(STOCK, { pn: '0J4Y7V', site: 'fra2' });
    expect(stock.body.data.stock.reserved).toBe(reserved);
    expect(stock.body.data.stock.available).toBe(50 - reserved);
    // the other site is untouched
    expect((await gql(STOCK, { pn: '0J4Y7V', site: 'ams1' })).body.data.stock.reserved).toBe(0);
    await expectReconciled();
  });

  it('50 concurrent replays of one idempotency key create one reservation', async () => {
    await seedPart('PSU-750', { 'ams1/A1': 10 });
    const vars = { pn: 'PSU-750', q: 2, site: 'ams1', ref: 'INC-1', key: 'idem-1' };
    const results = await Promise.all(Array.from({ length: 50 }, () => gql(RESERVE, vars)));
    const ids = results.map((r) => r.body.data?.reservePart?.id as string | undefined);
    expect(ids.every((id) => id !== undefined)).toBe(true);
    expect(new Set(ids).size).toBe(1);
    expect(await reservedTotal('PSU-750')).toBe(2);
    const rows: Array<{ n: number }> = await app.db.query(
      `SELECT count(*)::int AS n FROM reservation`,
    );
    expect(rows[0]!.n).toBe(1);
    const conflict = await gql(RESERVE, { ...vars, q: 3 });
    expect(conflict.body.errors[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'IDEMPOTENCY_KEY_REUSED',
    });
    // a replay after release returns the same (released) reservation and changes nothing
    await gql(RELEASE, { id: ids[0] });
    const replay = await gql(RESERVE, vars);
    expect(replay.body.data.reservePart).toMatchObject({ id: ids[0], status: 'RELEASED' });
    expect(await reservedTotal('PSU-750')).toBe(0);
    await expectReconciled();
  });

  it('refuses bad requests with clear reasons', async () => {
    const [fra] = await seedPart('PSU-1100', { 'fra2/A1': 3, 'ams1/A1': 3 });
    const err = async (v: Record<string, unknown>) =>
      (await gql(RESERVE, { pn: 'PSU-1100', q: 1, site: 'ams1', ref: 'T', ...v })).body.errors[0];
    expect((await err({ pn: 'NOPE-123' })).extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'PART_NOT_FOUND',
    });
    expect((await err({ q: 0 })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'QUANTITY_NOT_POSITIVE',
    });
    expect((await err({ q: -2 })).extensions.code).toBe('BAD_USER_INPUT');
    expect((await err({ q: 1.5 })).extensions.code).toBe('BAD_USER_INPUT');
    expect((await err({ loc: String(fra) })).extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      reason: 'WRONG_SITE',
    });
    expect((await err({ site: 'nowhere' })).extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'SITE_NOT_FOUND',
    });
    expect((await err({ exp: 'soon' })).extensions.code).toBe('BAD_USER_INPUT');
    expect((await err({ q: 4 })).extensions).toMatchObject({
      reason: 'INSUFFICIENT_STOCK',
      available: 3,
    });

    const ok = await gql(RESERVE, { pn: 'PSU-1100', q: 2, site: 'ams1', ref: 'T-9' });
    const id = ok.body.data.reservePart.id as string;
    const wrong = await gql(CONSUME, { id, site: 'fra2' });
    expect(wrong.body.errors[0].extensions.reason).toBe('WRONG_SITE');
    expect((await gql(CONSUME, { id, site: 'ams1' })).body.data.consumeReservation.status).toBe(
      'CONSUMED',
    );
    expect((await gql(CONSUME, { id })).body.errors[0].extensions).toMatchObject({
      code: 'CONFLICT',
      reason: 'RESERVATION_ALREADY_CONSUMED',
    });
    expect((await gql(RELEASE, { id })).body.errors[0].extensions.code).toBe('CONFLICT');
    const stock = await gql(STOCK, { pn: 'PSU-1100', site: 'ams1' });
    expect(stock.body.data.stock).toMatchObject({ onHand: 1, reserved: 0, available: 1 });
    await expectReconciled();
  });

  it('idempotency holds on the one-statement and the locking path, under any spelling', async () => {
    const [a1] = await seedPart(
      '865414-B21',
      { 'ams1/A1': 3, 'ams1/B2': 3 },
      {
        aliases: ['866730-001'],
      },
    );
    const reserve = (v: Record<string, unknown>) =>
      gql(RESERVE, { pn: '865414-B21', q: 1, site: 'ams1', ref: 'T-1', ...v });
    // one location holds it: one statement; the stored fingerprint is the one the service computes
    const one = (await reserve({ key: 'k-one' })).body.data.reservePart;
    const [stored] = (await app.db.query(
      `SELECT part_id, request_hash FROM reservation WHERE id = $1`,
      [one.id],
    )) as Array<{ part_id: number; request_hash: string }>;
    expect(stored!.request_hash).toBe(
      requestHash({
        p: stored!.part_id,
        site: 'ams1',
        locationId: null,
        quantity: 1,
        k: 'ticket',
        forRef: 'T-1',
        note: null,
        expiresIn: null,
      }),
    );
    // an alias or another spelling names the same part: a replay, not a conflict
    for (const pn of ['866730-001', '865414b21']) {
      expect((await reserve({ pn, key: 'k-one' })).body.data.reservePart.id).toBe(one.id);
    }
    expect((await reserve({ key: 'k-one', ref: 'T-2' })).body.errors[0].extensions.reason).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    // 4 units need both bins: the locking path stores the key, replays find it
    const spread = (await reserve({ q: 4, key: 'k-spread' })).body.data.reservePart;
    expect(spread.lines).toHaveLength(2);
    expect((await reserve({ q: 4, key: 'k-spread' })).body.data.reservePart.id).toBe(spread.id);
    expect((await reserve({ q: 1, key: 'k-spread' })).body.errors[0].extensions.reason).toBe(
      'IDEMPOTENCY_KEY_REUSED',
    );
    // a replay is answered even when no stock is left, and takes none
    expect(await reservedTotal('865414-B21')).toBe(5);
    expect((await reserve({ q: 1, key: 'k-last' })).body.data.reservePart).toBeTruthy();
    expect((await reserve({ q: 1, key: 'k-one' })).body.data.reservePart.id).toBe(one.id);
    expect((await reserve({ q: 1, ref: 'T-3' })).body.errors[0].extensions).toMatchObject({
      reason: 'INSUFFICIENT_STOCK',
      available: 0,
    });
    expect(await reservedTotal('865414-B21')).toBe(6);
    // an unknown location is named as such
    expect((await reserve({ loc: String(a1! + 1000) })).body.errors[0].extensions).toMatchObject({
      code: 'NOT_FOUND',
      reason: 'LOCATION_NOT_FOUND',
    });
    const rows: Array<{ n: number }> = await app.db.query(
      `SELECT count(*)::int AS n FROM reservation`,
    );
    expect(rows[0]!.n).toBe(3);
    await expectReconciled();
  });

  it('expired reservations are swept by the scheduled job and can no longer be consumed', async () => {
    await seedPart('FAN-R740', { 'ams1/A1': 5 });
    const a = await gql(RESERVE, { pn: 'FAN-R740', q: 2, site: 'ams1', ref: 'A', exp: '1s' });
    const b = await gql(RESERVE, { pn: 'FAN-R740', q: 1, site: 'ams1', ref: 'B', exp: '1s' });
    const aId = a.body.data.reservePart.id as string;
    const bId = b.body.data.reservePart.id as string;
    expect(await reservedTotal('FAN-R740')).toBe(3);
    await waitFor(
      async () => {
        const r = await service().reservation(Number(bId));
        return r.status === 'expired';
      },
      20_000,
      'the sweeper to expire reservation b',
    );
    const consumed = await gql(CONSUME, { id: aId });
    expect(consumed.body.errors[0].extensions).toMatchObject({ code: 'CONFLICT' });
    expect(['RESERVATION_EXPIRED', 'RESERVATION_ALREADY_EXPIRED']).toContain(
      consumed.body.errors[0].extensions.reason,
    );
    expect((await service().reservation(Number(aId))).status).toBe('expired');
    expect(await reservedTotal('FAN-R740')).toBe(0);
    const movements: Array<{ kind: string }> = await app.db.query(
      `SELECT kind FROM stock_movement WHERE kind = 'expire'`,
    );
    expect(movements).toHaveLength(2);
    await expectReconciled();
  });

  it('a viewer cannot mutate and nothing changes', async () => {
    await seedPart('DIMM-32G', { 'ams1/A1': 4 });
    const res = await gql(RESERVE, { pn: 'DIMM-32G', q: 1, site: 'ams1', ref: 'T' }, viewer);
    expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const adj = await gql(
      `mutation { adjustStock(partNumber: "DIMM-32G", locationId: "1", delta: -4, reason: "x") { onHand } }`,
      {},
      viewer,
    );
    expect(adj.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const stock = await gql(STOCK, { pn: 'DIMM-32G' }, viewer);
    expect(stock.body.data.stock).toMatchObject({ onHand: 4, reserved: 0 });
    const movements: Array<{ n: number }> = await app.db.query(
      `SELECT count(*)::int AS n FROM stock_movement`,
    );
    expect(movements[0]!.n).toBe(1);
  });

  it('adjust, transfer and serialized units keep the ledger exact', async () => {
    const inv = service();
    await inv.createPart({ partNumber: 'GPU-A100', kind: 'gpu', serialTracked: true });
    const a = await inv.createLocation({ site: 'ams1', bin: 'G1' });
    const b = await inv.createLocation({ site: 'fra2', bin: 'G1' });
    const actor = { name: 't', keyId: null };
    await expect(
      inv.receiveStock({ partNumber: 'GPU-A100', locationId: a.id, quantity: 2 }, actor),
    ).rejects.toMatchObject({ reason: 'SERIALS_REQUIRED' });
    await inv.receiveStock(
      { partNumber: 'GPU-A100', locationId: a.id, quantity: 3, serials: ['S1', 'S2', 'S3'] },
      actor,
    );
    await inv.transferStock(
      {
        partNumber: 'GPU-A100',
        fromLocationId: a.id,
        toLocationId: b.id,
        quantity: 1,
        serials: ['S3'],
      },
      actor,
    );
    const res = await gql(RESERVE, { pn: 'GPU-A100', q: 2, site: 'ams1', ref: 'H-1' });
    expect(res.body.data.reservePart.serials).toEqual(['S1', 'S2']);
    await expect(
      inv.adjustStock(
        { partNumber: 'GPU-A100', locationId: a.id, delta: -1, reason: 'dropped' },
        actor,
      ),
    ).rejects.toMatchObject({ reason: 'INSUFFICIENT_STOCK', details: { available: 0 } });
    await gql(CONSUME, { id: res.body.data.reservePart.id });
    await inv.adjustStock(
      { partNumber: 'GPU-A100', locationId: b.id, delta: -1, reason: 'DOA', serials: ['S3'] },
      actor,
    );
    const stock = await inv.stock('GPU-A100');
    expect(stock.onHand).toBe(0);
    await expectReconciled();
  });

  it('low stock opens one alert, with subscribers and offers from the market', async () => {
    await seedPart(
      '865414-B21',
      { 'ams1/A1': 4 },
      {
        aliases: ['866730-001'],
        minStock: 3,
        compatibleChassis: ['HPE ProLiant DL380 Gen10'],
      },
    );
    const sourceId = (await app.app.get(SourcesService).ensure('inv', 'manual')).id;
    await app.app.get(ListingsService).ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [
        makeRawListing({ title: 'HPE 800W Flex Slot PSU 865414-B21 866730-001', price: 40 }),
        makeRawListing({ title: 'HP 800W power supply 866730-001 tested', price: 25 }),
        makeRawListing({ title: 'Dell 750W PSU 0J4Y7V', price: 10 }),
      ],
    });
    await gql(
      `mutation { subscribeToPart(partNumber: "865414-B21", email: "ops@example.com") }`,
      {},
    );
    const r = await gql(RESERVE, { pn: '865414b21', q: 2, site: 'ams1', ref: 'T' });
    const alerts = await service().openStockAlerts();
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({
      partNumber: '865414-B21',
      site: 'ams1',
      available: 2,
      minimum: 3,
      subscribers: ['ops@example.com'],
    });
    expect(alerts[0]!.offers.map((o) => o.price)).toEqual([25, 40]);
    // a second drop keeps one open alert
    await gql(RESERVE, { pn: '865414-B21', q: 1, site: 'ams1', ref: 'T2' });
    const open: Array<{ n: number }> = await app.db.query(
      `SELECT count(*)::int AS n FROM stock_alert WHERE resolved_at IS NULL`,
    );
    expect(open[0]!.n).toBe(1);
    expect(await service().markStockAlertNotified(alerts[0]!.id)).toBe(true);
    expect(await service().openStockAlerts()).toHaveLength(0);
    await gql(RELEASE, { id: r.body.data.reservePart.id });
    expect(await service().stockAlerts(true)).toHaveLength(0);

    const sugg = await gql(
      `{ sourcingSuggestions(partNumber: "866730-001") { title price matchedBy } }`,
      {},
      viewer,
    );
    expect(sugg.body.data.sourcingSuggestions).toHaveLength(2);
    const cov = await gql(
      `{ sparesCoverage(chassis: "DL380 G10") { part { partNumber } totalAvailable sites { site available minimum } } }`,
      {},
      viewer,
    );
    expect(cov.body.data.sparesCoverage).toEqual([
      {
        part: { partNumber: '865414-B21' },
        totalAvailable: 3,
        sites: [{ site: 'ams1', available: 3, minimum: 3 }],
      },
    ]);
  });

  it('a restart mid-run loses nothing and leaves nothing half-applied', async () => {
    await seedPart('NIC-X710', { 'ams1/A1': 60, 'ams1/B2': 40 });
    const calls = Array.from({ length: 120 }, (_, i) =>
      gql(RESERVE, { pn: 'NIC-X710', q: 1 + (i % 3), site: 'ams1', ref: `R-${i}` }).catch(
        () => null,
      ),
    );
    await waitFor(async () => {
      const rows: Array<{ n: number }> = await app.db.query(
        `SELECT count(*)::int AS n FROM reservation`,
      );
      return rows[0]!.n >= 5;
    });
    await app.close();
    await Promise.all(calls);
    app = await startTestApp(APP_ENV);
    const r = await expectReconciled();
    expect(r.reservations).toBeGreaterThanOrEqual(5);
    const held: Array<{ q: number }> = await app.db.query(
      `SELECT COALESCE(sum(quantity), 0)::int AS q FROM reservation WHERE status = 'held'`,
    );
    const levels: Array<{ r: number; o: number }> = await app.db.query(
      `SELECT sum(reserved)::int AS r, sum(on_hand)::int AS o FROM stock_level`,
    );
    expect(levels[0]!.r).toBe(held[0]!.q);
    expect(levels[0]!.o).toBe(100);
    expect(held[0]!.q).toBeLessThanOrEqual(100);
  }, 180_000);
});
