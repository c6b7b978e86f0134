/**
 * API benchmark: seeds 1,000,000 listings with price history into its own database (set-based
 * generate_series), boots the real API, and measures with autocannon on loopback:
 *   1. the top-50 `listings` query ordered by cpuScorePerDollar with three filters over GraphQL,
 *   2. the same SQL (captured from the GraphQL run) served by a bare Fastify route with `pg`,
 *   3. planFleetNeed for a 20-node need.
 * Usage: npm run bench -- api [--rows 1000000] [--duration 10] [--connections 16] [--keep]
 *        [--reuse] [--db rackhound_bench_api] [--skip-plan] [--rounds 1]
 * --reuse (implies --keep) skips the seed when the database already holds a completed seed of the
 * same size whose schema (columns, indexes, triggers) matches a freshly migrated database.
 * --rounds N splits each route's --duration into N slices run alternately (GraphQL, bare, ...).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { extname, join } from 'node:path';
import Fastify from 'fastify';
import { Client, Pool } from 'pg';
import { DataSource } from 'typeorm';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { Started, bootstrap } from '../src/bootstrap';
import { AppConfig } from '../src/config/app-config';
import { FleetNeedsService } from '../src/fleet/fleet-needs.service';
import type { LoadRequest, LoadResult } from './load-client';
import { BENCH_PG_ADMIN_URL, benchDatabaseUrl, fmt, freshBenchDatabase } from './support';

const DEFAULT_DB = 'rackhound_bench_api';

interface Args {
  rows: number;
  duration: number;
  connections: number;
  keep: boolean;
  reuse: boolean;
  db: string;
  rounds: number;
  skipPlan: boolean;
}

function parseArgs(args: string[]): Args {
  const get = (name: string, dflt: number) => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? Number(args[i + 1]) : dflt;
    if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} must be a positive number`);
    return v;
  };
  return {
    rows: Math.floor(get('rows', 1_000_000)),
    duration: get('duration', 10),
    connections: Math.floor(get('connections', 16)),
    keep: args.includes('--keep') || args.includes('--reuse'),
    reuse: args.includes('--reuse'),
    rounds: Math.floor(get('rounds', 1)),
    db: dbName(args),
    skipPlan: args.includes('--skip-plan'),
  };
}

function dbName(args: string[]): string {
  const i = args.indexOf('--db');
  const name = i >= 0 ? args[i + 1] : DEFAULT_DB;
  if (!name || !/^[a-z_][a-z0-9_]{0,50}$/.test(name))
    throw new Error('--db: a lowercase identifier');
  return name;
}

/** Chassis (vendor, form factor, sockets) and CPUs (cores, PassMark-like score, base price). */
const SEED_SQL = `
WITH ch(i, vendor, chassis, ff) AS (VALUES
  (0, 'Dell', 'R630', '1U'), (1, 'Dell', 'R730', '2U'), (2, 'Dell', 'R640', '1U'),
  (3, 'Dell', 'R740xd', '2U'), (4, 'HPE', 'DL360 Gen9', '1U'), (5, 'HPE', 'DL380 Gen9', '2U'),
  (6, 'HPE', 'DL380 Gen10', '2U'), (7, 'Lenovo', 'SR650', '2U'), (8, 'Supermicro', '6029P', '2U'),
  (9, 'Dell', 'R750', '2U'), (10, 'HPE', 'DL385 Gen10', '2U'), (11, 'Dell', 'R7525', '2U')),
cpu(i, model, cores, score, base) AS (VALUES
  (0, 'E5-2620 v4', 8, 10000, 150), (1, 'E5-2680 v4', 14, 17500, 220),
  (2, 'E5-2699 v4', 22, 25000, 380), (3, 'Silver 4114', 10, 13500, 300),
  (4, 'Gold 6130', 16, 21000, 520), (5, 'Gold 6148', 20, 27000, 700),
  (6, 'Platinum 8168', 24, 33000, 1100), (7, 'Gold 6248R', 24, 36000, 1300),
  (8, 'EPYC 7302', 16, 30000, 900), (9, 'EPYC 7502', 32, 47000, 1500),
  (10, 'EPYC 7742', 64, 70000, 2600), (11, 'Gold 6338', 32, 52000, 2100)),
s AS (
  SELECT g, random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5,
         random() AS r6
  FROM generate_series($1::int, $3::int) g),
x AS (
  SELECT s.*, ch.vendor, ch.chassis, ch.ff, cpu.model, cpu.cores AS cpu_cores, cpu.score, cpu.base,
         (ARRAY[32, 64, 128, 192, 256, 384, 512, 768])[1 + floor(s.r3 * 8)::int] AS ram,
         CASE WHEN s.r5 < 0.85 THEN 'server' WHEN s.r5 < 0.92 THEN 'gpu'
              WHEN s.r5 < 0.97 THEN 'ram' ELSE 'drive' END AS kind
  FROM s
  JOIN ch ON ch.i = floor(s.r1 * 12)::int
  JOIN cpu ON cpu.i = floor(s.r2 * 12)::int),
y AS (
  SELECT x.*, round(((400 + 2 * x.base + x.ram * 1.5) * (0.7 + x.r4 * 0.8))::numeric, 2) AS price FROM x)
INSERT INTO listing (source_id, external_id, title, currency, price, shipping, status,
  quantity_available, first_seen_at, last_seen_at, last_changed_at, kind, vendor, chassis,
  form_factor, cpu_model, cpu_count, cores, threads, ram_gb, storage_gb, lot_quantity,
  effective_price, cpu_score, cpu_score_per_dollar, dollars_per_core, dollars_per_gb_ram,
  estimated_watts, annual_energy_cost, tco, break_even_months, config_key)
SELECT $2, 'bench-' || g,
  vendor || ' ' || chassis || ' 2x ' || model || ' ' || ram || 'GB',
  'USD', price, 0, CASE WHEN r6 < 0.9 THEN 'active' ELSE 'ended' END,
  CASE WHEN r6 < 0.3 THEN 1 + floor(r4 * 10)::int END,
  now() - (r1 * 120) * interval '1 day', now() - (r2 * 5) * interval '1 day', now(),
  kind, vendor, CASE WHEN kind = 'server' THEN chassis END, CASE WHEN kind = 'server' THEN ff END,
  CASE WHEN kind = 'server' THEN model END, 2, 2 * cpu_cores, 4 * cpu_cores, ram,
  round((r3 * 8000)::numeric, 1), CASE WHEN r6 > 0.98 THEN 4 ELSE 1 END,
  price, 2 * score, round(2 * score / price, 4), round(price / (2 * cpu_cores), 2),
  round(price / ram, 2), 250 + cpu_cores * 8, round((250 + cpu_cores * 8) * 1.5 * 8.76 * 0.13, 2),
  round(price * 1.15 + (250 + cpu_cores * 8) * 1.5 * 8.76 * 0.13 * 3 + 3600, 2),
  round((price / (40 + cpu_cores * 6))::numeric, 1),
  'server|' || lower(chassis) || '|2x ' || lower(model) || '|' || ram
FROM y`;

