import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { runCli } from '../src/cli/main';
import { ListingsService } from '../src/listings/listings.service';
import { PricingRepository } from '../src/pricing/pricing.repository';
import { PricingService, VALUATION_SETTING_KEY } from '../src/pricing/pricing.service';
import { DEFAULT_VALUATION_SETTINGS } from '../src/pricing/valuation';
import { JobName, QueueName } from '../src/queue/queues';
import type { RawListing } from '../src/listings/raw-listing';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, pauseIdle, startTestApp, truncateAll, waitFor } from './support/app';
import { makeRawListing } from './support/factories';

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  try {
    return { code: await runCli(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const lines = (s: string) =>
  s
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

jest.setTimeout(60_000);

describe('pricing wired into ingest, recompute, market baselines and GraphQL', () => {
  let app: TestApp;
  let listings: ListingsService;
  let pricing: PricingService;
  let sourceId: number;
  let adminKey: string;
  let viewerKey: string;
  const now = () => new Date().toISOString();

  beforeAll(async () => {
    app = await startTestApp({ APP_ROLE: 'all' });
    listings = app.app.get(ListingsService);
    pricing = app.app.get(PricingService, { strict: false });
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
  });
  beforeEach(async () => {
    await drainQueues(app);
    await truncateAll(app.db);
    await pricing.reload();
    sourceId = (await app.app.get(SourcesService).ensure('pricing-src', 'manual')).id;
    const keys = app.app.get(ApiKeysService);
    adminKey = (await keys.create('admin', 'admin-test')).key;
    viewerKey = (await keys.create('viewer', 'viewer-test')).key;
  });

  const ingest = (batch: RawListing[], observedAt = now()) =>
    listings.ingest({ sourceId, observedAt, listings: batch });
  /**
   * What the debounced market job does, run now; then waits until no key is dirty, so a job that
   * claimed the keys first has finished writing too.
   */
  const settleMarket = async () => {
    await pricing.refreshDirtyMarket();
    await waitFor(
      async () => (await app.db.query('SELECT 1 FROM market_dirty_key')).length === 0,
      30_000,
      'dirty market keys drained',
    );
  };
  const row = async (externalId: string) =>
    (await app.db.query(`SELECT * FROM listing WHERE external_id = $1`, [externalId]))[0] as Record<
      string,
      any
    >;

  it('ingest writes spec columns, metrics and reasons for nulls', async () => {
    await ingest([
      makeRawListing({
        externalId: 's1',
        title: 'Dell PowerEdge R740xd 2x Gold 6148 256GB',
        price: 1000,
      }),
      makeRawListing({ externalId: 'g1', title: 'NVIDIA Tesla V100 32GB PCIe GPU', price: 800 }),
      makeRawListing({
        externalId: 'r1',
        title: 'Samsung 32GB DDR4-2666 RDIMM M393A4K40CB2-CTD',
        price: 40,
      }),
      makeRawListing({
        externalId: 'e1',
        title: '🔥🔥 0 $$$ 99999999999x E5-2680 v4 😀',
        price: 0,
      }),
      makeRawListing({ externalId: 'n1', title: 'mystery box', price: null }),
    ]);
    const s = await row('s1');
    expect(s).toMatchObject({
      kind: 'server',
      vendor: 'Dell',
      chassis: 'R740xd',
      cpu_model: 'Gold 6148',
      cpu_family: 'Xeon Scalable',
      cpu_count: 2,
      ram_gb: 256,
      effective_price: 1000,
    });
    expect(s.cores).toBe(40);
    expect(s.cpu_score).toBeGreaterThan(0);
    expect(s.cpu_score_per_dollar).toBeCloseTo(s.cpu_score / 1000, 6);
    expect(s.dollars_per_core).toBeCloseTo(1000 / 40, 6);
    expect(s.tflops_per_dollar).toBeNull();
    expect(s.metric_reasons.tflopsPerDollar).toMatch(/GPU/);
    expect(s.specs.spans.length).toBeGreaterThan(0);
    expect(s.spec_confidence).toBeGreaterThan(0.5);
    expect(s.valuation_version).toBe(pricing.version);
    expect(s.valued_at).toBeInstanceOf(Date);
    // the stored valuation is the compact part (versions, parts, TCO); `value` recomputes the rest
    expect(s.valuation).toMatchObject({ pricingVersion: pricing.version, settingsRevision: 0 });
    expect(s.valuation.tco.total).toBeCloseTo(s.tco, 2);
    expect(s.valuation.inputs).toBeUndefined();

    const g = await row('g1');
    expect(g).toMatchObject({ kind: 'gpu', gpu_model: 'V100', gpu_count: 1, gpu_memory_gb: 32 });
    expect(g.tflops_per_dollar).toBeGreaterThan(0);
    expect(g.dollars_per_gb_vram).toBeCloseTo(800 / 32, 6);

    const r = await row('r1');
    expect(r).toMatchObject({ kind: 'ram', ram_gb: 32 });
    expect(r.dollars_per_gb_ram).toBeCloseTo(40 / 32, 6);

    const e = await row('e1'); // emoji, zero price, absurd count: stored, never thrown
    expect(e.effective_price).toBe(0);
    expect(e.cpu_score_per_dollar).toBeNull();
    expect(e.metric_reasons.cpuScorePerDollar).toMatch(/zero/);
    const n = await row('n1');
    expect(n.effective_price).toBeNull();
    expect(n.metric_reasons.effectivePrice).toMatch(/no price/);
    expect(n.metric_reasons.discountToMarket).toBeDefined();
  });

  it('replaying a batch still writes nothing with pricing on', async () => {
    const batch = [makeRawListing(), makeRawListing({ title: 'NVIDIA A100 80GB' })];
    const at = now();
    await ingest(batch, at);
    await settleMarket();
    const before = await app.db.query('SELECT id, xmin::text AS x FROM listing ORDER BY id');
    const baseBefore = await app.db.query(
      'SELECT config_key, xmin::text AS x FROM market_baseline',
    );
    const again = await ingest(batch, at);
    expect(again).toMatchObject({ inserted: 0, changed: 0, unchanged: 2 });
    expect(await app.db.query('SELECT id, xmin::text AS x FROM listing ORDER BY id')).toEqual(
      before,
    );
    expect(await app.db.query('SELECT config_key, xmin::text AS x FROM market_baseline')).toEqual(
      baseBefore,
    );
    expect(await app.db.query('SELECT * FROM market_dirty_key')).toEqual([]);
  });

  it('market baseline per configuration key and discount to market', async () => {
    const title = 'HPE ProLiant DL360 Gen9 2x E5-2680 v4 128GB';
    // ingest marks the key dirty; the debounced job (paused here, run explicitly) rebuilds it
    const resume = await pauseIdle(app.queue(QueueName.Valuation));
    try {
      await ingest(
        [100, 200, 300].map((price, i) => makeRawListing({ externalId: `b${i}`, title, price })),
      );
      const dirty: Array<{ config_key: string }> = await app.db.query(
        'SELECT config_key FROM market_dirty_key',
      );
      expect(dirty).toHaveLength(1);
      await expect(pricing.refreshDirtyMarket()).resolves.toMatchObject({ keys: 1, listings: 3 });
      expect(await app.db.query('SELECT * FROM market_dirty_key')).toEqual([]);
    } finally {
      await resume();
    }
    const few = await row('b0');
    expect(few.config_key).toBeTruthy();
    expect(few.discount_to_market).toBeNull();
    expect(few.metric_reasons.discountToMarket).toMatch(/only 3 market observation/);

    await ingest(
      [400, 500, 600].map((price, i) => makeRawListing({ externalId: `c${i}`, title, price })),
    );
    await settleMarket();
    const [b] = await app.db.query('SELECT * FROM market_baseline WHERE config_key = $1', [
      few.config_key,
    ]);
    expect(b).toMatchObject({ n: 6, median: 350, p10: 150, p90: 550, window_days: 90 });
    const cheap = await row('b0');
    expect(cheap.discount_to_market).toBeCloseTo(((350 - 100) / 350) * 100, 2);
    expect(cheap.metric_reasons.discountToMarket).toBeUndefined();
    expect((await row('c2')).discount_to_market).toBeCloseTo(((350 - 600) / 350) * 100, 2);
  });

  it('a market median moves in steps: a ripple rewrites only the listing that changed', async () => {
    const title = 'HPE ProLiant DL360 Gen9 2x E5-2680 v4 128GB';
    const prices = [1000, 1100, 1200, 1300, 1400, 1500];
    const batch = prices.map((price, i) => makeRawListing({ externalId: `m${i}`, title, price }));
    await ingest(batch);
    await settleMarket();
    const key = (await row('m0')).config_key as string;
    const baseline = async () =>
      (await app.db.query('SELECT n, median FROM market_baseline WHERE config_key = $1', [key]))[0];
    const versions = async () =>
      new Map<string, string>(
        (
          await app.db.query(
            `SELECT external_id, xmin::text AS x FROM listing WHERE config_key = $1`,
            [key],
          )
        ).map((r: { external_id: string; x: string }) => [r.external_id, r.x]),
      );
    expect(await baseline()).toEqual({ n: 6, median: 1250 });

    // 1300 -> 1310 moves the fresh median to 1255 (0.4%): the basis stays, and only the listing
    // whose own price changed gets a new discount
    const before = await versions();
    await ingest([{ ...batch[3]!, price: 1310 }]);
    await settleMarket();
    expect(await baseline()).toEqual({ n: 6, median: 1250 });
    const rewritten = [...(await versions())].filter(([id, x]) => before.get(id) !== x);
    expect(rewritten.map(([id]) => id)).toEqual(['m3']);
    expect((await row('m3')).discount_to_market).toBeCloseTo(((1250 - 1310) / 1250) * 100, 2);
    expect((await row('m0')).discount_to_market).toBeCloseTo(((1250 - 1000) / 1250) * 100, 2);

    // 1200 -> 1400 moves it to 1355 (8%): the basis follows and every discount is rewritten
    await ingest([{ ...batch[2]!, price: 1400 }]);
    const moved = await versions();
    await settleMarket();
    expect(await baseline()).toEqual({ n: 6, median: 1355 });
    const after = await versions();
    expect([...after].filter(([id, x]) => moved.get(id) !== x)).toHaveLength(6);
    expect((await row('m0')).discount_to_market).toBeCloseTo(((1355 - 1000) / 1355) * 100, 2);
  });

  it('the debounced market job refreshes baselines on its own after a burst of batches', async () => {
    const title = 'Dell PowerEdge R640 2x Silver 4114 128GB';
    for (let i = 0; i < 3; i++) {
      await ingest([makeRawListing({ externalId: `burst${i}`, title, price: 100 * (i + 1) })]);
    }
    const key = (await row('burst0')).config_key as string;
    const [b] = await waitFor(
      async () => {
        const rows = await app.db.query('SELECT * FROM market_baseline WHERE config_key = $1', [
          key,
        ]);
        return rows.length ? rows : null;
      },
      30_000,
      'market job',
    );
    expect(b).toMatchObject({ n: 3, median: 200 });
    await waitFor(
      async () => (await app.db.query('SELECT 1 FROM market_dirty_key')).length === 0,
      30_000,
      'dirty keys drained',
    );
    // a key whose listings move to another key is refreshed too (the old baseline shrinks)
    await ingest(
      [makeRawListing({ externalId: 'burst0', title: 'Dell PowerEdge R640 2x Gold 6148 64GB' })],
      new Date(Date.now() + 1000).toISOString(),
    );
    await settleMarket();
    const [after] = await app.db.query('SELECT n FROM market_baseline WHERE config_key = $1', [
      key,
    ]);
    expect(after).toEqual({ n: 2 });
  });

  it('barebones parts are priced from market medians with enough parts listings, else settings', async () => {
    const server = (id: string) =>
      makeRawListing({
        externalId: id,
        title: 'HPE ProLiant DL380 Gen10 2x Gold 6148 No RAM No HDD',
        price: 900,
      });
    await ingest([server('bb1')]);
    const ramPart = (v: any) => v.valuation.partsNeeded.find((p: any) => p.part === 'ram');
    const first = await row('bb1');
    expect(ramPart(first)).toMatchObject({ priceSource: 'settings' });
    expect(first.tco).toBeGreaterThan(900);

    // 6 DDR4 modules at 2.50/GB: enough observations (minMarketObservations 5)
    await ingest(
      Array.from({ length: 6 }, (_, i) =>
        makeRawListing({
          externalId: `ram${i}`,
          title: 'Samsung 32GB DDR4-2666 RDIMM ECC',
          price: 80,
        }),
      ),
    );
    await pricing.partsMedians(true); // medians are cached for a minute between batches
    await ingest([server('bb2')]);
    const second = await row('bb2');
    expect(ramPart(second)).toMatchObject({
      priceSource: 'market-median',
      unitPrice: 2.5,
      observations: 6,
    });
    expect(second.tco).toBeGreaterThan(0);
    expect(second.valuation.tco.parts).toBeGreaterThan(0);
  });

  it('settings mutation is admin-only, validated, and the recompute job updates metrics', async () => {
    await ingest([makeRawListing({ externalId: 'm1', price: 2000 })]);
    const before = await row('m1');
    const mutation = `mutation($input: ValuationSettingsInput!) {
      updateValuationSettings(input: $input) { revision valuationVersion energyPricePerKwh json } }`;

    const asViewer = await app.graphql(
      mutation,
      { input: { energyPricePerKwh: 0.5 } },
      {
        authorization: `Bearer ${viewerKey}`,
      },
    );
    expect(asViewer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await app.graphql(
      mutation,
      { input: { pue: 0.2 } },
      { authorization: `Bearer ${adminKey}` },
    );
    expect(bad.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0]?.message).toMatch(/pue/);
    const badJson = await app.graphql(
      mutation,
      { input: { json: '{"horizonMonths":' } },
      {
        authorization: `Bearer ${adminKey}`,
      },
    );
    expect(badJson.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const ok = await app.graphql(
      mutation,
      { input: { energyPricePerKwh: 0.5, json: '{"partsPrices":{"ramPerGb":{"DDR4":1.5}}}' } },
      { authorization: `Bearer ${adminKey}` },
    );
    expect(ok.body.errors).toBeUndefined();
    const saved = ok.body.data.updateValuationSettings;
    expect(saved).toMatchObject({ revision: 1, energyPricePerKwh: 0.5 });
    expect(JSON.parse(saved.json).partsPrices.ramPerGb).toEqual({ DDR3: 0.5, DDR4: 1.5, DDR5: 4 });

    const after = await waitFor(
      async () => {
        const r = await row('m1');
        return r.valuation_version === saved.valuationVersion ? r : null;
      },
      30_000,
      'recompute',
    );
    expect(after.annual_energy_cost).toBeCloseTo((before.annual_energy_cost * 0.5) / 0.13, 4);
    expect(after.tco).toBeGreaterThan(before.tco);

    const q = await app.graphql(
      '{ valuationSettings { revision energyPricePerKwh pricingVersion } }',
      {},
      {
        authorization: `Bearer ${viewerKey}`,
      },
    );
    expect(q.body.data.valuationSettings).toMatchObject({ revision: 1, energyPricePerKwh: 0.5 });
  });

  it('a recompute stopped after one batch resumes from its checkpoint and ends current', async () => {
    // paused: the market job the ingest schedules must not clear the keys the batch marks
    const resumeValuation = await pauseIdle(app.queue(QueueName.Valuation));
    await ingest(
      Array.from({ length: 5 }, (_, i) => makeRawListing({ externalId: `k${i}`, price: 1000 + i })),
    );
    await pricing.refreshDirtyMarket();
    const key = (await row('k0')).config_key as string;
    // New settings without the mutation (so no job runs yet): every row is stale.
    const repo = app.app.get(PricingRepository, { strict: false });
    await repo.putSetting(
      VALUATION_SETTING_KEY,
      { ...DEFAULT_VALUATION_SETTINGS, horizonMonths: 60 },
      'test',
    );
    await pricing.reload();
    expect(await listings.countStale()).toBe(5);
    const first = await listings.recomputeBatch(0, 2); // the worker "dies" after this batch
    expect(first).toMatchObject({ scanned: 2, updated: 2 });
    expect(await listings.countStale()).toBe(3);
    // the batch marked its key for the market job rather than re-aggregating the market itself
    expect(await app.db.query('SELECT config_key FROM market_dirty_key')).toEqual([
      { config_key: key },
    ]);
    await resumeValuation();

    const job = await app
      .queue(QueueName.Valuation)
      .add(
        JobName.RecomputeValuations,
        { reason: 'resume test', afterId: first.lastId, batchSize: 2 },
        { jobId: `resume-test-${Date.now()}` },
      );
    const done = await waitFor(
      async () => {
        // State first, then the job: a job read while still active has no return value yet.
        const queue = app.queue(QueueName.Valuation);
        if ((await queue.getJobState(job.id!)) !== 'completed') return null;
        return (await queue.getJob(job.id!)) ?? null;
      },
      30_000,
      'recompute job',
    );
    expect(done.returnvalue).toMatchObject({ scanned: 3, updated: 3 });
    expect(done.data.afterId).toBeGreaterThan(first.lastId);
    expect(await listings.countStale()).toBe(0);
    const rows = await app.db.query(
      "SELECT DISTINCT valuation_version AS v, (valuation->'tco'->>'horizonMonths')::int AS h FROM listing",
    );
    expect(rows).toEqual([{ v: pricing.version, h: 60 }]);
    // the job ended by rebuilding the marked keys once
    expect(await app.db.query('SELECT * FROM market_dirty_key')).toEqual([]);
    expect(
      await app.db.query('SELECT n FROM market_baseline WHERE config_key = $1', [key]),
    ).toEqual([{ n: 5 }]);
  });

  it('GraphQL: specs, metrics, baseline, spec filters and metric orders with cursor paging', async () => {
    const titles = [
      ['Dell PowerEdge R740xd 2x Gold 6148 256GB', 3000, 'Austin, Texas'],
      ['Dell PowerEdge R740xd 2x Gold 6148 256GB', 2500, 'Dallas, TX'],
      ['Dell PowerEdge R640 2x Silver 4114 128GB', 900, 'Berlin, Germany'],
      ['HPE ProLiant DL360 Gen9 2x E5-2680 v4 128GB', 400, 'Texas, United States'],
      ['HPE ProLiant DL380 Gen10 2x Gold 6148 64GB', 1200, 'Texas'],
      ['Dell PowerEdge R630 2x E5-2680 v4 32GB', 300, 'Ohio'],
      ['NVIDIA Tesla V100 32GB PCIe GPU', 700, 'Texas'],
      ['mystery server', null, 'Texas'],
    ] as const;
    await ingest(
      titles.map(([title, price, location], i) =>
        makeRawListing({ externalId: `q${i}`, title, price, location }),
      ),
    );
    await settleMarket();
    const page = `query($after: String, $filter: ListingFilter, $orderBy: ListingOrder) {
      listings(first: 2, after: $after, filter: $filter, orderBy: $orderBy) {
        totalCount
        edges { cursor node { id title
          specs { kind chassis cpuModel cpuCount cores ramGb configKey confidence spans { field text start end from } }
          metrics { cpuScorePerDollar effectivePrice discountToMarket reasons { metric reason } }
          marketBaseline { n median discountToMarket } } }
        pageInfo { hasNextPage endCursor } } }`;
    const all = async (filter: Record<string, unknown>, orderBy: string) => {
      const out: any[] = [];
      let after: string | null = null;
      for (let i = 0; i < 20; i++) {
        const res: { body: { data?: any; errors?: any } } = await app.graphql(
          page,
          { after, filter, orderBy },
          { authorization: `Bearer ${viewerKey}` },
        );
        expect(res.body.errors).toBeUndefined();
        const c: any = res.body.data.listings;
        out.push(...c.edges.map((e: any) => e.node));
        if (!c.pageInfo.hasNextPage) return { nodes: out, total: c.totalCount as number };
        after = c.pageInfo.endCursor;
      }
      throw new Error('too many pages');
    };

    const servers = await all(
      { kind: 'server', minRamGb: 64, sellerLocation: 'tex' },
      'CPU_SCORE_PER_DOLLAR',
    );
    const expected: Array<{ id: string }> = await app.db.query(
      `SELECT id::text FROM listing WHERE kind = 'server' AND ram_gb >= 64 AND location ILIKE '%tex%'
       ORDER BY cpu_score_per_dollar DESC NULLS LAST, id DESC`,
    );
    expect(servers.nodes.map((n) => n.id)).toEqual(expected.map((e) => e.id));
    expect(servers.total).toBe(expected.length);
    expect(servers.nodes.length).toBe(3);
    const scores = servers.nodes.map((n) => n.metrics.cpuScorePerDollar as number);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
    const first = servers.nodes[0];
    expect(first.specs.kind).toBe('server');
    expect(first.specs.spans.length).toBeGreaterThan(0);

    // every metric order pages through everything exactly once, nulls last
    for (const orderBy of [
      'DOLLARS_PER_CORE',
      'TFLOPS_PER_DOLLAR',
      'TCO',
      'EFFECTIVE_PRICE',
      'DISCOUNT_TO_MARKET',
      'BREAK_EVEN_MONTHS',
    ]) {
      const r = await all({}, orderBy);
      expect(new Set(r.nodes.map((n) => n.id)).size).toBe(titles.length);
    }
    const byPrice = await all({}, 'EFFECTIVE_PRICE');
    expect(byPrice.nodes.at(-1).metrics.effectivePrice).toBeNull();
    expect(byPrice.nodes[0].metrics.effectivePrice).toBe(300);

    const r740 = await all({ chassis: 'r740XD', cpuModel: 'gold 6148', minCores: 40 }, 'PRICE');
    expect(r740.nodes.map((n) => n.title)).toHaveLength(2);
    expect(r740.nodes[0].marketBaseline).toMatchObject({ n: 2, median: 2750 });
    const gpus = await all(
      { kind: 'gpu', gpuModel: 'v100', minGpuMemoryGb: 32 },
      'TFLOPS_PER_DOLLAR',
    );
    expect(gpus.nodes).toHaveLength(1);
    const family = await all({ cpuFamily: 'Xeon E5', vendor: 'hpe' }, 'DOLLARS_PER_THREAD');
    expect(family.nodes).toHaveLength(1);
  });

  it('CLI normalize reads a file or stdin and never throws on junk', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rh-norm-'));
    const file = join(dir, 'titles.txt');
    writeFileSync(
      file,
      [
        'Dell PowerEdge R740xd 2x Gold 6148 256GB',
        JSON.stringify({ title: 'NVIDIA Tesla V100 32GB PCIe GPU' }),
        '😀😀😀 99999999999x',
        '',
      ].join('\n'),
    );
    const r = await cli(['normalize', file]);
    expect(r.code).toBe(0);
    const out = lines(r.stdout);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({
      kind: 'server',
      chassis: 'R740xd',
      cpuModel: 'Gold 6148',
      cpuCount: 2,
      ramGb: 256,
    });
    expect(out[1]).toMatchObject({ kind: 'gpu', gpuModel: 'V100', gpuCount: 1, gpuMemoryGb: 32 });
    for (const o of out) expect(typeof o.confidence).toBe('number');

    const original = Object.getOwnPropertyDescriptor(process, 'stdin')!;
    Object.defineProperty(process, 'stdin', {
      value: Readable.from(['HPE ProLiant DL360 Gen9 2x E5-2680 v4 128GB\n', '{"nope":1}\n']),
      configurable: true,
    });
    try {
      const s = await cli(['normalize']);
      expect(s.code).toBe(1); // the JSON line without a title is reported
      expect(lines(s.stdout)[0]).toMatchObject({
        kind: 'server',
        cpuModel: 'E5-2680 v4',
        cpuCount: 2,
      });
      expect(s.stderr).toMatch(/stdin:2/);
    } finally {
      Object.defineProperty(process, 'stdin', original);
    }
    const missing = await cli(['normalize', join(dir, 'nope.txt')]);
    expect(missing.code).toBe(1);
  });

  it('CLI value prints the valuation with the inputs it used; bad or unknown ids exit clearly', async () => {
    await ingest([
      makeRawListing({
        externalId: 'v1',
        title: 'Dell PowerEdge R740xd 2x Gold 6148 256GB',
        price: 3000,
        currency: 'USD',
      }),
    ]);
    const [{ id }] = await app.db.query(
      `SELECT id::int AS id FROM listing WHERE external_id = 'v1'`,
    );
    const r = await cli(['value', String(id)]);
    expect(r.code).toBe(0);
    const v = JSON.parse(r.stdout) as {
      listing: { id: number };
      valuationVersion: number;
      specs: { cpuModel: string; cpuCount: number; ramGb: number };
      valuation: Record<string, unknown>;
    };
    expect(v.listing.id).toBe(id);
    expect(v.valuationVersion).toBe(pricing.version);
    expect(v.specs).toMatchObject({ cpuModel: 'Gold 6148', cpuCount: 2, ramGb: 256 });
    expect(v.valuation).toHaveProperty('tco');
    // the inputs it used: the catalog row the CPU score came from, the cloud table matched
    expect(v.valuation).toHaveProperty('inputs.cpu.model');
    expect(v.valuation).toHaveProperty('inputs.cloud.table', 'cpu');
    expect((await cli(['value', 'abc'])).code).toBe(2);
    const unknown = await cli(['value', '999999999']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/not found/);
  });
});
