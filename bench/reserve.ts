/**
 * Reservation throughput over HTTP (GraphQL reservePart) against the booted app (api role) on
 * its own database. Two runs: distinct parts (no contention) and one hot part (every call
 * contends for the same stock row); prints reservations/s for each, the contention figure
 * (hot / distinct) and verifies zero oversell and that levels reconcile with movements after
 * each run.
 *
 *   npm run bench -- reserve [requests=4000] [concurrency=32]
 *
 * Uses RH_BENCH_DB (default rackhound_bench) on the server of DATABASE_URL; it is recreated.
 */
import { Client } from 'pg';
import { ApiKeysService } from '../src/auth/api-keys.service';
import { bootstrap } from '../src/bootstrap';
import { AppConfig } from '../src/config/app-config';
import { InventoryService } from '../src/inventory/inventory.service';
import { DataSource } from 'typeorm';

const RESERVE = `mutation($pn: String!, $ref: String!) {
  reservePart(partNumber: $pn, quantity: 1, site: "bench", for: { kind: TICKET, ref: $ref }) { id }
}`;

async function recreateDb(adminUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return u.toString();
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
  const base = AppConfig.fromProcess();
  const dbName = process.env.RH_BENCH_DB ?? 'rackhound_bench';
  if (!/^[a-z_][a-z0-9_]*$/.test(dbName)) throw new Error('RH_BENCH_DB must be a plain name');
  const url = await recreateDb(base.env.DATABASE_URL, dbName);
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
    // warm-up (JIT, pool, prepared plans) on a part of its own
    await inv.createPart({ partNumber: 'BENCH-WARM', kind: 'psu' });
    await inv.receiveStock({ partNumber: 'BENCH-WARM', locationId: loc.id, quantity: 500 }, seed);
    await drive(500, concurrency, (i) => reserve('BENCH-WARM', i));

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

    const distinct = await drive(total, concurrency, (i) =>
      reserve(`BENCH-D${i % distinctParts}`, i),
    );
    await verify('distinct');
    const hot = await drive(total, concurrency, (i) => reserve('BENCH-HOT', i));
    await verify('hot');
    const stock = await inv.stock('BENCH-HOT');
    if (hot.ok !== hotStock || stock.reserved !== hotStock) {
      throw new Error(`hot part: ${hot.ok} successes for ${hotStock} in stock`);
    }

    const rate = (r: { ok: number; refused: number; ms: number }) =>
      ((r.ok + r.refused) / r.ms) * 1000;
    const okRate = (r: { ok: number; ms: number }) => (r.ok / r.ms) * 1000;
    const line = (name: string, r: { ok: number; refused: number; ms: number }) =>
      `${name.padEnd(16)} ${String(r.ok).padStart(6)} ok ${String(r.refused).padStart(6)} refused ` +
      `${rate(r).toFixed(0).padStart(7)} calls/s ${okRate(r).toFixed(0).padStart(7)} reservations/s`;
    process.stdout.write(
      [
        `reserve bench: ${total} reservePart calls per run over HTTP, concurrency ${concurrency}`,
        line('distinct parts', distinct),
        line('one hot part', hot),
        `contention (hot/distinct calls/s): ${(rate(hot) / rate(distinct)).toFixed(2)}x`,
        `target >= 500 reservations/s on distinct parts: ${okRate(distinct) >= 500 ? 'met' : 'NOT met'}`,
      ].join('\n') + '\n',
    );
  } finally {
    await app.close();
  }
}
