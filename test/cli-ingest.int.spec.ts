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
