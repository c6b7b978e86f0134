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

/** CPU time (ms) used so far by each of a set of processes (pid -> ms). */
export type CpuByPid = Map<number, number>;

/** CPU time (ms) process `pid` has used so far, from /proc; null when it cannot be read. */
export function processCpuMs(pid: number): number | null {
  try {
    // utime and stime: the 12th and 13th fields after the parenthesised command name
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/**
 * CPU time of every PostgreSQL process on this machine (backends, WAL writer, checkpointer);
 * null where /proc cannot be read (another OS, a remote server).
 */
export function postgresCpu(): CpuByPid | null {
  let dirs: string[];
  try {
    dirs = readdirSync('/proc');
  } catch {
    return null;
  }
  const out: CpuByPid = new Map();
  for (const d of dirs) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (!readFileSync(`/proc/${d}/comm`, 'utf8').startsWith('postgres')) continue;
    } catch {
      continue; // the process ended meanwhile
    }
    const ms = processCpuMs(Number(d));
    if (ms !== null) out.set(Number(d), ms);
  }
  return out.size > 0 ? out : null;
}

/**
 * CPU time (ms) spent between two readings: by the processes in both, plus all of those started
 * in between. A process that exited meanwhile is missed (an idle pool connection closing), so
 * this is a lower bound, meaningful with nothing else using those processes.
 */
export function cpuSince(before: CpuByPid | null, now: CpuByPid | null): number | null {
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
