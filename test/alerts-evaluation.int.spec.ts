import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { AlertsRepository } from '../src/alerts/alerts.repository';
import { dataSourceOptions } from '../src/database/data-source-options';
import { truncateAll } from './support/app';

/**
 * The set-based evaluation (AlertsRepository.evaluate) against the real schema, one rule type
 * at a time: which (rule, listing) pairs raise an event, with which trigger level and prices.
 * Rows are written with SQL so each case states exactly the history it depends on.
 */
describe('alerts: set-based evaluation per rule type', () => {
  let db: DataSource;
  let repo: AlertsRepository;
  let sourceId: number;
  let seq = 0;

  beforeAll(async () => {
    db = new DataSource(dataSourceOptions(process.env.DATABASE_URL!, 2));
    await db.initialize();
    repo = new AlertsRepository(db);
  });
  afterAll(async () => {
    await db.destroy();
  });
  beforeEach(async () => {
    await truncateAll(db);
    const [row] = await db.query(
      `INSERT INTO source (name, kind) VALUES ('eval', 'manual') RETURNING id`,
    );
    sourceId = Number(row.id);
  });

  interface ListingInput {
    price: number;
    title?: string;
    currency?: string;
    status?: string;
    quantity?: number | null;
    kind?: string | null;
    vendor?: string | null;
    chassis?: string | null;
    cpuModel?: string | null;
    ramGb?: number | null;
    partNumbers?: string[];
    configKey?: string | null;
    dollarsPerCore?: number | null;
  }

  /** The default for an omitted field; an explicit null stays null. */
  const or = <T>(value: T | undefined, fallback: T): T => (value === undefined ? fallback : value);

  /** A listing with its observations, oldest first: [daysAgo, price, status?, quantity?]. */
  async function listing(
    l: ListingInput,
    history: Array<[number, number, string?, number?]> = [[0, l.price]],
  ): Promise<number> {
    seq++;
    const [row] = await db.query(
      `INSERT INTO listing (source_id, external_id, title, currency, price, shipping, status,
         quantity_available, kind, vendor, chassis, cpu_model, ram_gb, part_numbers, config_key,
         dollars_per_core, first_seen_at, last_seen_at)
       VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now(), now())
       RETURNING id`,
      [
        sourceId,
        `e${seq}`,
        l.title ?? `Dell PowerEdge R740 #${seq}`,
        l.currency ?? 'USD',
        l.price,
        l.status ?? 'active',
        l.quantity ?? null,
        or(l.kind, 'server'),
        or(l.vendor, 'Dell'),
        or(l.chassis, 'R740'),
        or(l.cpuModel, 'Gold 6148'),
        or(l.ramGb, 256),
        l.partNumbers ?? [],
        l.configKey ?? null,
        l.dollarsPerCore ?? null,
      ],
    );
    const id = Number(row.id);
    for (const [daysAgo, price, status, quantity] of history) {
      await db.query(
        `INSERT INTO price_observation (listing_id, observed_at, currency, price, shipping, status,
           quantity_available)
         VALUES ($1, now() - make_interval(days => $2), $3, $4, 0, $5, $6)`,
        [id, daysAgo, l.currency ?? 'USD', price, status ?? 'active', quantity ?? null],
      );
    }
    return id;
  }

  /** A rule from its evaluation columns (as AlertsService.columnsOf stores them). */
  async function rule(type: string, cols: Record<string, unknown>): Promise<number> {
    const all: Record<string, unknown> = {
      owner_key_id: 1,
      name: `${type} ${++seq}`,
      type,
      delivery: 'immediate',
      ...cols,
    };
    const keys = Object.keys(all);
    const [row] = await db.query(
      `INSERT INTO alert_rule (${keys.join(', ')}) VALUES (${keys.map((_, i) => `$${i + 1}`).join(', ')})
       RETURNING id`,
      keys.map((k) => (k === 'filter' ? JSON.stringify(all[k]) : all[k])),
    );
    const id = Number(row.id);
    await db.query(
      `INSERT INTO alert_recipient (rule_id, email) VALUES ($1, 'buyer@example.com')`,
      [id],
    );
    return id;
  }

  const search = (filter: Record<string, unknown>, matchKey: string, extra = {}) =>
    rule('saved_search', { filter, match_key: matchKey, ...extra });

  async function events(): Promise<
    Array<{ rule_id: number; listing_id: number; kind: string; trigger_level: string }>
  > {
    return db.query(
      `SELECT rule_id, listing_id, kind, trigger_level, price, previous_price, reference_price
       FROM alert_event ORDER BY rule_id, listing_id`,
    );
  }

  const pairs = async () => (await events()).map((e) => [e.rule_id, e.listing_id]);

  it('saved searches: target price, price ceiling, no bound, metric and catch-all keys', async () => {
    const cheap = await listing({ price: 900, ramGb: 512, dollarsPerCore: 20 });
    const mid = await listing({ price: 1500, ramGb: 128, dollarsPerCore: 40 });
    const dear = await listing({ price: 3000, ramGb: 512, dollarsPerCore: 90 });
    const hp = await listing({ price: 800, vendor: 'HP', chassis: 'DL380', cpuModel: null });

    const target = await search({ cpuModel: 'GOLD 6148' }, 'cpu:gold 6148', { target_price: 1000 });
    const ceiling = await search({ chassis: 'r740', priceMax: 1600 }, 'chassis:r740');
    // same key, no bound: the key's loosest bound must not hide listings from it
    const unbounded = await search({ chassis: 'R740', minRamGb: 256 }, 'chassis:r740');
    const metric = await search({ kind: 'server' }, 'kind:server', {
      metric: 'dollars_per_core',
      metric_op: 'lte',
      metric_value: 40,
    });
    const anyVendor = await search({ vendor: 'hp' }, '*', { target_price: 850 });

    const r = await repo.evaluate([cheap, mid, dear, hp]);
    expect(await pairs()).toEqual([
      [target, cheap],
      [ceiling, cheap],
      [ceiling, mid],
      [unbounded, cheap],
      [unbounded, dear],
      [metric, cheap],
      [metric, mid],
      [anyVendor, hp],
    ]);
    expect(r.events).toBe(8);
    expect(r.outboxIds).toHaveLength(8);

    // idempotent: the same ingest evaluated again raises nothing
    await expect(repo.evaluate([cheap, mid, dear, hp])).resolves.toMatchObject({
      events: 0,
      outboxIds: [],
    });
  });

  it('market low fires for the lowest price of a configuration or part, with enough history', async () => {
    const history: Array<[number, number]> = [
      [30, 1200],
      [20, 1100],
      [10, 1000],
    ];
    const low = await listing({ price: 950, configKey: 'r740|2x6148|256' }, [...history, [0, 950]]);
    const notLow = await listing({ price: 990, configKey: 'r740|2x6148|256' }, [[0, 990]]);
    const thin = await listing({ price: 10, configKey: 'thin' }, [[0, 10]]);
    const part = await listing({ price: 40, partNumbers: ['865414-B21'] }, [
      [5, 60],
      [0, 40],
    ]);
    await listing({ price: 55, partNumbers: ['865414-B21'] }, [[3, 55]]);

    const allTime = await rule('market_low', {
      config_key: 'r740|2x6148|256',
      low_mode: 'all_time',
      min_observations: 5,
    });
    const within = await rule('market_low', {
      config_key: 'r740|2x6148|256',
      low_mode: 'within_pct',
      low_within_pct: 5,
      min_observations: 2,
    });
    const tooThin = await rule('market_low', {
      config_key: 'thin',
      low_mode: 'all_time',
      min_observations: 2,
    });
    const byPart = await rule('market_low', {
      part_number: '865414-B21',
      low_mode: 'window',
      low_days: 7,
      min_observations: 3,
    });

    await repo.evaluate([low, notLow, thin, part]);
    const got = await events();
    expect(got.map((e) => [e.rule_id, e.listing_id])).toEqual([
      [allTime, low],
      [within, low],
      [within, notLow], // 990 is within 5 % of the 950 low
      [byPart, part],
    ]);
    expect(got[0]).toMatchObject({ kind: 'market_low', trigger_level: 'low:all_time:95000' });
    expect(got.find((e) => e.rule_id === byPart)).toMatchObject({ reference_price: 40 });
    expect(got.some((e) => e.rule_id === tooThin)).toBe(false);
  });

  it('back in stock: after an out-of-stock observation, or the first listing of a part', async () => {
    const back = await listing({ price: 100, quantity: 2 }, [
      [2, 100, 'active', 0],
      [0, 100, 'active', 2],
    ]);
    const always = await listing({ price: 100, quantity: 2 }, [
      [2, 100, 'active', 2],
      [0, 100, 'active', 2],
    ]);
    const firstOfPart = await listing({ price: 50, partNumbers: ['P-NEW'] }, [[0, 50]]);
    const secondOfPart = await listing({ price: 50, partNumbers: ['P-OLD'] }, [[0, 50]]);
    await listing({ price: 45, partNumbers: ['P-OLD'] }, [[9, 45]]);

    const watchBack = await rule('back_in_stock', { listing_id: back });
    await rule('back_in_stock', { listing_id: always });
    const newPart = await rule('back_in_stock', { part_number: 'P-NEW' });
    await rule('back_in_stock', { part_number: 'P-OLD' });

    await repo.evaluate([back, always, firstOfPart, secondOfPart]);
    const got = await events();
    expect(got.map((e) => [e.rule_id, e.listing_id])).toEqual([
      [watchBack, back],
      [newPart, firstOfPart],
    ]);
    expect(got.every((e) => e.kind === 'stock' && /^stock:\d+$/.test(e.trigger_level))).toBe(true);
  });

  it('watches: drop against the baseline, previous price from the last observation, cooldown', async () => {
    const id = await listing({ price: 900 }, [
      [3, 1000],
      [0, 900],
    ]);
    const w = await rule('listing_watch', { listing_id: id, drop_pct: 5, baseline_price: 1000 });
    await rule('listing_watch', { listing_id: id, drop_pct: 25, baseline_price: 1000 });

    const r = await repo.evaluate([id]);
    expect(r).toMatchObject({ events: 1, digestEvents: 0 });
    expect(await events()).toEqual([
      expect.objectContaining({
        rule_id: w,
        listing_id: id,
        kind: 'watch',
        price: 900,
        previous_price: 1000,
        reference_price: 1000,
      }),
    ]);

    // a further drop inside the 24 h cooldown stays silent
    await db.query(`UPDATE listing SET price = 800 WHERE id = $1`, [id]);
    await db.query(
      `INSERT INTO price_observation (listing_id, observed_at, currency, price, shipping, status)
       VALUES ($1, now(), 'USD', 800, 0, 'active')`,
      [id],
    );
    await expect(repo.evaluate([id])).resolves.toMatchObject({ events: 0 });
  });
});
