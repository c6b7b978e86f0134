import { rowsOf } from '../src/common/sql';
import { FleetNeedsService } from '../src/fleet/fleet-needs.service';
import { ListingsService } from '../src/listings/listings.service';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, startTestApp, truncateAll } from './support/app';
import { makeRawListing } from './support/factories';

/** Candidate selection of planFleetNeed against real PostgreSQL (see FleetNeedsRepository). */
describe('fleet plan candidates (real PostgreSQL)', () => {
  let app: TestApp;
  let sourceId: number;
  let needs: FleetNeedsService;

  beforeAll(async () => {
    app = await startTestApp({ APP_ROLE: 'api' });
    needs = app.app.get(FleetNeedsService);
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });
  beforeEach(async () => {
    await truncateAll(app.db);
    sourceId = (await app.app.get(SourcesService).ensure('fleet', 'manual')).id;
  });

  /** Servers with the columns the planner reads; `price` is per node, as valuation stores it. */
  async function seed(
    servers: Array<{
      chassis: string | null;
      cpu: string | null;
      price: number;
      cores?: number;
      available?: number;
      lot?: number;
    }>,
  ): Promise<number[]> {
    const raws = servers.map((s) => makeRawListing({ price: s.price, shipping: 0 }));
    await app.app
      .get(ListingsService)
      .ingest({ sourceId, observedAt: new Date().toISOString(), listings: raws });
    const ids: number[] = [];
    for (const [i, s] of servers.entries()) {
      const result: unknown = await app.db.query(
        `UPDATE listing SET kind = 'server', chassis = $2, cpu_model = $3, cores = $4,
           threads = $4 * 2, ram_gb = 256, quantity_available = $5, lot_quantity = $6,
           effective_price = $7::numeric, tco = $7::numeric * 2
         WHERE external_id = $1 RETURNING id`,
        [
          raws[i]!.externalId,
          s.chassis,
          s.cpu,
          s.cores ?? 40,
          s.available ?? 1,
          s.lot ?? 1,
          s.price,
        ],
      );
      ids.push(rowsOf<{ id: number }>(result)[0]!.id);
    }
    return ids;
  }

  const plan = async (fields: Record<string, unknown>) =>
    needs.plan((await needs.create({ name: 'need', ...fields }, null)).id);

  it('prices a lot per node as ingest stores it, and buys it whole', async () => {
    // Ingested through normalization and valuation: a lot's effective price is per node.
    await app.app.get(ListingsService).ingest({
      sourceId,
      observedAt: new Date().toISOString(),
      listings: [
        makeRawListing({ title: 'Lot of 4 Dell PowerEdge R740xd 2x Gold 6148 256GB', price: 4000 }),
        makeRawListing({ title: 'Dell PowerEdge R740xd 2x Gold 6148 256GB', price: 1200 }),
      ],
    });
    const stored: Array<{ lot_quantity: number; effective_price: number }> = await app.db.query(
      `SELECT lot_quantity, effective_price FROM listing ORDER BY lot_quantity DESC`,
    );
    expect(stored[0]).toEqual({ lot_quantity: 4, effective_price: 1000 });
    const p = await plan({ quantity: 4 });
    expect(p.satisfiable).toBe(true);
    const best = p.plans[0]!;
    expect(best.totalPrice).toBe(4000);
    expect(best.lines.map((l) => [l.quantity, l.nodes, l.unitPrice, l.price])).toEqual([
      [1, 4, 1000, 4000],
    ]);
  });

  it('mixes in listings of unknown chassis or CPU, never in a homogeneous plan', async () => {
    const [unknownBoth, unknownChassis, unknownCpu] = await seed([
      { chassis: null, cpu: null, price: 500 },
      { chassis: null, cpu: 'Gold 6148', price: 600 },
      { chassis: 'R740xd', cpu: null, price: 700 },
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 1000, available: 5 },
      // cheapest of all, but no listing of its group has enough cores (the probe skips it)
      { chassis: 'R640', cpu: 'Silver 4114', price: 100, cores: 20, available: 9 },
    ]);
    const mixed = await plan({ quantity: 4, minCores: 32, homogeneous: false });
    expect(mixed.plans[0]).toMatchObject({ kind: 'mixed', totalPrice: 2800, satisfiable: true });
    const bought = mixed.plans[0]!.lines.map((l) => l.candidate.listingId);
    expect(bought).toHaveLength(4);
    expect(bought).toEqual(expect.arrayContaining([unknownBoth, unknownChassis, unknownCpu]));
    const homogeneous = await plan({ quantity: 4, minCores: 32 });
    expect(homogeneous.plans).toHaveLength(1);
    expect(homogeneous.plans[0]).toMatchObject({
      kind: 'homogeneous',
      chassis: 'R740xd',
      cpuModel: 'Gold 6148',
      totalPrice: 4000,
    });
    expect(JSON.stringify([mixed, homogeneous])).not.toMatch(/Silver 4114/);
  });

  it('keeps the cheapest nodes of a group deep in a large one', async () => {
    // 60 listings of one group: only the cheapest 3 nodes matter for a 3-node need
    const rows = Array.from({ length: 60 }, (_, i) => ({
      chassis: 'R740xd',
      cpu: 'Gold 6148',
      price: 2000 - i * 10,
    }));
    await seed(rows);
    const p = await plan({ quantity: 3 });
    expect(p.plans[0]!.lines.map((l) => l.unitPrice)).toEqual([1410, 1420, 1430]);
  });
});
