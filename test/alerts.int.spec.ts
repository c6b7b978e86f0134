import { simpleParser, ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { AlertsService } from '../src/alerts/alerts.service';
import { InventoryService } from '../src/inventory/inventory.service';
import { ListingsService } from '../src/listings/listings.service';
import { JobName, QueueName } from '../src/queue/queues';
import { SourcesService } from '../src/sources/sources.service';
import { TestApp, drainQueues, startTestApp, truncateAll, waitFor } from './support/app';
import { makeRawListing } from './support/factories';

/** A real SMTP server in the test process; parsed messages land in `received`. */
jest.setTimeout(120_000);

function unsubscribeHeader(m: ParsedMail): string {
  const line = m.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
  return /<([^>]+)>/.exec(line.replace(/\r?\n\s*/g, ''))?.[1] ?? line;
}

class Inbox {
  received: ParsedMail[] = [];
  private server: SMTPServer | null = null;
  port = 0;

  async start(port = 0): Promise<void> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, cb) => {
        simpleParser(stream)
          .then((m) => {
            this.received.push(m);
            cb();
          })
          .catch((e: Error) => cb(e));
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', () => resolve()));
    this.port = (
      this.server as unknown as { server: { address(): { port: number } } }
    ).server.address().port;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

const CREATE = `mutation($input: AlertRuleInput!) { createAlertRule(input: $input) { id type note baselinePrice recipients { email unsubscribed } } }`;
const EVENTS = `query($ruleId: ID, $status: AlertEventStatus) { alertEvents(ruleId: $ruleId, status: $status, first: 200) { id kind price previousPrice status triggerLevel } }`;

describe('alerts: rules, set-based evaluation, email delivery', () => {
  const inbox = new Inbox();
  let app: TestApp;
  let procurement: Record<string, string>;
  let viewer: Record<string, string>;
  let sourceId: number;

  beforeAll(async () => {
    await inbox.start();
    app = await startTestApp({
      APP_ROLE: 'all',
      SMTP_URL: `smtp://127.0.0.1:${inbox.port}`,
      EMAIL_BACKOFF_MS: '100',
      EMAIL_ATTEMPTS: '30',
      PUBLIC_URL: 'http://rackhound.test',
      ALERTS_SIGNING_SECRET: 'test-secret-0123456789',
    });
  });
  afterAll(async () => {
    await drainQueues(app);
    await app.close();
    await inbox.stop();
  });
  beforeEach(async () => {
    await drainQueues(app);
    await truncateAll(app.db);
    inbox.received = [];
    const keys = app.app.get(ApiKeysService);
    procurement = { authorization: `Bearer ${(await keys.create('procurement', 'p')).key}` };
    viewer = { authorization: `Bearer ${(await keys.create('viewer', 'v')).key}` };
    sourceId = (await app.app.get(SourcesService).ensure('alerts-src', 'manual')).id;
  });

  /** Ingest through the real ingest job (which enqueues evaluate-alerts). */
  async function ingestJob(listings: ReturnType<typeof makeRawListing>[], observedAt: string) {
    const job = await app.queue(QueueName.Ingest).add(JobName.IngestBatch, {
      sourceId,
      observedAt,
      listings,
    });
    await waitFor(
      async () => (await job.isCompleted()) || (await job.isFailed()),
      20_000,
      'ingest',
    );
  }
  const listingId = async (externalId: string): Promise<number> =>
    Number(
      (await app.db.query(`SELECT id FROM listing WHERE external_id = $1`, [externalId]))[0].id,
    );
  const watch = (id: number, extra: Record<string, unknown> = {}) => ({
    name: 'R740 watch',
    type: 'LISTING_WATCH',
    recipients: ['buyer@example.com'],
    listingWatch: { listingId: id, dropPct: 5 },
    ...extra,
  });
  const settle = () => new Promise((r) => setTimeout(r, 1500));

  it('a price drop flows end to end into exactly one email with the right content', async () => {
    const raw = makeRawListing({ title: 'Dell PowerEdge R740 2x Gold 6148 256GB', price: 1000 });
    await ingestJob([raw], '2026-11-01T00:00:00Z');
    const id = await listingId(raw.externalId);
    const res = await app.graphql(CREATE, { input: watch(id) }, procurement);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.createAlertRule.baselinePrice).toBe(1000);

    await ingestJob([{ ...raw, price: 900 }], '2026-11-02T00:00:00Z');
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'email');
    // replaying the ingest and re-running the evaluation sends nothing more
    await ingestJob([{ ...raw, price: 900 }], '2026-11-02T00:00:00Z');
    await app.app.get(AlertsService).evaluate([id]);
    await settle();
    expect(inbox.received).toHaveLength(1);
    const mail = inbox.received[0]!;
    expect(mail.subject).toContain('Dell PowerEdge R740');
    expect(mail.text).toContain('USD 1,000.00 -> USD 900.00');
    expect(mail.text).toContain('Price history: 2 observations');
    // mailparser inlines cid: references as data URIs; the attachment keeps its cid
    expect(mail.html).toContain('data:image/png;base64,');
    const chart = mail.attachments.find((a) => a.contentType === 'image/png');
    expect(chart?.content.subarray(1, 4).toString()).toBe('PNG');
    expect(chart?.cid).toMatch(/^chart-\d+@rackhound$/);
    const unsubscribe = unsubscribeHeader(mail);
    expect(unsubscribe).toContain('http://rackhound.test/alerts/unsubscribe?token=');
    expect(mail.messageId).toMatch(/^<outbox-\d+\./);
    const events = await app.graphql(
      EVENTS,
      { ruleId: res.body.data.createAlertRule.id },
      procurement,
    );
    expect(events.body.data.alertEvents).toMatchObject([
      { kind: 'watch', price: 900, previousPrice: 1000, status: 'SENT' },
    ]);
  });

  it('100 drops of one listing inside a digest window give one email', async () => {
    // Ingest and evaluation run directly (the same calls the ingest and alerts jobs make), so
    // the 100 drops take seconds; the digest and SMTP delivery go through the real queue.
    const listingsService = app.app.get(ListingsService);
    const alerts = app.app.get(AlertsService);
    const raw = makeRawListing({ price: 5000 });
    await listingsService.ingest({ sourceId, observedAt: '2026-11-01T00:00:00Z', listings: [raw] });
    const id = await listingId(raw.externalId);
    const res = await app.graphql(
      CREATE,
      {
        input: watch(id, {
          delivery: 'HOURLY',
          cooldownHours: 0,
          listingWatch: { listingId: id, targetPrice: 4999 },
        }),
      },
      procurement,
    );
    expect(res.body.errors).toBeUndefined();
    for (let i = 0; i < 100; i++) {
      const r = await listingsService.ingest({
        sourceId,
        observedAt: new Date(Date.UTC(2026, 10, 2, 0, i)).toISOString(),
        listings: [{ ...raw, price: 4990 - i * 10 }],
      });
      await alerts.evaluate(r.changedListingIds);
    }
    const [pending] = await app.db.query(
      `SELECT count(*)::int AS n FROM alert_event WHERE status = 'pending'`,
    );
    expect(pending.n).toBeGreaterThanOrEqual(1);
    expect(inbox.received).toHaveLength(0); // nothing goes out before the digest
    await alerts.runDigest('hourly');
    await alerts.runDigest('hourly'); // a second tick (or a retried job) claims nothing
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'digest');
    await settle();
    expect(inbox.received).toHaveLength(1);
    expect(inbox.received[0]!.subject).toBe(`Rackhound hourly digest: ${pending.n} alerts`);
    expect(inbox.received[0]!.text).toContain('USD 4,000.00');
    const [left] = await app.db.query(
      `SELECT count(*)::int AS n FROM alert_event WHERE status <> 'sent'`,
    );
    expect(left.n).toBe(0);
  });

  it("a digest's List-Unsubscribe header unsubscribes from every rule in it", async () => {
    const listingsService = app.app.get(ListingsService);
    const alerts = app.app.get(AlertsService);
    const a = makeRawListing({ price: 1000 });
    const b = makeRawListing({ price: 2000 });
    await listingsService.ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [a, b],
    });
    const ruleIds: string[] = [];
    for (const ext of [a.externalId, b.externalId]) {
      const created = await app.graphql(
        CREATE,
        { input: watch(await listingId(ext), { delivery: 'DAILY' }) },
        procurement,
      );
      ruleIds.push(created.body.data.createAlertRule.id);
    }
    const r = await listingsService.ingest({
      sourceId,
      observedAt: '2026-11-02T00:00:00Z',
      listings: [
        { ...a, price: 900 },
        { ...b, price: 1500 },
      ],
    });
    await alerts.evaluate(r.changedListingIds);
    await alerts.runDigest('daily');
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'digest');
    const mail = inbox.received[0]!;
    expect(mail.subject).toBe('Rackhound daily digest: 2 alerts');
    const link = unsubscribeHeader(mail).replace('http://rackhound.test', app.url!);
    expect(mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toBe(
      'List-Unsubscribe-Post: List-Unsubscribe=One-Click',
    );
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    for (const id of ruleIds) {
      const rule = await app.graphql(
        `query($id: ID!) { alertRule(id: $id) { recipients { email unsubscribed } } }`,
        { id },
        procurement,
      );
      expect(rule.body.data.alertRule.recipients).toEqual([
        { email: 'buyer@example.com', unsubscribed: true },
      ]);
    }
  });

  it('an open low-stock alert is emailed once to the part subscribers with offers', async () => {
    const inv = app.app.get(InventoryService);
    const alerts = app.app.get(AlertsService);
    await inv.createPart({ partNumber: '865414-B21', kind: 'psu', minStock: 3 });
    const loc = await inv.createLocation({ site: 'ams1', bin: 'A1' });
    await inv.receiveStock(
      { partNumber: '865414-B21', locationId: loc.id, quantity: 2 },
      { name: 'test', keyId: null },
    );
    await inv.subscribe('865414-B21', 'ops@example.com');
    await inv.subscribe('865414-B21', 'lead@example.com');
    await app.app.get(ListingsService).ingest({
      sourceId,
      observedAt: '2026-11-01T00:00:00Z',
      listings: [makeRawListing({ title: 'HPE 800W Flex Slot PSU 865414-B21', price: 40 })],
    });
    expect(await inv.openStockAlerts()).toHaveLength(1);
    const first = await alerts.sendStockAlerts();
    expect(first).toHaveLength(2);
    expect(await alerts.sendStockAlerts()).toEqual([]); // notified: nothing new
    await waitFor(() => Promise.resolve(inbox.received.length >= 2), 20_000, 'low-stock emails');
    await alerts.enqueueEmails(first); // a redelivered job sends nothing twice
    await settle();
    expect(inbox.received).toHaveLength(2);
    expect(inbox.received.map((m) => (m.to as { text: string }).text).sort()).toEqual([
      'lead@example.com',
      'ops@example.com',
    ]);
    const mail = inbox.received[0]!;
    expect(mail.subject).toBe('Rackhound low stock: 865414-B21 at ams1 (2 of minimum 3)');
    expect(mail.text).toContain('USD 40.00  HPE 800W Flex Slot PSU 865414-B21');
    expect(mail.html).toContain('Best current offers');
  });

  it('the cooldown holds, then re-arms', async () => {
    const raw = makeRawListing({ price: 1000 });
    await ingestJob([raw], '2026-11-01T00:00:00Z');
    const id = await listingId(raw.externalId);
    await app.graphql(CREATE, { input: watch(id, { cooldownHours: 24 }) }, procurement);
    await ingestJob([{ ...raw, price: 900 }], '2026-11-02T00:00:00Z');
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'first email');
    await ingestJob([{ ...raw, price: 800 }], '2026-11-02T01:00:00Z');
    await settle();
    expect(inbox.received).toHaveLength(1);
    await app.db.query(`UPDATE alert_event SET created_at = created_at - interval '25 hours'`);
    await ingestJob([{ ...raw, price: 700 }], '2026-11-03T02:00:00Z');
    await waitFor(() => Promise.resolve(inbox.received.length >= 2), 20_000, 'second email');
    expect(inbox.received[1]!.text).toContain('USD 700.00');
  });

  it('a fleet need alerts when first satisfiable within budget, then only when X% cheaper', async () => {
    const need = await app.graphql(
      `mutation($input: FleetNeedInput!) { createFleetNeed(input: $input) { id } }`,
      {
        input: {
          name: 'edge pair',
          quantity: 2,
          minCores: 32,
          minRamGb: 256,
          totalBudget: 2500,
        },
      },
      procurement,
    );
    expect(need.body.errors).toBeUndefined();
    const needId: string = need.body.data.createFleetNeed.id;
    const rule = await app.graphql(
      CREATE,
      {
        input: {
          name: 'edge pair cheaper',
          type: 'FLEET_NEED',
          recipients: ['buyer@example.com'],
          fleetNeed: { needId, trigger: 'CHEAPER', cheaperPct: 10 },
          cooldownHours: 0,
        },
      },
      procurement,
    );
    expect(rule.body.errors).toBeUndefined();

    // Over budget (2 x 1,400 = 2,800 > 2,500): nothing to say yet.
    const raws = ['fa', 'fb'].map((externalId) =>
      makeRawListing({
        externalId,
        title: 'Dell PowerEdge R740 2x Xeon Gold 6148 256GB 2x PSU',
        price: 1400,
        shipping: 0,
      }),
    );
    const priceBoth = (price: number, at: string) =>
      ingestJob(
        raws.map((r) => ({ ...r, price })),
        at,
      );
    await priceBoth(1400, '2026-11-01T00:00:00Z');
    await settle();
    expect(inbox.received).toHaveLength(0);

    // Within budget: the first alert names the plan's total.
    await priceBoth(1000, '2026-11-02T00:00:00Z');
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'first fleet email');
    expect(inbox.received[0]!.text).toContain('edge pair');
    expect(inbox.received[0]!.text).toMatch(/2 nodes for USD 2,000/);
    // 5% cheaper is under the rule's 10%: silent.
    await priceBoth(950, '2026-11-03T00:00:00Z');
    await settle();
    expect(inbox.received).toHaveLength(1);
    // 15% under the last alerted plan: a second alert.
    await priceBoth(850, '2026-11-04T00:00:00Z');
    await waitFor(() => Promise.resolve(inbox.received.length >= 2), 20_000, 'second fleet email');
    await settle();
    expect(inbox.received).toHaveLength(2);
    const levels = (await app.db.query(
      `SELECT trigger_level, price::float AS price FROM alert_event WHERE kind = 'fleet' ORDER BY id`,
    )) as Array<{ trigger_level: string; price: number }>;
    expect(levels.map((l) => l.price)).toEqual([2000, 1700]);
  });

  it('SMTP down then up delivers each email once', async () => {
    const raw = makeRawListing({ price: 1000 });
    const raw2 = makeRawListing({ price: 2000 });
    await ingestJob([raw, raw2], '2026-11-01T00:00:00Z');
    for (const ext of [raw.externalId, raw2.externalId]) {
      await app.graphql(CREATE, { input: watch(await listingId(ext)) }, procurement);
    }
    const port = inbox.port;
    await inbox.stop();
    await ingestJob(
      [
        { ...raw, price: 900 },
        { ...raw2, price: 1500 },
      ],
      '2026-11-02T00:00:00Z',
    );
    await waitFor(
      async () => {
        const [r] = await app.db.query(
          `SELECT count(*)::int AS n FROM email_outbox WHERE attempts >= 1 AND last_error IS NOT NULL`,
        );
        return r.n === 2;
      },
      20_000,
      'failed attempts',
    );
    await inbox.start(port);
    await waitFor(
      () => Promise.resolve(inbox.received.length >= 2),
      30_000,
      'delivery after outage',
    );
    await app.app
      .get(AlertsService)
      .enqueueEmails(
        (await app.db.query(`SELECT id FROM email_outbox`)).map((r: { id: number }) => r.id),
      );
    await settle();
    expect(inbox.received).toHaveLength(2);
    const [r] = await app.db.query(
      `SELECT count(*)::int AS n FROM email_outbox WHERE status = 'sent'`,
    );
    expect(r.n).toBe(2);
  });

  it('rejects a rule with an invalid filter at creation, naming the field', async () => {
    const res = await app.graphql(
      CREATE,
      {
        input: {
          name: 'bad',
          type: 'SAVED_SEARCH',
          recipients: ['a@example.com'],
          savedSearch: { filter: { kind: 'server', minRamGb: -5 } },
        },
      },
      procurement,
    );
    expect(res.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors[0].message).toBe('savedSearch.filter.minRamGb: must be at least 0');
    const price = await app.graphql(
      CREATE,
      {
        input: {
          name: 'bad',
          type: 'SAVED_SEARCH',
          recipients: ['a@example.com'],
          savedSearch: { filter: { priceMin: 10, priceMax: 5 } },
        },
      },
      procurement,
    );
    expect(price.body.errors[0].message).toBe(
      'savedSearch.filter.priceMax: must be at least priceMin',
    );
    // an ID that names no row id is refused with the field, not passed to SQL
    const badId = await app.graphql(
      CREATE,
      {
        input: {
          name: 'bad',
          type: 'LISTING_WATCH',
          recipients: ['a@example.com'],
          listingWatch: { listingId: 'abc', dropPct: 5 },
        },
      },
      procurement,
    );
    expect(badId.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(badId.body.errors[0].message).toBe('listingWatch.listingId: must be a positive id');
    const [r] = await app.db.query(`SELECT count(*)::int AS n FROM alert_rule`);
    expect(r.n).toBe(0);
  });

  it('a saved search fires on a matching listing; market low says when history is short', async () => {
    const res = await app.graphql(
      CREATE,
      {
        input: {
          name: 'cheap R740',
          type: 'SAVED_SEARCH',
          recipients: ['b@example.com'],
          savedSearch: { filter: { search: '12lff', priceMax: 3000 } },
        },
      },
      procurement,
    );
    expect(res.body.errors).toBeUndefined();
    await ingestJob(
      [
        makeRawListing({ title: 'Dell R740XD 12LFF', price: 2500 }),
        makeRawListing({ title: 'HP DL380', price: 100 }),
      ],
      '2026-11-01T00:00:00Z',
    );
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'search email');
    expect(inbox.received[0]!.subject).toContain('12LFF');
    const low = await app.graphql(
      CREATE,
      {
        input: {
          name: 'low',
          type: 'MARKET_LOW',
          recipients: ['b@example.com'],
          marketLow: { configKey: 'r740|2x6148|256', mode: 'ALL_TIME' },
        },
      },
      procurement,
    );
    expect(low.body.data.createAlertRule.note).toMatch(/^not enough history: 0 price observations/);
  });

  it('a saved search by kind takes the kinds listings are classified as, in any case', async () => {
    const create = (kind: string) =>
      app.graphql(
        CREATE,
        {
          input: {
            name: `${kind} sticks`,
            type: 'SAVED_SEARCH',
            recipients: ['ram@example.com'],
            savedSearch: {
              filter: { kind },
              metric: 'EFFECTIVE_PRICE',
              metricOp: 'LTE',
              metricValue: 200,
            },
          },
        },
        procurement,
      );
    // "memory" is no kind a listing ever has: refused, naming the kinds there are
    const wrong = await create('memory');
    expect(wrong.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(wrong.body.errors[0].message).toMatch(/^savedSearch\.filter\.kind: .*"ram"/);
    const ok = await create('RAM');
    expect(ok.body.errors).toBeUndefined();
    await ingestJob(
      [
        makeRawListing({
          title: 'Samsung 64GB 4DRx4 PC4-2666V DDR4 ECC LRDIMM M386A8K40BM2-CTD',
          price: 95,
        }),
        makeRawListing({ title: 'Dell PowerEdge R640 2x Gold 6148 256GB', price: 150 }),
      ],
      '2026-11-01T00:00:00Z',
    );
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'kind email');
    const events: Array<{ kind: string; title: string }> = await app.db.query(
      `SELECT l.kind, l.title FROM alert_event e JOIN listing l ON l.id = e.listing_id`,
    );
    expect(events).toEqual([{ kind: 'ram', title: expect.stringContaining('LRDIMM') }]);
  });

  it('unsubscribe link disables the rule for that recipient', async () => {
    const raw = makeRawListing({ price: 1000 });
    await ingestJob([raw], '2026-11-01T00:00:00Z');
    const id = await listingId(raw.externalId);
    const res = await app.graphql(CREATE, { input: watch(id, { cooldownHours: 0 }) }, procurement);
    await ingestJob([{ ...raw, price: 900 }], '2026-11-02T00:00:00Z');
    await waitFor(() => Promise.resolve(inbox.received.length >= 1), 20_000, 'email');
    const link = unsubscribeHeader(inbox.received[0]!).replace('http://rackhound.test', app.url!);
    expect((await fetch(link.replace('token=', 'token=x'))).status).toBe(400);
    expect((await fetch(link, { method: 'POST' })).status).toBe(200);
    const rule = await app.graphql(
      `query($id: ID!) { alertRule(id: $id) { recipients { email unsubscribed } } }`,
      { id: res.body.data.createAlertRule.id },
      procurement,
    );
    expect(rule.body.data.alertRule.recipients).toEqual([
      { email: 'buyer@example.com', unsubscribed: true },
    ]);
    await ingestJob([{ ...raw, price: 800 }], '2026-11-03T00:00:00Z');
    await settle();
    expect(inbox.received).toHaveLength(1);
  });

  it('mutations need the procurement role and rules are owned by the calling key', async () => {
    const raw = makeRawListing();
    await ingestJob([raw], '2026-11-01T00:00:00Z');
    const id = await listingId(raw.externalId);
    const denied = await app.graphql(CREATE, { input: watch(id) }, viewer);
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    const created = await app.graphql(CREATE, { input: watch(id) }, procurement);
    const other = {
      authorization: `Bearer ${(await app.app.get(ApiKeysService).create('procurement', 'o')).key}`,
    };
    const del = await app.graphql(
      `mutation($id: ID!) { deleteAlertRule(id: $id) }`,
      { id: created.body.data.createAlertRule.id },
      other,
    );
    expect(del.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const list = await app.graphql(`{ alertRules { id } }`, {}, other);
    expect(list.body.data.alertRules).toEqual([]);
  });
});
