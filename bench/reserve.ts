/**
 * Reservation throughput over HTTP (GraphQL reservePart) against the booted app (api role) on
 * its own database. Two runs: distinct parts (no contention) and one hot part (every call
 * contends for the same stock row); prints reservations/s for each, the contention figure
 * (hot / distinct) and verifies zero oversell and that levels reconcile with movements after
 * each run. A first run of a trivial authenticated query (one SELECT) gives the floor that
 * HTTP, GraphQL and auth cost on this machine, and every run reports the SQL round trips
 * (statements sent to PostgreSQL, BEGIN/COMMIT included) per call.
 *
 *   npm run bench -- reserve [requests=4000] [concurrency=32]
 *
 * Uses RH_BENCH_DB (default rackhound_bench) on the server of RH_BENCH_PG_URL (default the local
 * PostgreSQL); it is recreated with the migrations applied.
 */
import { loadavg } from 'node:os';
import { Client } from 'pg';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { bootstrap } from '../src/bootstrap';
import { AppConfig } from '../src/config/app-config';
import { InventoryService } from '../src/inventory/inventory.service';
import { DataSource } from 'typeorm';
import { type CpuByPid, cpuSince, freshBenchDatabase, processCpuMs } from './support';

const RESERVE = `mutation($pn: String!, $ref: String!) {
  reservePart(partNumber: $pn, quantity: 1, site: "bench", for: { kind: TICKET, ref: $ref }) { id }
}`;

const FLOOR = `query { stockLocations(site: "bench") { id } }`;

/**
 * Counts statements sent to PostgreSQL through node-postgres (TypeORM's driver) while it is
 * installed, so a run can report round trips per call. Returns a reader and an uninstaller.
 */
function countQueries(): { read: () => number; stop: () => void } {
  const proto = Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  let n = 0;
  proto.query = function (this: unknown, ...a: unknown[]) {
    n++;
    return original.apply(this, a);
  };
  return { read: () => n, stop: () => void (proto.query = original) };
}

/**
 * CPU time (ms) used so far by the PostgreSQL backends serving `db`'s database, read from
 * /proc (so only when the server runs on this machine; null otherwise). Lets a run report the
 * database's CPU per call, which other load on the machine does not inflate as much as time.
 */
