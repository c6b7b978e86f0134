import { Client } from 'pg';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { AppConfig } from '../src/config/app-config';
import { SourcesService } from '../src/sources/sources.service';
import { drainQueues, startTestApp, waitFor, type TestApp } from './support/app';

// Demo mode end to end: the real app (api + worker in one process) boots on an empty database,
// starts the marketplace simulator in-process, creates the demo sources and scrapes them in real
// Chromium; listings must show up over GraphQL. Generous timeouts: the machine may be busy.
jest.setTimeout(240_000);

let app: TestApp | undefined;

const LISTINGS = `query { listings(first: 5) { totalCount edges { node { id title price currency } } } }`;

beforeAll(async () => {
  // A fresh database: no sources, no listings (other test files may have used this one).
  const { env } = AppConfig.fromProcess();
  const db = new Client({ connectionString: env.DATABASE_URL });
  await db.connect();
  try {
    const tables = (
      await db.query<{ tablename: string }>(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migrations'`,
      )
    ).rows;
    await db.query(
      `TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`,
    );
  } finally {
    await db.end();
  }
});

afterAll(async () => {
  if (app) await drainQueues(app);
  await app?.close();
});

describe('demo mode', () => {
  it('boots with no sources, starts the simulator and demo sources, and listings flow', async () => {
    app = await startTestApp({
      APP_ROLE: 'all',
      DEMO_MODE: 'on',
      SIMULATOR_PORT: '0',
      SCRAPE_BACKOFF_MS: '50',
    });
    const sources = await app.app.get(SourcesService).list();
    expect(sources.map((s) => s.name).sort()).toEqual([
      'demo-ebay',
      'demo-ebay-classic',
      'demo-shop',
    ]);
    for (const s of sources) expect(s.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);

    const key = (await app.app.get(ApiKeysService).create('viewer', 'demo-test')).key;
    const auth = { authorization: `Bearer ${key}` };
    const page = await waitFor(
      async () => {
        const res = await app!.graphql<{
          listings: { totalCount: number; edges: Array<{ node: { title: string } }> };
        }>(LISTINGS, {}, auth);
        expect(res.body.errors).toBeUndefined();
        return (res.body.data?.listings.totalCount ?? 0) > 0 ? res.body.data!.listings : null;
      },
      180_000,
      'demo listings over GraphQL',
    );
    expect(page.edges.length).toBeGreaterThan(0);
    expect(page.edges[0]!.node.title).not.toBe('');
    // Pages are ingested as they are parsed: the run that brought them may still be running.
    // A page's listings can reach the listing table (through the ingest queue) before the run
    // row's counters are written, so the run is awaited too rather than read once.
    const runs = await waitFor(
      async () => {
        const rows = (await app!.db.query(
          `SELECT s.name, r.status FROM scrape_run r JOIN source s ON s.id = r.source_id
           WHERE r.listings_seen > 0`,
        )) as Array<{ name: string; status: string }>;
        return rows.length > 0 ? rows : null;
      },
      60_000,
      'a demo scrape run that counted listings',
    );
    for (const r of runs) {
      expect(r.name).toMatch(/^demo-/);
      expect(['running', 'succeeded']).toContain(r.status);
    }
  });
});
