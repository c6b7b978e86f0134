import { ApiKeysService } from '../src/auth/api-keys.service';
import { ListingsService } from '../src/listings/listings.service';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, startTestApp, truncateAll } from './support/app';
import { makeRawListing } from './support/factories';

/**
 * Mercurius compiles a query with graphql-jit the second time it sees it (`jit: 1`), and the
 * listings resolver reads only the columns the query selects. Whatever the path, a client must
 * get the same answer: the first response (interpreted by graphql-js) is compared with later
 * ones (compiled).
 */
describe('compiled queries answer as interpreted ones (booted app)', () => {
  let app: TestApp;
  let viewer: Record<string, string>;

  beforeAll(async () => {
    app = await startTestApp({ APP_ROLE: 'api' });
    await truncateAll(app.db);
    viewer = {
      authorization: `Bearer ${(await app.app.get(ApiKeysService).create('viewer', 'v')).key}`,
    };
    const sourceId = (await app.app.get(SourcesService).ensure('jit', 'manual')).id;
    await app.app.get(ListingsService).ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [
        makeRawListing({ price: 1500, attributes: { Brand: 'Dell' } }),
        makeRawListing({ price: 900 }),
        makeRawListing({ price: 1200, title: 'HPE ProLiant DL380 Gen10 2x Gold 6148 384GB' }),
      ],
    });
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });

  async function thrice(query: string, variables: Record<string, unknown> = {}) {
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await app.graphql(query, variables, viewer));
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
    return runs[0]!;
  }

  it('pages with every listing field, nested objects, dates and cursors', async () => {
    const res = await thrice(
      `query($first: Int!) {
      listings(first: $first, orderBy: PRICE) {
        totalCount
        edges { cursor node {
          id title price currency status firstSeenAt lastSeenAt endedAt
          attributes { key value }
          specs { kind chassis cpuModel cores ramGb configKey confidence }
          metrics { effectivePrice cpuScorePerDollar valuationVersion valuedAt reasons { metric reason } }
          priceHistory(last: 2) { price observedAt status }
          source { name }
        } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
      { first: 2 },
    );
    expect(res.body.errors).toBeUndefined();
    const page = res.body.data.listings;
    expect(page.totalCount).toBe(3);
    expect(page.edges.map((e: any) => e.node.price)).toEqual([900, 1200]);
    expect(page.edges[0].node.specs.chassis).toMatch(/R740xd/);
    expect(page.pageInfo).toEqual({ hasNextPage: true, endCursor: page.edges[1].cursor });
  });

  it('a page of few fields matches the same page read with every column', async () => {
    const narrow = await thrice(`{ listings(first: 3, orderBy: CPU_SCORE_PER_DOLLAR) {
      edges { node { id title price metrics { cpuScorePerDollar } } } } }`);
    const wide = await thrice(`{ listings(first: 3, orderBy: CPU_SCORE_PER_DOLLAR) {
      edges { node { id title price url specs { kind } metrics { cpuScorePerDollar tco } } } } }`);
    expect(narrow.body.data.listings.edges).toEqual(
      wide.body.data.listings.edges.map((e: any) => ({
        node: {
          id: e.node.id,
          title: e.node.title,
          price: e.node.price,
          metrics: { cpuScorePerDollar: e.node.metrics.cpuScorePerDollar },
        },
      })),
    );
  });

  it('reports resolver and field errors with the same codes', async () => {
    const missing = await thrice(`{ listing(id: "999999999") { id } }`);
    expect(missing.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const badArg = await thrice(
      `{ listings(first: 1) { edges { node { id priceHistory(last: 0) { price } } } } }`,
    );
    expect(badArg.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    // (the list index arrives as "0" with or without the compiler)
    expect(badArg.body.errors[0].path.map(String)).toEqual([
      'listings',
      'edges',
      '0',
      'node',
      'priceHistory',
    ]);
  });
});