/**
 * Three observations per listing (the current price and two earlier ones). Inserts only: the
 * append-only trigger refuses UPDATE/DELETE, never INSERT.
 */
const HISTORY_SQL = `
INSERT INTO price_observation (listing_id, observed_at, currency, price, shipping, status, quantity_available)
SELECT l.id, l.first_seen_at + h.k * interval '9 days', l.currency,
       CASE h.k WHEN 2 THEN l.price ELSE round(l.price * (1.12 - 0.05 * h.k), 2) END,
       l.shipping, CASE h.k WHEN 2 THEN l.status ELSE 'active' END, l.quantity_available
FROM listing l CROSS JOIN generate_series(0, 2) AS h(k)
WHERE l.id BETWEEN $1 AND $2`;

/** Tables the seed fills: their secondary indexes are dropped first and rebuilt after. */
const SEEDED_TABLES = ['listing', 'price_observation'];

/**
 * Fills the bench database set-based: secondary indexes of the seeded tables are dropped (their
 * definitions saved from pg_indexes) so the bulk INSERT ... SELECT generate_series does not
 * maintain ~30 B-trees row by row, then rebuilt two at a time and the tables analyzed.
 * Constraint indexes (primary keys, unique constraints) stay.
 */
async function seed(url: string, rows: number, out: (s: string) => void): Promise<void> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query('SET synchronous_commit = off');
    await pg.query(`SET maintenance_work_mem = '256MB'`);
    await pg.query('SELECT setseed(0.42)');
    const saved = await pg.query<{ name: string; def: string }>(
      `SELECT i.indexname AS name, i.indexdef AS def
       FROM pg_indexes i
       WHERE i.schemaname = current_schema() AND i.tablename = ANY($1::text[])
         AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
       ORDER BY i.indexname`,
      [SEEDED_TABLES],
    );
    for (const ix of saved.rows) await pg.query(`DROP INDEX ${quoteIdent(ix.name)}`);
    const src = await pg.query<{ id: number }>(
      `INSERT INTO source (name, kind) VALUES ('bench', 'manual') RETURNING id`,
    );
    const sourceId = src.rows[0]!.id;
    const half = Math.ceil(rows / 2);
    let t = Date.now();
    // Two connections, one half each: generating rows is CPU-bound in the backend.
    await inParallel(url, pg, [
      async (c) => {
        await c.query('SELECT setseed(0.42)');
        await c.query(SEED_SQL, [1, sourceId, half]);
      },
      async (c) => {
        await c.query('SELECT setseed(0.17)');
        await c.query(SEED_SQL, [half + 1, sourceId, rows]);
      },
    ]);
    out(`  listings inserted in ${fmt((Date.now() - t) / 1000, 1)} s`);
    t = Date.now();
    const ids = await pg.query<{ lo: number; hi: number }>(
      'SELECT min(id) AS lo, max(id) AS hi FROM listing',
    );
    const { lo, hi } = ids.rows[0]!;
    const mid = Math.floor((lo + hi) / 2);
    // The rows reference listings inserted above, so the per-row foreign key check is skipped
    // (session_replication_role = replica also skips the append-only trigger, which only
    // refuses UPDATE/DELETE anyway).
    await inParallel(
      url,
      pg,
      [
        (c) => c.query(HISTORY_SQL, [lo, mid]).then(() => undefined),
        (c) => c.query(HISTORY_SQL, [mid + 1, hi]).then(() => undefined),
      ],
      'SET session_replication_role = replica',
    );
    out(`  price history inserted in ${fmt((Date.now() - t) / 1000, 1)} s`);
    t = Date.now();
    await rebuildIndexes(
      url,
      pg,
      saved.rows.map((r) => r.def),
    );
    out(`  ${saved.rows.length} indexes rebuilt in ${fmt((Date.now() - t) / 1000, 1)} s`);
    t = Date.now();
    await pg.query('VACUUM (ANALYZE) listing');
    await pg.query('VACUUM (ANALYZE) price_observation');
    out(`  vacuum + analyze in ${fmt((Date.now() - t) / 1000, 1)} s`);
  } finally {
    await pg.end();
  }
}

