import { startSimulator, type Simulator } from '../scrapers/simulator/server';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { QueueName } from '../src/queue/queues';
import { drainQueues, startTestApp, truncateAll, waitFor, type TestApp } from './support/app';

jest.setTimeout(120_000);

let app: TestApp;
let sim: Simulator;
let ops: Record<string, string>;
let viewer: Record<string, string>;

const CREATE = `mutation($input: CreateSourceInput!) { createSource(input: $input) { id name kind enabled queries scheduleEveryMs } }`;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, seed: 3, items: 200 });
  app = await startTestApp({ SCRAPE_BACKOFF_MS: '20' });
  await truncateAll(app.db);
  await drainQueues(app);
  const keys = app.app.get(ApiKeysService);
  ops = { authorization: `Bearer ${(await keys.create('ops', 'ops')).key}` };
  viewer = { authorization: `Bearer ${(await keys.create('viewer', 'viewer')).key}` };
});

afterAll(async () => {
  await app?.close();
  await sim?.close();
});

async function schedulerKeys(): Promise<string[]> {
  return (await app.queue(QueueName.Scrape).getJobSchedulers(0, -1)).map((s) => s.key);
}

describe('sources over GraphQL', () => {
  it('refuses createSource to a viewer', async () => {
    const res = await app.graphql(
      CREATE,
      { input: { name: 'x', kind: 'ebay-search', baseUrl: sim.url, queries: ['xeon'] } },
      viewer,
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('rejects bad input with BAD_USER_INPUT', async () => {
    const res = await app.graphql(
      CREATE,
      { input: { name: 'bad', kind: 'shopify', scheduleCron: 'not a cron' } },
      ops,
    );
    expect(res.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const noShop = await app.graphql(CREATE, { input: { name: 'bad2', kind: 'shopify' } }, ops);
    expect(noShop.body.errors?.[0]?.message).toMatch(/baseUrl/);
  });

  it('keeps a job scheduler in step with create, disable, enable and delete', async () => {
    const created = await app.graphql(
      CREATE,
      {
        input: {
          name: 'sim',
          kind: 'ebay-search',
          baseUrl: sim.url,
          queries: ['xeon'],
          scheduleEveryMs: 600_000,
          rateLimitPerMinute: 6000,
        },
      },
      ops,
    );
    expect(created.body.errors).toBeUndefined();
    const id = created.body.data.createSource.id as string;
    expect(await schedulerKeys()).toContain(`source:${id}`);

    const upd = `mutation($id: ID!, $input: UpdateSourceInput!) { updateSource(id: $id, input: $input) { enabled } }`;
    await app.graphql(upd, { id, input: { enabled: false } }, ops);
    expect(await schedulerKeys()).not.toContain(`source:${id}`);
    await app.graphql(upd, { id, input: { enabled: true } }, ops);
    expect(await schedulerKeys()).toContain(`source:${id}`);

    const del = await app.graphql(
      `mutation($id: ID!) { deleteSource(id: $id) { id } }`,
      { id },
      ops,
    );
    expect(del.body.errors).toBeUndefined();
    expect(await schedulerKeys()).not.toContain(`source:${id}`);
  });

  it('runSourceNow runs through the worker and scrapeRuns shows the run', async () => {
    const created = await app.graphql(
      CREATE,
      {
        input: {
          name: 'sim-now',
          kind: 'ebay-search',
          baseUrl: sim.url,
          queries: ['xeon'],
          rateLimitPerMinute: 6000,
        },
      },
      ops,
    );
    const id = created.body.data.createSource.id as string;
    const run = await app.graphql(`mutation($id: ID!) { runSourceNow(id: $id) }`, { id }, ops);
    expect(run.body.data.runSourceNow).toBeTruthy();
    const q = `query($id: ID!) { scrapeRuns(sourceId: $id, first: 5) { status complete listingsSeen errors { kind } } sources { id lastSuccess { id } } }`;
    const res = await waitFor(
      async () => {
        const r = await app.graphql(q, { id }, viewer);
        const runs = r.body.data?.scrapeRuns as Array<{ status: string }> | undefined;
        return runs?.some((x) => x.status !== 'running') ? r : null;
      },
      60_000,
      'a finished run',
    );
    expect(res.body.data.scrapeRuns[0]).toMatchObject({ status: 'succeeded', complete: true });
    const src = (res.body.data.sources as Array<{ id: string; lastSuccess: unknown }>).find(
      (s) => s.id === id,
    );
    expect(src?.lastSuccess).not.toBeNull();
    const del = await app.graphql(
      `mutation($id: ID!) { deleteSource(id: $id) { id } }`,
      { id },
      ops,
    );
    expect(del.body.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});