async function backendCpu(db: DataSource): Promise<CpuByPid | null> {
  const rows: Array<{ pid: number }> = await db.query(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`,
  );
  const cpu: CpuByPid = new Map();
  for (const { pid } of rows) {
    const ms = processCpuMs(pid);
    if (ms === null) return null;
    cpu.set(pid, ms);
  }
  return cpu;
}

/** Runs `total` calls with at most `concurrency` in flight; returns ok/refused counts and ms. */
async function drive(
  total: number,
  concurrency: number,
  call: (i: number) => Promise<boolean>,
): Promise<{ ok: number; refused: number; ms: number }> {
  let next = 0;
  let ok = 0;
  let refused = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        if (await call(i)) ok++;
        else refused++;
      }
    }),
  );
  return { ok, refused, ms: performance.now() - started };
}

export async function run(args: string[]): Promise<void> {
  const total = Number(args[0] ?? 4000);
  const concurrency = Number(args[1] ?? 32);
  if (!Number.isInteger(total) || total < 1 || !Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error('usage: reserve [requests] [concurrency]');
  }
  const dbName = process.env.RH_BENCH_DB ?? 'rackhound_bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error('RH_BENCH_DB must be a plain name');
  const url = await freshBenchDatabase(dbName);
  const config = AppConfig.fromProcess({
    APP_ROLE: 'api',
    PORT: '0',
    DATABASE_URL: url,
    DATABASE_POOL_SIZE: String(Math.min(50, Math.max(10, concurrency))),
    RATE_LIMIT_PER_MINUTE: '0',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: `${dbName}-bench`,
    MIGRATIONS_RUN: 'true',
  });
  const app = await bootstrap(config);
  try {
    const inv = app.app.get(InventoryService);
    const key = (await app.app.get(ApiKeysService).create('ops', 'bench')).key;
    const loc = await inv.createLocation({ site: 'bench', bin: 'B1' });
    const seed = { name: 'bench', keyId: null };
    // distinct: each part is reserved twice and holds 2 units, so every call succeeds
    const distinctParts = Math.ceil(total / 2);
    for (let p = 0; p < distinctParts; p++) {
      const partNumber = `BENCH-D${p}`;
      await inv.createPart({ partNumber, kind: 'psu' });
      await inv.receiveStock({ partNumber, locationId: loc.id, quantity: 2 }, seed);
    }
    // hot: one part with fewer units than requests, so the tail is refusals under contention
    const hotStock = Math.floor(total * 0.8);
    await inv.createPart({ partNumber: 'BENCH-HOT', kind: 'psu' });
    await inv.receiveStock(
      { partNumber: 'BENCH-HOT', locationId: loc.id, quantity: hotStock },
      seed,
    );

    const endpoint = `${app.url}/graphql`;
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${key}` };
    const reserve = async (pn: string, i: number): Promise<boolean> => {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: RESERVE, variables: { pn, ref: `B-${i}` } }),
      });
      const body = (await res.json()) as {
        data?: { reservePart?: { id: string } };
        errors?: Array<{ extensions?: { reason?: string } }>;
      };
      if (body.data?.reservePart) return true;
      const reason = body.errors?.[0]?.extensions?.reason;
      if (reason !== 'INSUFFICIENT_STOCK')
        throw new Error(`unexpected error: ${JSON.stringify(body)}`);
      return false;
    };
    const floorCall = async (): Promise<boolean> => {
      const res = await fetch(endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: FLOOR }),
      });
      const body = (await res.json()) as { data?: { stockLocations?: unknown[] } };
      if (!body.data?.stockLocations?.length) {
        throw new Error(`unexpected floor answer: ${JSON.stringify(body)}`);
      }
      return true;
    };
    // warm-up (JIT, pool, prepared plans) on a part of its own
    await inv.createPart({ partNumber: 'BENCH-WARM', kind: 'psu' });
    await inv.receiveStock({ partNumber: 'BENCH-WARM', locationId: loc.id, quantity: 500 }, seed);
    await drive(500, concurrency, (i) => reserve('BENCH-WARM', i));
    await drive(500, concurrency, floorCall);

    const db = app.app.get(DataSource);
    const verify = async (label: string) => {
      const over: Array<{ n: number }> = await db.query(
        `SELECT count(*)::int AS n FROM stock_level WHERE reserved > on_hand OR reserved < 0`,
      );
      const held: Array<{ part_id: number; q: number; reserved: number }> = await db.query(
        `SELECT r.part_id, sum(r.quantity)::int AS q, max(sl.reserved) AS reserved
         FROM reservation r JOIN stock_level sl ON sl.part_id = r.part_id
         WHERE r.status = 'held' GROUP BY r.part_id HAVING sum(r.quantity) <> max(sl.reserved)`,
      );
      const check = await inv.reconcile();
      const oversold = over[0]!.n + held.length + check.problems.length;
      process.stdout.write(
        `  verify ${label}: oversold rows ${over[0]!.n}, held/level mismatches ${held.length}, ` +
          `ledger problems ${check.problems.length} -> ${oversold === 0 ? 'OK' : 'FAIL'}\n`,
      );
      if (oversold) throw new Error(`oversell or ledger mismatch after ${label}`);
    };

    const counter = countQueries();
    type Run = {
      ok: number;
      refused: number;
      ms: number;
      queries: number;
      nodeCpuMs: number;
      pgCpuMs: number | null;
    };
    const counted = async (
      call: () => Promise<{ ok: number; refused: number; ms: number }>,
    ): Promise<Run> => {
      const before = counter.read();
      const pgBefore = await backendCpu(db);
      const nodeBefore = process.cpuUsage();
      const r = await call();
      const node = process.cpuUsage(nodeBefore);
      const pgCpuMs = cpuSince(pgBefore, await backendCpu(db));
      return {
        ...r,
        queries: counter.read() - before,
        nodeCpuMs: (node.user + node.system) / 1000,
        pgCpuMs,
      };
    };
    let floor: Run, distinct: Run, hot: Run;
    try {
      floor = await counted(() => drive(total, concurrency, floorCall));
      distinct = await counted(() =>
        drive(total, concurrency, (i) => reserve(`BENCH-D${i % distinctParts}`, i)),
      );
      await verify('distinct');
      hot = await counted(() => drive(total, concurrency, (i) => reserve('BENCH-HOT', i)));
      await verify('hot');
    } finally {
      counter.stop();
    }
    const stock = await inv.stock('BENCH-HOT');
    if (hot.ok !== hotStock || stock.reserved !== hotStock) {
      throw new Error(`hot part: ${hot.ok} successes for ${hotStock} in stock`);
    }

    const rate = (r: { ok: number; refused: number; ms: number }) =>
      ((r.ok + r.refused) / r.ms) * 1000;
    const okRate = (r: { ok: number; ms: number }) => (r.ok / r.ms) * 1000;
    const perCall = (r: Run, v: number) => (v / (r.ok + r.refused)).toFixed(2).padStart(5);
    const line = (name: string, r: Run, what = 'reservations/s') =>
      `${name.padEnd(16)} ${String(r.ok).padStart(6)} ok ${String(r.refused).padStart(6)} refused ` +
      `${rate(r).toFixed(0).padStart(7)} calls/s ${okRate(r).toFixed(0).padStart(7)} ${what}` +
      `  ${perCall(r, r.queries)} SQL round trips/call, CPU ms/call: node ` +
      `${perCall(r, r.nodeCpuMs)} (client included), postgres ` +
      `${r.pgCpuMs === null ? '  n/a' : perCall(r, r.pgCpuMs)}`;
    process.stdout.write(
      [
        `reserve bench: ${total} reservePart calls per run over HTTP, concurrency ${concurrency}, ` +
          `load average ${loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
        line('floor (1 SELECT)', floor, 'queries/s     '),
        line('distinct parts', distinct),
        line('one hot part', hot),
        `distinct / floor calls/s: ${(rate(distinct) / rate(floor)).toFixed(2)}x`,
        `contention (hot/distinct calls/s): ${(rate(hot) / rate(distinct)).toFixed(2)}x`,
        `target >= 500 reservations/s on distinct parts: ${okRate(distinct) >= 500 ? 'met' : 'NOT met'}`,
      ].join('\n') + '\n',
    );
  } finally {
    await app.close();
  }
}