/** Runs the saved CREATE INDEX statements on two connections. */
async function rebuildIndexes(url: string, first: Client, defs: string[]): Promise<void> {
  const queue = [...defs];
  const worker = async (c: Client) => {
    for (let def = queue.shift(); def !== undefined; def = queue.shift()) await c.query(def);
  };
  await inParallel(url, first, [worker, worker]);
}

/** Runs each task on its own connection (`first`, then a second one opened here). */
async function inParallel(
  url: string,
  first: Client,
  tasks: [(c: Client) => Promise<void>, (c: Client) => Promise<void>],
  setup?: string,
): Promise<void> {
  const second = new Client({ connectionString: url });
  await second.connect();
  try {
    for (const c of [first, second]) {
      await c.query('SET synchronous_commit = off');
      await c.query(`SET maintenance_work_mem = '256MB'`);
      if (setup) await c.query(setup);
    }
    await Promise.all([tasks[0](first), tasks[1](second)]);
  } finally {
    if (setup) await first.query('RESET ALL');
    await second.end();
  }
}

function loadAverage(): string {
  return loadavg()
    .map((l) => fmt(l, 2))
    .join(', ');
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

const LISTINGS_QUERY = `query {
  listings(first: 50, orderBy: CPU_SCORE_PER_DOLLAR,
           filter: { kind: "server", minCores: 32, minRamGb: 128 }) {
    edges { node { id title price metrics { cpuScorePerDollar } } }
  }
}`;

interface Measured {
  p50: number;
  p95: number;
  p99: number;
  rps: number;
  errors: number;
  /** CPU time of this process (the API and the bare route; the load client is another) per request. */
  cpuMsPerRequest: number;
}

/** One autocannon run's raw figures; runs of the same target are merged before summarizing. */
interface Run {
  times: number[];
  requests: number;
  errors: number;
  seconds: number;
  cpuMicros: number;
}

/**
 * The load generator: autocannon in a child process (bench/load-client), one request at a time.
 * The server's CPU per request is this process's CPU during the run (the API and the bare route
 * live here; the client does not).
 */
class LoadClient {
  private readonly child: ChildProcess;
  private pending: { resolve: (r: LoadResult) => void; reject: (e: Error) => void } | null = null;

  constructor() {
    const script = join(__dirname, `load-client${extname(__filename)}`);
    this.child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (r: LoadResult) => this.settle()?.resolve(r));
    // A client that dies mid-run fails the bench instead of leaving it waiting forever.
    this.child.on('exit', (code, signal) =>
      this.settle()?.reject(new Error(`load client exited (${signal ?? `code ${code}`})`)),
    );
  }

  private settle() {
    const pending = this.pending;
    this.pending = null;
    return pending;
  }

  async run(req: LoadRequest): Promise<Run> {
    if (this.pending) throw new Error('one load run at a time');
    const cpu = process.cpuUsage();
    const r = await new Promise<LoadResult>((resolve, reject) => {
      this.pending = { resolve, reject };
      this.child.send(req);
    });
    const used = process.cpuUsage(cpu);
    if (r.error) throw new Error(`load client: ${r.error}`);
    return {
      times: r.times,
      requests: r.requests,
      errors: r.errors,
      seconds: req.duration,
      cpuMicros: used.user + used.system,
    };
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
  }
}

