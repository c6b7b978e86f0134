import { JobName, QueueName } from '../src/queue/queues';
import { INGEST_SQL, ListingsRepository, toWriteRow } from '../src/listings/listings.repository';
import { ListingsService } from '../src/listings/listings.service';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, pauseIdle, startTestApp, truncateAll, waitFor } from './support/app';
import { makeRawListing } from './support/factories';

describe('ingest (real PostgreSQL, migrations applied)', () => {
  let app: TestApp;
  let listings: ListingsService;
  let sourceId: number;

  beforeAll(async () => {
    app = await startTestApp({ APP_ROLE: 'all' });
    listings = app.app.get(ListingsService);
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });
  beforeEach(async () => {
    await truncateAll(app.db);
    sourceId = (await app.app.get(SourcesService).ensure('test-source', 'manual')).id;
  });

  /** Runs `fn` with the market job held off (see pauseIdle). */
  const withoutMarketJob = async (fn: () => Promise<void>) => {
    const resume = await pauseIdle(app.queue(QueueName.Valuation));
    try {
      await fn();
    } finally {
      await resume();
    }
  };

  const count = async (table: string) =>
    Number((await app.db.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

  it('inserts new listings with one observation each', async () => {
    const batch = [makeRawListing(), makeRawListing(), makeRawListing({ price: null })];
    const r = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: batch,
    });
    expect(r).toMatchObject({
      received: 3,
      inserted: 3,
      changed: 0,
      unchanged: 0,
      observations: 3,
      rejected: 0,
    });
    expect(await count('listing')).toBe(3);
    expect(await count('price_observation')).toBe(3);
  });

  it('replaying the same batch changes nothing (at-least-once delivery)', async () => {
    const batch = [makeRawListing(), makeRawListing()];
    const payload = { sourceId, observedAt: '2026-11-01T00:00:00Z', listings: batch };
    await withoutMarketJob(async () => {
      await listings.ingest(payload);
      const before = await app.db.query('SELECT id, xmin::text AS xmin FROM listing ORDER BY id');
      const again = await listings.ingest(payload);
      expect(again).toMatchObject({ inserted: 0, changed: 0, unchanged: 2, observations: 0 });
      const after = await app.db.query('SELECT id, xmin::text AS xmin FROM listing ORDER BY id');
      expect(after).toEqual(before); // not even rewritten
    });
    expect(await count('price_observation')).toBe(2);
  });

  it('appends an observation only when price, shipping or availability changed', async () => {
    const a = makeRawListing({ price: 100, shipping: 10 });
    const b = makeRawListing({ price: 200, shipping: 0 });
    const c = makeRawListing({ price: 300 });
    const d = makeRawListing({ price: 400 });
    await listings.ingest({ sourceId, observedAt: '2026-11-01T00:00:00Z', listings: [a, b, c, d] });
    const r = await listings.ingest({
      sourceId,
      observedAt: '2026-11-02T00:00:00Z',
      listings: [
        { ...a, price: 90 }, // price drop
        { ...b, shipping: 25 }, // shipping change
        { ...c, status: 'sold' }, // availability
        { ...d, title: `${d.title} (retitled)` }, // cosmetic only
      ],
    });
    expect(r).toMatchObject({ inserted: 0, changed: 3, unchanged: 1, observations: 3 });
    const hist = await app.db.query(
      `SELECT l.external_id, count(o.id)::int AS n FROM listing l JOIN price_observation o ON o.listing_id = l.id
       GROUP BY l.external_id ORDER BY l.external_id`,
    );
    expect(Object.fromEntries(hist.map((h: any) => [h.external_id, h.n]))).toEqual({
      [a.externalId]: 2,
      [b.externalId]: 2,
      [c.externalId]: 2,
      [d.externalId]: 1,
    });
    const [sold] = await app.db.query(
      'SELECT status, ended_at FROM listing WHERE external_id = $1',
      [c.externalId],
    );
    expect(sold.status).toBe('sold');
    expect(sold.ended_at).toBeInstanceOf(Date);
    const [retitled] = await app.db.query(
      'SELECT title, last_seen_at FROM listing WHERE external_id = $1',
      [d.externalId],
    );
    expect(retitled.title).toContain('(retitled)');
  });

  it('a same-day re-observation keeps the stored valuation; a changed input re-prices', async () => {
    const a = makeRawListing({ title: 'Dell PowerEdge R640 2x Xeon Gold 6148 256GB', price: 2000 });
    const b = makeRawListing({ title: 'Dell PowerEdge R640 2x Xeon Gold 6148 128GB', price: 1500 });
    await listings.ingest({ sourceId, observedAt: '2026-11-01T01:00:00Z', listings: [a, b] });
    const state = async () =>
      new Map<string, Record<string, unknown>>(
        (
          await app.db.query(
            `SELECT external_id, valued_at, last_seen_at, pricing_hash, effective_price::float8 AS ep
             FROM listing`,
          )
        ).map((r: Record<string, unknown>) => [r.external_id as string, r]),
      );
    const before = await state();
    const r = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T07:00:00Z',
      listings: [a, { ...b, price: 1200 }],
    });
    expect(r).toMatchObject({ inserted: 0, changed: 1, unchanged: 1, observations: 1 });
    const after = await state();
    // a: seen again, nothing to re-price: the valuation written at 01:00 stays
    expect(after.get(a.externalId)!.valued_at).toEqual(before.get(a.externalId)!.valued_at);
    expect(after.get(a.externalId)!.pricing_hash).toBe(before.get(a.externalId)!.pricing_hash);
    expect(after.get(a.externalId)!.last_seen_at).toEqual(new Date('2026-11-01T07:00:00Z'));
    // b: the price changed, so it was priced again
    expect(after.get(b.externalId)!.pricing_hash).not.toBe(before.get(b.externalId)!.pricing_hash);
    expect(after.get(b.externalId)!.ep).toBeLessThan(before.get(b.externalId)!.ep as number);
    // the next day everything is priced again (FX and data ages are dated by day)
    await listings.ingest({ sourceId, observedAt: '2026-11-02T01:00:00Z', listings: [a] });
    expect((await state()).get(a.externalId)!.pricing_hash).not.toBe(
      after.get(a.externalId)!.pricing_hash,
    );
  });

  it('re-observing a whole batch rewrites every row in place (HOT: no index entry written)', async () => {
    // The listings of one search page arrive together, share heap pages and are updated in one
    // transaction, which cannot prune the old versions before it commits. With fillfactor 50 a
    // page has room for a new version of each of its rows; at 80, three in four moved elsewhere
    // and wrote all 19 index entries.
    const batch = Array.from({ length: 200 }, (_, i) =>
      makeRawListing({
        title: `Dell PowerEdge R740xd 2x Xeon Gold 6148 ${[128, 256, 384][i % 3]}GB RAM 12x 4TB SAS 2x PSU #${i}`,
        price: 2000 + i,
      }),
    );
    const pages = async () =>
      new Map<string, string>(
        (
          await app.db.query(
            `SELECT external_id, (ctid::text::point)[0]::text AS page, last_seen_at FROM listing`,
          )
        ).map((r: { external_id: string; page: string }) => [r.external_id, r.page]),
      );
    await withoutMarketJob(async () => {
      await listings.ingest({ sourceId, observedAt: '2026-11-01T01:00:00Z', listings: batch });
      const before = await pages();
      expect(new Set(before.values()).size).toBeGreaterThan(20);
      const r = await listings.ingest({
        sourceId,
        observedAt: '2026-11-01T07:00:00Z',
        listings: batch,
      });
      expect(r).toMatchObject({ inserted: 0, changed: 0, unchanged: 200 });
      const [{ moved }] = await app.db.query(
        `SELECT count(*) FILTER (WHERE last_seen_at <> '2026-11-01T07:00:00Z')::int AS moved FROM listing`,
      );
      expect(moved).toBe(0); // every row was rewritten with its new last_seen_at...
      expect(await pages()).toEqual(before); // ...on the page it was on
    });
  });

  it('an unpriced row never inserts and never overwrites a valuation that changed meanwhile', async () => {
    const a = makeRawListing({ price: 100 });
    await listings.ingest({ sourceId, observedAt: '2026-11-01T01:00:00Z', listings: [a] });
    const repo = app.app.get(ListingsRepository);
    const stored = (await repo.storedForPricing(sourceId, [a.externalId])).get(a.externalId)!;
    // As a concurrent batch would: the row was re-priced between our read and our write.
    await app.db.query(`UPDATE listing SET pricing_hash = 'repriced-meanwhile'`);
    const ghost = makeRawListing();
    const r = await repo.upsertBatch(sourceId, new Date('2026-11-01T02:00:00Z'), null, [
      toWriteRow(a, null, stored.pricing_hash!),
      toWriteRow(ghost, null, 'no-such-row'),
    ]);
    expect(r.unpricedSkipped.sort()).toEqual([a.externalId, ghost.externalId].sort());
    expect(await count('listing')).toBe(1);
    const [row] = await app.db.query(`SELECT last_seen_at, pricing_hash FROM listing`);
    expect(row).toEqual({
      last_seen_at: new Date('2026-11-01T01:00:00Z'),
      pricing_hash: 'repriced-meanwhile',
    });
    // Through the service, such rows are priced and written.
    const again = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T02:00:00Z',
      listings: [a],
    });
    expect(again).toMatchObject({ inserted: 0, changed: 0, unchanged: 1 });
    const [priced] = await app.db.query(`SELECT last_seen_at, pricing_hash FROM listing`);
    expect(priced.last_seen_at).toEqual(new Date('2026-11-01T02:00:00Z'));
    expect(priced.pricing_hash).toBe(stored.pricing_hash);
  });

  it('an older batch arriving late never overwrites newer state', async () => {
    const a = makeRawListing({ price: 100 });
    await listings.ingest({
      sourceId,
      observedAt: '2026-11-05T00:00:00Z',
      listings: [{ ...a, price: 80 }],
    });
    const late = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [a],
    });
    expect(late).toMatchObject({ changed: 0, inserted: 0 });
    const [row] = await app.db.query('SELECT price FROM listing WHERE external_id = $1', [
      a.externalId,
    ]);
    expect(row.price).toBe(80);
  });

  it('a search card does not erase what an item page told us', async () => {
    const a = makeRawListing({ quantityAvailable: 7, attributes: { Brand: 'Dell' }, seller: 'x' });
    await listings.ingest({ sourceId, observedAt: '2026-11-01T00:00:00Z', listings: [a] });
    await listings.ingest({
      sourceId,
      observedAt: '2026-11-02T00:00:00Z',
      listings: [{ externalId: a.externalId, title: a.title, price: a.price, currency: 'USD' }],
    });
    const [row] = await app.db.query('SELECT quantity_available, attributes, seller FROM listing');
    expect(row).toEqual({ quantity_available: 7, attributes: { Brand: 'Dell' }, seller: 'x' });
  });

  it('rejects invalid rows with a reason and keeps the good ones', async () => {
    const r = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [
        makeRawListing(),
        { externalId: '', title: 'x' } as any,
        makeRawListing({ price: -5 } as any),
        // too large for their columns: rejected here rather than failing the batch's statement
        makeRawListing({ price: 1e13 }),
        makeRawListing({ bids: 3_000_000_000 }),
        makeRawListing({ quantityAvailable: 2 ** 31 }),
      ],
    });
    expect(r).toMatchObject({ received: 6, inserted: 1, rejected: 5 });
  });

  it('stores text exactly as sent: tabs, newlines, backslashes, quotes, "\\N"; NUL is removed', async () => {
    const odd = makeRawListing({
      title: 'Dell R640\t2x Gold 6148 "refurb" C:\\spares\\N 256GB',
      description: 'line one\r\nline two\\ \\N {a,b} ✓ 日本語',
      seller: '\\N',
      attributes: { 'Mod\tel': 'R640 "1U"\n', 'Cache\\Size': '{x,"y"}' },
    });
    const nul = makeRawListing({
      title: 'HPE DL360\0 Gen10',
      attributes: { 'Bra\0nd': 'H\0PE' },
    });
    const r = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [odd, nul],
    });
    expect(r).toMatchObject({ inserted: 2, rejected: 0 });
    const rows: Array<Record<string, unknown>> = await app.db.query(
      `SELECT external_id, title, description, seller, attributes FROM listing`,
    );
    const byId = new Map(rows.map((x) => [x.external_id, x]));
    expect(byId.get(odd.externalId)).toEqual({
      external_id: odd.externalId,
      title: odd.title,
      description: odd.description,
      seller: '\\N',
      attributes: odd.attributes,
    });
    expect(byId.get(nul.externalId)).toMatchObject({
      title: 'HPE DL360 Gen10',
      attributes: { Brand: 'HPE' },
    });
  });

  it('a batch the database refuses is rolled back whole; the next batch is unaffected', async () => {
    const repo = app.app.get(ListingsRepository);
    const good = toWriteRow(makeRawListing(), null, 'h');
    good.priced = true;
    const bad = { ...toWriteRow(makeRawListing(), null, 'h'), priced: true, ends_at: 'soon' };
    // More attempts than the pool has connections, so a connection that failed is reused.
    for (let i = 0; i < 12; i++) {
      await expect(
        repo.upsertBatch(sourceId, new Date('2026-11-01T00:00:00Z'), null, [good, bad]),
      ).rejects.toThrow(/timestamp/);
    }
    expect(await count('listing')).toBe(0);
    expect(await count('price_observation')).toBe(0);
    const ok = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [makeRawListing(), makeRawListing()],
    });
    expect(ok).toMatchObject({ inserted: 2, observations: 2 });
    expect(await count('listing')).toBe(2);
  });

  it('ingest probes the listings it needs by id, even when statistics describe an empty table', async () => {
    // A source's first big load: 20,000 rows already stored, and the table never analyzed since it
    // was empty. The planner then takes "source_id = $1" for a selective condition; a plan that
    // reads every listing of the source per batch made a first load quadratic.
    await app.db.query(
      `INSERT INTO listing (source_id, external_id, title, status, first_seen_at, last_seen_at,
         last_changed_at, config_key)
       SELECT $1, 'bulk-' || g, 'Dell PowerEdge R640', 'active', now(), now(), now(),
         'server|r640|?|' || (g % 50)
       FROM generate_series(1, 20000) g`,
      [sourceId],
    );
    const scans: Array<{ type: string; index?: string; cond?: string }> = [];
    const collect = (node: Record<string, unknown>) => {
      if (node['Relation Name'] === 'listing' && String(node['Node Type']).includes('Scan')) {
        scans.push({
          type: String(node['Node Type']),
          index: node['Index Name'] as string | undefined,
          cond: node['Index Cond'] as string | undefined,
        });
      }
      for (const child of (node.Plans as Array<Record<string, unknown>> | undefined) ?? []) {
        collect(child);
      }
    };
    const ids = Array.from({ length: 1000 }, (_, i) => `new-${i}`);
    const runner = app.db.createQueryRunner();
    try {
      await runner.startTransaction();
      await runner.query(INGEST_SQL.createStage);
      for (const [sql, params] of [
        [INGEST_SQL.storedForPricing, [sourceId, ids]],
        [INGEST_SQL.upsert, [sourceId, '2026-11-01T00:00:00Z', null]],
      ] as const) {
        const [{ 'QUERY PLAN': plan }] = await runner.query(`EXPLAIN (FORMAT JSON) ${sql}`, [
          ...params,
        ]);
        collect(plan[0].Plan);
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
    expect(scans.length).toBeGreaterThanOrEqual(2);
    for (const scan of scans) {
      expect(scan).toEqual({
        type: expect.stringMatching(/^Index (Only )?Scan$/),
        index: 'listing_source_external_uq',
        cond: expect.stringContaining('external_id'),
      });
    }
  });

  it('duplicate ids inside one batch keep the last card', async () => {
    const a = makeRawListing({ price: 100 });
    const r = await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [a, { ...a, price: 95 }],
    });
    expect(r.inserted).toBe(1);
    const [row] = await app.db.query('SELECT price FROM listing');
    expect(row.price).toBe(95);
  });

  it('concurrent deliveries of the same change record it once', async () => {
    const a = makeRawListing({ price: 100 });
    await listings.ingest({ sourceId, observedAt: '2026-11-01T00:00:00Z', listings: [a] });
    const payload = {
      sourceId,
      observedAt: '2026-11-02T00:00:00Z',
      listings: [{ ...a, price: 70 }],
    };
    await Promise.all(Array.from({ length: 8 }, () => listings.ingest(payload)));
    expect(await count('price_observation')).toBe(2);
  });

  it('price history is append-only in the database', async () => {
    await listings.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [makeRawListing()],
    });
    await expect(app.db.query('UPDATE price_observation SET price = 1')).rejects.toThrow(
      /append-only/,
    );
    await expect(app.db.query('DELETE FROM price_observation')).rejects.toThrow(/append-only/);
  });

  it('the ingest job runs through BullMQ and redelivery is harmless', async () => {
    const batch = [makeRawListing(), makeRawListing()];
    const q = app.queue(QueueName.Ingest);
    const payload = { sourceId, observedAt: '2026-11-01T00:00:00Z', listings: batch };
    await q.add(JobName.IngestBatch, payload);
    await q.add(JobName.IngestBatch, payload);
    await waitFor(async () => (await q.getCompletedCount()) >= 2, 20_000, 'two ingest jobs');
    expect(await count('listing')).toBe(2);
    expect(await count('price_observation')).toBe(2);
  });
});
