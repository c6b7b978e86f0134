import { readFileSync, readdirSync } from 'node:fs';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source-options';

export const BENCH_PG_ADMIN_URL =
  process.env.RH_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export function benchDatabaseUrl(name: string): string {
  const u = new URL(BENCH_PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Drops and recreates a scratch database with every migration applied. */
export async function freshBenchDatabase(name: string): Promise<string> {
  const admin = new Client({ connectionString: BENCH_PG_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = benchDatabaseUrl(name);
  const ds = new DataSource(dataSourceOptions(url, 1));
  await ds.initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await ds.destroy();
  }
  return url;
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
}

export function rssMb(): number {
  return process.memoryUsage().rss / 1024 / 1024;
}

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** CPU time (ms) used so far by each PostgreSQL process (pid -> ms); see postgresCpuSince. */
export type PostgresCpu = Map<string, number>;

/**
 * CPU time of every PostgreSQL process on this machine (backends, WAL writer, checkpointer), read
 * from /proc; null where that cannot be read (another OS, a remote server).
 */
export function postgresCpu(): PostgresCpu | null {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc');
  } catch {
    return null;
  }
  const tick = 1000 / 100; // USER_HZ is 100 on Linux
  const out: PostgresCpu = new Map();
  for (const d of dirs) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres')) continue;
      // utime and stime: fields 14 and 15, counted after the parenthesised command name
      const f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ');
      out.set(d, (Number(f[11]) + Number(f[12])) * tick);
    } catch {
      // the process ended meanwhile
    }
  }
  return out.size > 0 ? out : null;
}

/**
 * PostgreSQL CPU time (ms) spent since `before`: by processes alive at both readings, plus all of
 * the processes started since. A process that exited meanwhile is missed (an idle pool connection
 * closing), so this is a lower bound, meaningful with nothing else using PostgreSQL.
 */
export function postgresCpuSince(before: PostgresCpu | null): number | null {
  const now = postgresCpu();
  if (before === null || now === null) return null;
  let total = 0;
  for (const [pid, ms] of now) total += ms - (before.get(pid) ?? 0);
  return total;
}

/** CPU time (ms) this process has used. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
