import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  type GraphQLInputType,
  buildSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { rowsOf } from '../src/common/sql';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { ListingsService } from '../src/listings/listings.service';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, startTestApp, truncateAll } from './support/app';
import { makeRawListing } from './support/factories';

/** A server listing with the spec and metric columns the planner reads. */
interface Server {
  chassis: string;
  cpu: string;
  cores?: number;
  ramGb?: number;
  /** Listing price (a lot's whole price); stored per node, as valuation stores it. */
  price: number;
  available?: number | null;
  lot?: number;
  cpuScore?: number;
  breakEven?: number | null;
  tco?: number | null;
}

const PLAN = `query($id: ID!) {
  planFleetNeed(id: $id) {
    satisfiable reason candidatesConsidered
    plans {
      rank kind chassis cpuModel satisfiable reason nodes totalPrice upgradeCost totalTco
      totalCpuScore breakEvenMonths
      lines { listingId quantity nodes unitPrice price upgrade { kind addGb cost } }
    }
  }
}`;

/** A literal of `type` for a call that must be refused before its arguments are looked at. */
function literal(type: GraphQLInputType): string {
  if (isNonNullType(type)) return literal(type.ofType);
  if (isListType(type)) return `[${literal(type.ofType)}]`;
  if (isEnumType(type)) return type.getValues()[0]!.name;
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter(
      (f) => isNonNullType(f.type) && f.defaultValue === undefined,
    );
    return `{ ${fields.map((f) => `${f.name}: ${literal(f.type)}`).join(', ')} }`;
  }
  switch (type.name) {
    case 'Int':
    case 'Float':
      return '1';
    case 'Boolean':
      return 'true';
    case 'DateTime':
      return '"2026-01-01T00:00:00Z"';
    default:
      return '"1"';
  }
}

const CREATE = `mutation($input: FleetNeedInput!) { createFleetNeed(input: $input) { id name quantity homogeneous } }`;