let client: LoadClient | null = null;

async function load(
  url: string,
  body: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<Measured> {
  return summarize([await loadRun(url, body, headers, connections, duration)]);
}

function loadRun(
  url: string,
  body: string,
  headers: Record<string, string>,
  connections: number,
  duration: number,
): Promise<Run> {
  client ??= new LoadClient();
  return client.run({ url, body, headers, connections, duration });
}

function summarize(runs: Run[]): Measured {
  const times = runs.flatMap((r) => r.times).sort((a, b) => a - b);
  const sum = (f: (r: Run) => number) => runs.reduce((n, r) => n + f(r), 0);
  const requests = sum((r) => r.requests);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? NaN;
  return {
    p50: q(0.5),
    p95: q(0.95),
    p99: q(0.99),
    rps: requests / sum((r) => r.seconds),
    errors: sum((r) => r.errors),
    cpuMsPerRequest: requests > 0 ? sum((r) => r.cpuMicros) / 1000 / requests : NaN,
  };
}

function line(name: string, m: Measured): string {
  return `${name.padEnd(26)} p50 ${fmt(m.p50, 1).padStart(7)} ms  p95 ${fmt(m.p95, 1).padStart(7)} ms  p99 ${fmt(m.p99, 1).padStart(7)} ms  ${fmt(m.rps).padStart(7)} req/s  errors ${m.errors}  cpu ${fmt(m.cpuMsPerRequest, 2)} ms/req`;
}

/** planFleetNeed for a 20-node mixed need, under load from up to 4 clients. */
async function measurePlan(
  app: Started,
  gqlUrl: string,
  auth: Record<string, string>,
  args: Args,
): Promise<{
  measured: Measured;
  connections: number;
  satisfiable: boolean | undefined;
  candidates: number | undefined;
}> {
  const needs = app.app.get(FleetNeedsService);
  const need = await needs.create(
    { name: 'bench', quantity: 20, minCores: 32, minRamGb: 256, homogeneous: false },
    null,
  );
  const planBody = JSON.stringify({
    query: `{ planFleetNeed(id: "${need.id}") { satisfiable reason candidatesConsidered plans { totalPrice nodes } } }`,
  });
  const planProbe = (await (
    await fetch(gqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: planBody,
    })
  ).json()) as {
    data?: { planFleetNeed: { satisfiable: boolean; candidatesConsidered: number } };
  };
  const connections = Math.max(1, Math.min(4, args.connections));
  const measured = await load(gqlUrl, planBody, auth, connections, args.duration);
  return {
    measured,
    connections,
    satisfiable: planProbe.data?.planFleetNeed.satisfiable,
    candidates: planProbe.data?.planFleetNeed.candidatesConsidered,
  };
}

/** Database comment that marks a completed seed (written last, so a killed seed has none). */
function seedMarker(rows: number): string {
  return `rackhound bench api seed: ${rows} listings`;
}

async function markSeeded(url: string, db: string, rows: number): Promise<void> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    await pg.query(`COMMENT ON DATABASE ${quoteIdent(db)} IS '${seedMarker(rows)}'`);
  } finally {
    await pg.end();
  }
}

/**
 * Fingerprint of the schema as the bench depends on it: applied migrations, columns, indexes,
 * triggers and functions. Equal fingerprints mean the seeded database is what a fresh seed would
 * query (same indexes, same plan choices), apart from the random rows.
 */
