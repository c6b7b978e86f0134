import { ApiKeysService } from '../src/auth/api-keys.service';
import { ListingsService } from '../src/listings/listings.service';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, startTestApp, truncateAll } from './support/app';
import { makeRawListing } from './support/factories';

const PAGE = `query($first: Int!, $after: String, $order: ListingOrder!) {
  listings(first: $first, after: $after, orderBy: $order) {
    totalCount
    edges { cursor node { id externalId price } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('GraphQL over HTTP (booted app, real PostgreSQL)', () => {
  let app: TestApp;
  let viewer: Record<string, string>;
  let admin: Record<string, string>;
  let sourceId: number;

  beforeAll(async () => {
    app = await startTestApp({ APP_ROLE: 'api' });
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });
  beforeEach(async () => {
    await truncateAll(app.db);
    const keys = app.app.get(ApiKeysService);
    viewer = { authorization: `Bearer ${(await keys.create('viewer', 'v')).key}` };
    admin = { authorization: `Bearer ${(await keys.create('admin', 'a')).key}` };
    sourceId = (await app.app.get(SourcesService).ensure('e2e', 'manual')).id;
  });

  const ingest = (
    listings: ReturnType<typeof makeRawListing>[],
    observedAt = '2026-11-01T00:00:00Z',
  ) => app.app.get(ListingsService).ingest({ sourceId, observedAt, listings });

  it('GET /health reports database and Redis', async () => {
    const res = await fetch(`${app.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('pages with stable cursors while new listings arrive', async () => {
    await ingest(Array.from({ length: 25 }, (_, i) => makeRawListing({ price: 1000 + i * 10 })));
    const seen: string[] = [];
    let after: string | null = null;
    let first = true;
    for (;;) {
      const res: any = await app.graphql(PAGE, { first: 10, after, order: 'PRICE' }, viewer);
      expect(res.body.errors).toBeUndefined();
      const conn = res.body.data.listings;
      if (first) {
        expect(conn.totalCount).toBe(25);
        // cheaper listings arrive after the first page was read: they sort before the cursor
        await ingest(
          [makeRawListing({ price: 1 }), makeRawListing({ price: 2 })],
          '2026-11-02T00:00:00Z',
        );
        first = false;
      }
      seen.push(...conn.edges.map((e: any) => e.node.externalId));
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
  });

  it('listing(id) returns its price history, newest first', async () => {
    const l = makeRawListing({ price: 500 });
    await ingest([l], '2026-11-01T00:00:00Z');
    await ingest([{ ...l, price: 450 }], '2026-11-02T00:00:00Z');
    await ingest([{ ...l, price: 400 }], '2026-11-03T00:00:00Z');
    const [row] = await app.db.query('SELECT id FROM listing');
    const res = await app.graphql(
      `query($id: ID!) { listing(id: $id) { title price priceHistory { price observedAt } } }`,
      { id: String(row.id) },
      viewer,
    );
    expect(res.body.data.listing.price).toBe(400);
    expect(res.body.data.listing.priceHistory.map((h: any) => h.price)).toEqual([400, 450, 500]);
  });

  it('maps errors to codes without leaking internals', async () => {
    const notFound = await app.graphql(`{ listing(id: "999999") { id } }`, {}, viewer);
    expect(notFound.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const badCursor = await app.graphql(
      PAGE,
      { first: 5, after: 'garbage', order: 'PRICE' },
      viewer,
    );
    expect(badCursor.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // above the page-size cap but under the cost limit: refused by the cap
    const overCap = await app.graphql(PAGE, { first: 250, order: 'PRICE' }, viewer);
    expect(overCap.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(overCap.body.errors[0].message).toMatch(/first must be between 1 and 200/);
    // far above: the cost limit rejects it before execution, with the computed cost
    const tooMany = await app.graphql(PAGE, { first: 5000, order: 'PRICE' }, viewer);
    expect(tooMany.body.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    expect(tooMany.body.errors[0].extensions.cost).toBeGreaterThan(
      tooMany.body.errors[0].extensions.maxCost,
    );
    // a kind no listing has, or an id that is no id, is refused rather than matching nothing
    const kind = await app.graphql(
      `{ listings(first: 1, filter: { kind: "memory" }) { totalCount } }`,
      {},
      viewer,
    );
    expect(kind.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(kind.body.errors[0].message).toMatch(
      /filter\.kind: 'memory' is not a listing kind \(server, .*ram/,
    );
    const ram = await app.graphql(
      `{ listings(first: 1, filter: { kind: " RAM ", sourceIds: ["${sourceId}"] }) { totalCount } }`,
      {},
      viewer,
    );
    expect(ram.body.errors).toBeUndefined();
    const badSource = await app.graphql(
      `{ listings(first: 1, filter: { sourceIds: ["1", "x"] }) { totalCount } }`,
      {},
      viewer,
    );
    expect(badSource.body.errors[0].message).toBe("filter.sourceIds[1]: 'x' is not a source id");
    const invalid = await app.graphql(`{ listings(first: 1) { nope } }`, {}, viewer);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(invalid.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it('requires a valid key and the right role', async () => {
    const anon = await app.graphql(PAGE, { first: 1, order: 'PRICE' });
    expect(anon.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const wrong = await app.graphql(
      PAGE,
      { first: 1, order: 'PRICE' },
      { authorization: 'Bearer rh_nope' },
    );
    expect(wrong.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    const create = `mutation { createApiKey(input: { name: "x", role: ops }) { key apiKey { role } } }`;
    const denied = await app.graphql(create, {}, viewer);
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const before = await app.db.query('SELECT count(*)::int AS n FROM api_key');
    expect(before[0].n).toBe(2); // nothing changed
    const ok = await app.graphql(create, {}, admin);
    expect(ok.body.data.createApiKey.apiKey.role).toBe('ops');
    const newKey = ok.body.data.createApiKey.key;
    const [stored] = await app.db.query('SELECT key_hash FROM api_key WHERE role = $1', ['ops']);
    expect(stored.key_hash).not.toContain(newKey);
  });
});