describe('procurement API over HTTP (booted app, real PostgreSQL)', () => {
  let app: TestApp;
  let viewer: Record<string, string>;
  let buyer: Record<string, string>;
  let sourceId: number;

  beforeAll(async () => {
    app = await startTestApp({ APP_ROLE: 'api', GRAPHQL_INTROSPECTION: 'false' });
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });
  beforeEach(async () => {
    await truncateAll(app.db);
    const keys = app.app.get(ApiKeysService);
    viewer = { authorization: `Bearer ${(await keys.create('viewer', 'v')).key}` };
    buyer = { authorization: `Bearer ${(await keys.create('procurement', 'p')).key}` };
    sourceId = (await app.app.get(SourcesService).ensure('e2e', 'manual')).id;
  });

  async function seed(servers: Server[]): Promise<number[]> {
    const raws = servers.map((s) => makeRawListing({ price: s.price, shipping: 0 }));
    await app.app
      .get(ListingsService)
      .ingest({ sourceId, observedAt: new Date().toISOString(), listings: raws });
    const ids: number[] = [];
    for (const [i, s] of servers.entries()) {
      const result: unknown = await app.db.query(
        `UPDATE listing SET kind = 'server', vendor = 'Dell', chassis = $2, cpu_model = $3,
           cores = $4, threads = $4 * 2, ram_gb = $5, quantity_available = $6, lot_quantity = $7,
           effective_price = $8::numeric / $7::int, cpu_score = $9, break_even_months = $10,
           tco = $11::numeric / $7::int
         WHERE external_id = $1 RETURNING id`,
        [
          raws[i]!.externalId,
          s.chassis,
          s.cpu,
          s.cores ?? 40,
          s.ramGb ?? 256,
          s.available === undefined ? 1 : s.available,
          s.lot ?? 1,
          s.price,
          s.cpuScore ?? 50_000,
          s.breakEven === undefined ? 12 : s.breakEven,
          s.tco === undefined ? s.price * 2 : s.tco,
        ],
      );
      ids.push(rowsOf<{ id: number }>(result)[0]!.id);
    }
    return ids;
  }

  async function createNeed(input: Record<string, unknown>): Promise<string> {
    const res = await app.graphql(CREATE, { input: { name: 'need', ...input } }, buyer);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.createFleetNeed.id as string;
  }

  const plan = async (id: string) => {
    const res = await app.graphql(PLAN, { id }, viewer);
    expect(res.body.errors).toBeUndefined();
    return res.body.data.planFleetNeed;
  };

  it('creates, reads, updates and deletes fleet needs with validated input', async () => {
    const id = await createNeed({ quantity: 8, minCores: 32, minRamGb: 256, totalBudget: 40000 });
    const read = await app.graphql(
      `query($id: ID!) { fleetNeed(id: $id) { name quantity minCores minRamGb totalBudget homogeneous } }`,
      { id },
      viewer,
    );
    expect(read.body.data.fleetNeed).toEqual({
      name: 'need',
      quantity: 8,
      minCores: 32,
      minRamGb: 256,
      totalBudget: 40000,
      homogeneous: true,
    });
    const upd = await app.graphql(
      `mutation($id: ID!) { updateFleetNeed(id: $id, patch: { quantity: 10, minCores: null }) { quantity minCores minRamGb } }`,
      { id },
      buyer,
    );
    expect(upd.body.data.updateFleetNeed).toEqual({ quantity: 10, minCores: null, minRamGb: 256 });

    const bad = await app.graphql(CREATE, { input: { name: ' ', quantity: 0 } }, buyer);
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors[0].message).toMatch(
      /name: must not be empty; quantity: must be at least 1/,
    );
    const badUpdate = await app.graphql(
      `mutation($id: ID!) { updateFleetNeed(id: $id, patch: { minCores: 64, minThreads: 8 }) { id } }`,
      { id },
      buyer,
    );
    expect(badUpdate.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(badUpdate.body.errors[0].message).toMatch(/minThreads/);

    const list = await app.graphql(`{ fleetNeeds { id quantity } }`, {}, viewer);
    expect(list.body.data.fleetNeeds).toEqual([{ id, quantity: 10 }]);
    const del = await app.graphql(
      `mutation($id: ID!) { deleteFleetNeed(id: $id) { id } }`,
      { id },
      buyer,
    );
    expect(del.body.data.deleteFleetNeed.id).toBe(id);
    const gone = await app.graphql(`query($id: ID!) { fleetNeed(id: $id) { id } }`, { id }, viewer);
    expect(gone.body.errors[0].extensions.code).toBe('NOT_FOUND');
  });

  it('every mutation in the schema refuses a viewer and an anonymous caller, changing nothing', async () => {
    const schema = buildSchema(readFileSync(join(__dirname, '..', 'schema.gql'), 'utf8'));
    const mutations = Object.values(schema.getMutationType()!.getFields());
    expect(mutations.length).toBeGreaterThan(20);
    const tables = rowsOf<{ name: string }>(
      await app.db.query(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1`,
      ),
    ).map((t) => t.name);
    const counts = async () =>
      rowsOf<{ n: string }>(
        await app.db.query(
          tables.map((t) => `SELECT count(*)::text AS n FROM "${t}"`).join(' UNION ALL '),
        ),
      ).map((r) => r.n);
    const before = await counts();
    const answered: Record<string, [string, string]> = {};
    for (const m of mutations) {
      const args = m.args
        .filter((a) => isNonNullType(a.type) && a.defaultValue === undefined)
        .map((a) => `${a.name}: ${literal(a.type)}`);
      const selection = isObjectType(getNamedType(m.type)) ? ' { __typename }' : '';
      const query = `mutation { ${m.name}${args.length ? `(${args.join(', ')})` : ''}${selection} }`;
      const asViewer = await app.graphql(query, {}, viewer);
      const asNobody = await app.graphql(query, {});
      answered[m.name] = [
        asViewer.body.errors?.[0]?.extensions?.code ?? 'ANSWERED',
        asNobody.body.errors?.[0]?.extensions?.code ?? 'ANSWERED',
      ];
    }
    const expected = Object.fromEntries(
      mutations.map((m) => [m.name, ['FORBIDDEN', 'UNAUTHENTICATED']]),
    );
    expect(answered).toEqual(expected);
    expect(await counts()).toEqual(before);
  });

  it('refuses every fleet mutation to a viewer and changes nothing', async () => {
    const id = await createNeed({ quantity: 3 });
    const attempts = [
      [CREATE, { input: { name: 'x', quantity: 1 } }],
      [`mutation($id: ID!) { updateFleetNeed(id: $id, patch: { quantity: 99 }) { id } }`, { id }],
      [`mutation($id: ID!) { deleteFleetNeed(id: $id) { id } }`, { id }],
    ] as const;
    for (const [query, vars] of attempts) {
      const res = await app.graphql(query, vars, viewer);
      expect(res.body.errors[0].extensions.code).toBe('FORBIDDEN');
      const anon = await app.graphql(query, vars);
      expect(anon.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    }
    const rows = await app.db.query('SELECT id::text, quantity FROM fleet_need');
    expect(rows).toEqual([{ id, quantity: 3 }]);
  });

  it('plans a satisfiable need with the cheapest homogeneous fill and its totals', async () => {
    const [a1, a2] = await seed([
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 1000, available: 3, breakEven: 10 },
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 1100, available: 5, breakEven: 20 },
      { chassis: 'R640', cpu: 'Silver 4114', price: 900, available: 1 },
      // below the minimums
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 100, cores: 8 },
    ]);
    const id = await createNeed({ quantity: 4, minCores: 32, minRamGb: 128 });
    const p = await plan(id);
    expect(p.satisfiable).toBe(true);
    const best = p.plans[0];
    expect(best).toMatchObject({
      rank: 1,
      kind: 'HOMOGENEOUS',
      chassis: 'R740xd',
      cpuModel: 'Gold 6148',
      satisfiable: true,
      nodes: 4,
      totalPrice: 4100,
      totalTco: 8200,
      totalCpuScore: 200_000,
    });
    expect(best.lines).toEqual([
      { listingId: String(a1), quantity: 3, nodes: 3, unitPrice: 1000, price: 3000, upgrade: null },
      { listingId: String(a2), quantity: 1, nodes: 1, unitPrice: 1100, price: 1100, upgrade: null },
    ]);
    // sum(price) / sum(price / breakEven) = 4100 / (300 + 55)
    expect(best.breakEvenMonths).toBeCloseTo(11.5, 1);
    // the R640 group cannot reach 4 nodes
    expect(p.plans.find((x: any) => x.chassis === 'R640')).toMatchObject({
      satisfiable: false,
      nodes: 1,
    });
  });

  it('says why a need cannot be met', async () => {
    await seed([
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 3500, available: 7 },
      { chassis: 'R640', cpu: 'Gold 6130', price: 3900, available: 5 },
      { chassis: 'R640', cpu: 'Gold 6130', price: 4500, available: 50 },
    ]);
    const id = await createNeed({ quantity: 20, maxUnitPrice: 4000, homogeneous: false });
    const p = await plan(id);
    expect(p.satisfiable).toBe(false);
    expect(p.reason).toBe('only 12 of 20 nodes available under $4,000/unit');
    expect(p.plans[0]).toMatchObject({ kind: 'MIXED', nodes: 12, satisfiable: false });

    const homog = await createNeed({ quantity: 10, maxUnitPrice: 4000 });
    const h = await plan(homog);
    expect(h.satisfiable).toBe(false);
    expect(h.reason).toMatch(
      /no single chassis and CPU model offers 10 nodes.*R740xd \/ Gold 6148, has 7/,
    );
  });

  it('respects the total budget and lots', async () => {
    await seed([
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 4000, available: 2, lot: 4 }, // 1000/node
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 1200, available: 10 },
    ]);
    const tight = await createNeed({ quantity: 10, totalBudget: 9000 });
    const t = await plan(tight);
    expect(t.satisfiable).toBe(false);
    // 2 lots of 4 (8000) + 2 singles (2400)
    expect(t.reason).toBe('budget $9,000 exceeded: cheapest is $10,400');
    const enough = await createNeed({ quantity: 10, totalBudget: 10400 });
    const e = await plan(enough);
    expect(e.satisfiable).toBe(true);
    expect(e.plans[0].totalPrice).toBe(10400);
    expect(e.plans[0].lines.map((l: any) => [l.quantity, l.nodes])).toEqual([
      [2, 8],
      [2, 2],
    ]);
  });

  it('keeps a homogeneous fleet on one chassis and CPU; a mixed need may combine', async () => {
    await seed([
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 1000, available: 2 },
      { chassis: 'R640', cpu: 'Gold 6130', price: 1050, available: 2 },
      { chassis: 'R640', cpu: 'Gold 6130', price: 1300, available: 2 },
    ]);
    const homog = await plan(await createNeed({ quantity: 4 }));
    expect(homog.plans[0]).toMatchObject({
      kind: 'HOMOGENEOUS',
      chassis: 'R640',
      cpuModel: 'Gold 6130',
      totalPrice: 4700,
    });
    expect(homog.plans.every((x: any) => x.kind === 'HOMOGENEOUS')).toBe(true);
    const mixed = await plan(await createNeed({ quantity: 4, homogeneous: false }));
    expect(mixed.plans[0]).toMatchObject({ kind: 'MIXED', totalPrice: 4100, satisfiable: true });
    expect(mixed.plans[0].chassis).toBeNull();
    expect(mixed.plans[1]).toMatchObject({ kind: 'HOMOGENEOUS', totalPrice: 4700 });
  });

  it('plans a listing one RAM upgrade away with the upgrade cost added', async () => {
    const [short] = await seed([
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 800, ramGb: 64, available: 2 },
      { chassis: 'R740xd', cpu: 'Gold 6148', price: 1000, ramGb: 256, available: 2 },
      // not in the chassis catalog: cannot be upgraded
      { chassis: 'Frankenbox 9000', cpu: 'Gold 6148', price: 500, ramGb: 64, available: 9 },
    ]);
    const p = await plan(await createNeed({ quantity: 2, minRamGb: 256 }));
    const best = p.plans[0];
    // 192 GB of DDR4 at the settings' 1.2/GB = 230.4 per node: 1030.4 > 1000, so not chosen...
    expect(best.lines).toHaveLength(1);
    expect(best.lines[0].unitPrice).toBe(1000);
    // ...but it is chosen when it is the cheaper way
    await app.db.query('UPDATE listing SET effective_price = 700 WHERE id = $1', [short]);
    const q = await plan(await createNeed({ quantity: 2, minRamGb: 256 }));
    expect(q.plans[0].lines).toEqual([
      {
        listingId: String(short),
        quantity: 2,
        nodes: 2,
        unitPrice: 930.4,
        price: 1860.8,
        upgrade: { kind: 'ram', addGb: 192, cost: 230.4 },
      },
    ]);
    expect(q.plans[0].upgradeCost).toBe(460.8);
    expect(JSON.stringify(q)).not.toMatch(/Frankenbox/);
    const noUpgrades = await plan(
      await createNeed({ quantity: 2, minRamGb: 256, allowUpgrades: false }),
    );
    expect(noUpgrades.plans[0].lines[0].upgrade).toBeNull();
  });

  it('reports market percentiles and a weekly trend', async () => {
    const day = 24 * 3600 * 1000;
    const now = Date.now();
    const l = makeRawListing({ price: 1000, shipping: 0 });
    const ingest = app.app.get(ListingsService);
    // five weekly observations rising 10 per week
    for (let w = 4; w >= 0; w--) {
      await ingest.ingest({
        sourceId,
        observedAt: new Date(now - w * 7 * day).toISOString(),
        listings: [{ ...l, price: 1000 + (4 - w) * 10 }],
      });
    }
    await app.db.query(`UPDATE listing SET config_key = 'server|r740xd|2x gold 6148|256'`);
    const res = await app.graphql(
      `{ marketStats(configuration: "server|r740xd|2x gold 6148|256", windowDays: 60) {
          n min max p10 median p90 trendPctPerWeek weekly { median n } } }`,
      {},
      viewer,
    );
    expect(res.body.errors).toBeUndefined();
    const s = res.body.data.marketStats;
    expect(s).toMatchObject({ n: 5, min: 1000, max: 1040, median: 1020, p10: 1004, p90: 1036 });
    expect(s.trendPctPerWeek).toBeGreaterThan(0.9);
    expect(s.trendPctPerWeek).toBeLessThan(1.1);
    const both = await app.graphql(
      `{ marketStats(configuration: "a", partNumber: "b", windowDays: 30) { n } }`,
      {},
      viewer,
    );
    expect(both.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('refuses introspection when it is off', async () => {
    const res = await app.graphql(`{ __schema { queryType { name } } }`, {}, viewer);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].message).toMatch(/introspection/i);
    expect(res.body.data).toBeNull();
  });

  it('loads a page of 100 listings with history and source in as many statements as 10', async () => {
    await app.app.get(ListingsService).ingest({
      sourceId,
      observedAt: new Date().toISOString(),
      listings: Array.from({ length: 120 }, (_, i) => makeRawListing({ price: 100 + i })),
    });
    const query = `query($first: Int!) { listings(first: $first, orderBy: PRICE) {
      edges { node { id priceHistory(last: 5) { price } source { name } } } } }`;
    let statements = 0;
    const logger = app.db.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (q, p, r) => {
      statements++;
      return original(q, p, r);
    };
    try {
      const count = async (first: number) => {
        statements = 0;
        const res = await app.graphql(query, { first }, viewer);
        expect(res.body.errors).toBeUndefined();
        expect(res.body.data.listings.edges).toHaveLength(first);
        expect(res.body.data.listings.edges[0].node.source.name).toBe('e2e');
        expect(res.body.data.listings.edges[0].node.priceHistory).toHaveLength(1);
        return statements;
      };
      await count(10); // warm-up: the first call of a key records its use
      const ten = await count(10);
      const hundred = await count(100);
      expect(ten).toBeGreaterThanOrEqual(3); // page, history, source
      expect(hundred).toBe(ten);
    } finally {
      logger.logQuery = original;
    }
  });
});

describe('query limits and rate limits (booted app)', () => {
  let app: TestApp;
  let keys: ApiKeysService;

  beforeAll(async () => {
    app = await startTestApp({
      APP_ROLE: 'api',
      GRAPHQL_MAX_DEPTH: '4',
      GRAPHQL_MAX_COST: '300',
      RATE_LIMIT_PER_MINUTE: '6',
      RATE_LIMIT_BURST: '3',
    });
    keys = app.app.get(ApiKeysService);
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });
  // No truncation here: rate buckets are keyed by API key id, so every test uses fresh keys.
  const bearer = async () => ({
    authorization: `Bearer ${(await keys.create('procurement', 'limits')).key}`,
  });

  it('rejects a query deeper than the maximum before executing it, with its depth', async () => {
    const h = await bearer();
    const deep = `query($id: ID!) { planFleetNeed(id: $id) { plans { lines { upgrade { cost } } } } }`;
    // the need does not exist: a NOT_FOUND would prove execution happened
    const res = await app.graphql(deep, { id: '1' }, h);
    expect(res.status).toBe(400);
    expect(res.body.errors[0].extensions).toMatchObject({
      code: 'QUERY_TOO_COMPLEX',
      depth: 5,
      maxDepth: 4,
    });
    const viaFragment = await app.graphql(
      `query { listings(first: 1) { ...E } } fragment E on ListingConnection { edges { node { source { name } } } }`,
      {},
      h,
    );
    expect(viaFragment.body.errors[0].extensions).toMatchObject({ depth: 5 });
  });

  it('rejects a query costlier than the maximum, with the computed cost', async () => {
    const h = await bearer();
    const q = `query($first: Int!) { listings(first: $first) { edges { node { id } } } }`;
    const ok = await app.graphql(q, { first: 2 }, h);
    expect(ok.body.errors).toBeUndefined();
    const tooMuch = await app.graphql(q, { first: 200 }, h);
    expect(tooMuch.status).toBe(400);
    // listings 1 + 200 x (edges 1 + node 1 + id 0)
    expect(tooMuch.body.errors[0].extensions).toEqual({
      code: 'QUERY_TOO_COMPLEX',
      reason: 'QUERY_TOO_COSTLY',
      cost: 401,
      maxCost: 300,
    });
  });

  it('limits requests per key and says when to retry', async () => {
    const a = await bearer();
    const b = await bearer();
    const q = `{ fleetNeeds { id } }`;
    for (let i = 0; i < 3; i++) {
      const res = await app.graphql(q, {}, a);
      expect(res.body.errors).toBeUndefined();
    }
    const limited = await app.graphql(q, {}, a);
    expect(limited.status).toBe(429);
    expect(limited.body.errors[0].extensions.code).toBe('RATE_LIMITED');
    expect(limited.body.errors[0].extensions.retryAfter).toBeGreaterThanOrEqual(1);
    // another key has its own bucket
    const other = await app.graphql(q, {}, b);
    expect(other.body.errors).toBeUndefined();
  });
});