const SCHEMA_FINGERPRINT_SQL = `
SELECT md5(coalesce(string_agg(x, E'\n' ORDER BY x), '')) AS fp FROM (
  SELECT 'm:' || name FROM typeorm_migrations
  UNION ALL
  SELECT 'c:' || table_name || '.' || column_name || ':' || data_type || ':' || is_nullable
         || ':' || coalesce(column_default, '')
  FROM information_schema.columns WHERE table_schema = current_schema()
  UNION ALL
  SELECT 'i:' || indexdef FROM pg_indexes WHERE schemaname = current_schema()
  UNION ALL
  SELECT 't:' || pg_get_triggerdef(t.oid) FROM pg_trigger t
  JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE NOT t.tgisinternal AND n.nspname = current_schema()
  UNION ALL
  SELECT 'f:' || p.proname || ':' || md5(p.prosrc) FROM pg_proc p
  JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = current_schema()
) s(x)`;

async function fingerprint(url: string): Promise<string> {
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    return (await pg.query<{ fp: string }>(SCHEMA_FINGERPRINT_SQL)).rows[0]!.fp;
  } finally {
    await pg.end();
  }
}

/**
 * The URL of `db` when it holds a completed seed of `rows` listings (marker comment, exact row
 * counts) and its schema fingerprint equals that of a freshly migrated scratch database; null
 * otherwise (the caller then reseeds).
 */
async function reusableDatabase(db: string, rows: number): Promise<string | null> {
  const admin = new Client({ connectionString: BENCH_PG_ADMIN_URL });
  await admin.connect();
  let comment: string | null;
  try {
    const r = await admin.query<{ comment: string | null }>(
      `SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1`,
      [db],
    );
    comment = r.rows[0]?.comment ?? null;
  } finally {
    await admin.end();
  }
  if (comment !== seedMarker(rows)) return null;
  const url = benchDatabaseUrl(db);
  const pg = new Client({ connectionString: url });
  await pg.connect();
  try {
    const counts = await pg.query<{ listings: number; history: number }>(
      `SELECT (SELECT count(*)::int FROM listing l JOIN source s ON s.id = l.source_id
               WHERE s.name = 'bench') AS listings,
              (SELECT count(*)::int FROM price_observation) AS history`,
    );
    const c = counts.rows[0]!;
    if (c.listings !== rows || c.history !== 3 * rows) return null;
  } finally {
    await pg.end();
  }
  const scratch = `${db}_schema`;
  const fresh = await freshBenchDatabase(scratch);
  try {
    return (await fingerprint(fresh)) === (await fingerprint(url)) ? url : null;
  } finally {
    const drop = new Client({ connectionString: BENCH_PG_ADMIN_URL });
    await drop.connect();
    try {
      await drop.query(`DROP DATABASE IF EXISTS ${quoteIdent(scratch)} WITH (FORCE)`);
    } finally {
      await drop.end();
    }
  }
}

export async function run(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const out = (s: string) => process.stdout.write(`${s}\n`);
  out(
    `api bench: ${fmt(args.rows)} listings, ${args.connections} connections, ${args.duration}s per run`,
  );
  out(`load average at start: ${loadAverage()}`);

  // Anything that ends the process early (a library calling process.exit) still says so.
  let finished = false;
  const onExit = (code: number) => {
    if (!finished)
      process.stderr.write(`api bench: process exited (code ${code}) before finishing\n`);
  };
  process.once('exit', onExit);
  try {
    await measure(args, out);
    out(`load average at end: ${loadAverage()} (${cpus().length} CPUs)`);
    finished = true;
  } finally {
    process.removeListener('exit', onExit);
  }
}

