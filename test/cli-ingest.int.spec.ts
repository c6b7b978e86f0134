import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/cli/main';
import { TestApp, drainQueues, startTestApp, truncateAll } from './support/app';
import { makeRawListing } from './support/factories';

/** Runs the CLI in-process and captures what it prints. */
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
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

describe('npm run cli -- ingest-file', () => {
  let worker: TestApp;
  const dir = mkdtempSync(join(tmpdir(), 'rh-cli-'));

  beforeAll(async () => {
    worker = await startTestApp({ APP_ROLE: 'worker' });
  });
  afterAll(async () => {
    await drainQueues(worker);
    await worker.close();
  });
  beforeEach(() => truncateAll(worker.db));

  it('reports each bad line with its number and reason, lands the good ones, exits 1', async () => {
    const good = [makeRawListing(), makeRawListing(), makeRawListing()];
    const file = join(dir, 'mixed.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify(good[0]),
        '{not json',
        JSON.stringify(good[1]),
        JSON.stringify({ externalId: 'x1', title: 'no price is fine', currency: 'dollars' }),
        '',
        JSON.stringify({ title: 'missing id' }),
        JSON.stringify(good[2]),
      ].join('\n'),
    );
    const r = await cli(['ingest-file', file, '--source', 'cli-test', '--wait']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mixed\.jsonl:2: rejected: invalid JSON/);
    expect(r.stderr).toMatch(/mixed\.jsonl:4: rejected: currency: must be an ISO 4217 code/);
    expect(r.stderr).toMatch(/mixed\.jsonl:6: rejected: externalId/);
    expect(r.stderr).toMatch(/3 line\(s\) rejected/);
    expect(r.stdout).toMatch(/enqueued 3 listing\(s\)/);
    const rows = await worker.db.query(
      `SELECT l.external_id FROM listing l JOIN source s ON s.id = l.source_id WHERE s.name = 'cli-test' ORDER BY 1`,
    );
    expect(rows.map((x: any) => x.external_id).sort()).toEqual(
      good.map((g) => g.externalId).sort(),
    );
  });

  it('exits 0 on a clean file and 2 on usage errors', async () => {
    const file = join(dir, 'clean.jsonl');
    writeFileSync(
      file,
      [makeRawListing(), makeRawListing()].map((l) => JSON.stringify(l)).join('\n'),
    );
    expect((await cli(['ingest-file', file, '--wait'])).code).toBe(0);
    expect((await cli(['ingest-file'])).code).toBe(2);
    expect((await cli(['no-such-command'])).code).toBe(2);
    const missing = await cli(['ingest-file', join(dir, 'nope.jsonl')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/cannot read/);
  });
});

describe('npm run cli -- parse', () => {
  // the real saved pages (copied from ../shared/data/pages, see test/fixtures/pages/README.md)
  const pages = join(__dirname, 'fixtures', 'pages');
  const parseSaved = (ebayPage: string) =>
    cli(['parse', 'ebay-search', join(pages, 'ebay', ebayPage)]);

  it('prints one JSON object per listing with the core fields, null when the page does not say', async () => {
    const r = await parseSaved('search-scard-2026-04-de-lego.html');
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      for (const k of [
        'externalId',
        'title',
        'price',
        'priceMax',
        'currency',
        'shipping',
        'condition',
        'url',
      ])
        expect(row).toHaveProperty(k);
      expect(row.externalId).toMatch(/^\d+$/);
    }
    expect(rows.some((row) => row.currency === 'EUR' && typeof row.price === 'number')).toBe(true);
  });

  it('exits 3 with one line on a bot wall, 2 on an unknown kind, 1 on a missing file', async () => {
    const blocked = await parseSaved('challenge-2025-10-bot-wall.html');
    expect(blocked.code).toBe(3);
    expect(blocked.stdout).toBe('');
    expect(blocked.stderr.trim().split('\n')).toHaveLength(1);
    expect(blocked.stderr).toMatch(/blocked/i);
    expect((await cli(['parse', 'nope', 'x.html'])).code).toBe(2);
    expect((await cli(['parse', 'ebay-search', join(pages, 'missing.html')])).code).toBe(1);
  });
});