async function measure(args: Args, out: (s: string) => void): Promise<void> {
  const DB = args.db;
  let url = args.reuse ? await reusableDatabase(DB, args.rows) : null;
  let seedMs: number | null = null;
  if (url) {
    out(`reusing ${DB}: completed seed of ${fmt(args.rows)} listings, schema matches migrations`);
  } else {
    url = await freshBenchDatabase(DB);
    const seedStart = Date.now();
    await seed(url, args.rows, out);
    await markSeeded(url, DB, args.rows);
    seedMs = Date.now() - seedStart;
    out(`seeded in ${fmt(seedMs / 1000, 1)} s (listings + history, analyzed)`);
  }

  const config = AppConfig.fromProcess({
    DATABASE_URL: url,
    PORT: '0',
    APP_ROLE: 'api',
    MIGRATIONS_RUN: 'false',
    // boot failures reject (bootstrap sets abortOnError: false) and are printed by the caller
    LOG_LEVEL: 'fatal',
    DEMO_MODE: 'off',
    NODE_ENV: 'production',
    DATABASE_POOL_SIZE: String(args.connections),
    // the limiter stays on (its Redis round trip is part of the cost) but never refuses here
    RATE_LIMIT_PER_MINUTE: '1000000',
    QUEUE_PREFIX: 'rh-bench-api',
    // production requires a signing secret for alert unsubscribe links (unused here)
    ALERTS_SIGNING_SECRET: randomBytes(24).toString('hex'),
  });
  const app = await bootstrap(config);
  const bare = Fastify();
  const pool = new Pool({ connectionString: url, max: args.connections });
  try {
    const key = (await app.app.get(ApiKeysService).create('procurement', 'bench')).key;
    const auth = { authorization: `Bearer ${key}` };
    const gqlUrl = `${app.url!}/graphql`;

    // Capture the SQL the GraphQL query runs, to serve exactly that from the bare route.
    const db = app.app.get(DataSource);
    const captured: Array<{ sql: string; params: unknown[] }> = [];
    const logger = db.logger;
    const original = logger.logQuery.bind(logger);
    logger.logQuery = (sql, params, runner) => {
      captured.push({ sql, params: Array.isArray(params) ? params : [] });
      return original(sql, params, runner);
    };
    const probe = await fetch(gqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ query: LISTINGS_QUERY }),
    });
    const probeBody = (await probe.json()) as { data?: { listings: { edges: unknown[] } } };
    logger.logQuery = original;
    const pageSql = captured.find((c) => /FROM listing/i.test(c.sql) && /ORDER BY/i.test(c.sql));
    if (!probe.ok || !probeBody.data || !pageSql) {
      throw new Error(`listings probe failed: ${JSON.stringify(probeBody).slice(0, 500)}`);
    }
    out(`listings query returns ${probeBody.data.listings.edges.length} rows`);

    bare.post('/sql', async () => {
      const r = await pool.query(pageSql.sql, pageSql.params);
      return { data: r.rows };
    });
    const bareUrl = await bare.listen({ port: 0, host: '127.0.0.1' });

    const body = JSON.stringify({ query: LISTINGS_QUERY });
    // warm both paths (plans cached, pools filled)
    await load(gqlUrl, body, auth, args.connections, 2);
    await load(`${bareUrl}/sql`, '{}', {}, args.connections, 2);
    // Alternating rounds: on a shared machine the load from other processes drifts, and a
    // ratio of two runs minutes apart would measure the drift.
    const gqlRuns: Run[] = [];
    const rawRuns: Run[] = [];
    const slice = args.duration / args.rounds;
    for (let i = 0; i < args.rounds; i++) {
      gqlRuns.push(await loadRun(gqlUrl, body, auth, args.connections, slice));
      rawRuns.push(await loadRun(`${bareUrl}/sql`, '{}', {}, args.connections, slice));
    }
    const gql = summarize(gqlRuns);
    const raw = summarize(rawRuns);

    const plan = args.skipPlan ? null : await measurePlan(app, gqlUrl, auth, args);

    out('');
    out(line('GraphQL listings top-50', gql));
    out(line('bare Fastify + pg', raw));
    out(
      `GraphQL / bare req/s ratio: ${fmt(gql.rps / raw.rps, 2)} (target >= 0.5); GraphQL p95 ${fmt(gql.p95, 1)} ms (target <= 50)`,
    );
    if (plan) {
      out(line(`planFleetNeed (${plan.connections} conns)`, plan.measured));
      out(
        `planFleetNeed: 20 nodes, satisfiable=${String(plan.satisfiable)}, ` +
          `${plan.candidates ?? '?'} candidates read; p95 ${fmt(plan.measured.p95, 1)} ms (target <= 500)`,
      );
    }
    if (seedMs !== null) {
      out(
        `seed: ${fmt(seedMs / 1000, 1)} s for ${fmt(args.rows)} listings (target: a couple of minutes)`,
      );
    }
  } finally {
    client?.close();
    client = null;
    await bare.close();
    await pool.end();
    await app.close();
    if (!args.keep) {
      const admin = new Client({ connectionString: BENCH_PG_ADMIN_URL });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${DB} WITH (FORCE)`);
      await admin.end();
    }
  }
}
