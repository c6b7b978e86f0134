/**
 * Hardware catalogs (CPUs, GPUs, chassis) loaded once from <projectRoot>/data/catalog and indexed
 * by canonical keys for O(1) lookups from the normalizer and valuation.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChassisCatalogEntry, CpuCatalogEntry, GpuCatalogEntry } from '../types';
import { chassisKey, findProjectRoot, modelKey } from './keys';

export interface Catalogs {
  cpus: readonly CpuCatalogEntry[];
  gpus: readonly GpuCatalogEntry[];
  chassisList: readonly ChassisCatalogEntry[];
  /** "E5-2680 v4", "e5-2680v4", "Xeon Gold 6148", "EPYC 7763" ... */
  cpu(model: string): CpuCatalogEntry | null;
  /** Xeon Scalable model from its number alone ("6148" -> "Gold 6148"), null when ambiguous. */
  cpuByNumber(num: string): CpuCatalogEntry | null;
  /** Label-style GPU model: "A100", "RTX 3090", "Quadro RTX 8000". */
  gpu(model: string): GpuCatalogEntry | null;
  /** "R740xd", "DL380 G10", "SYS-6029P-TRT" (vendor narrows the match when given). */
  chassis(model: string, vendor?: string | null): ChassisCatalogEntry | null;
}

interface CatalogFile<T> {
  entries: T[];
}

function readEntries<T>(dir: string, file: string): T[] {
  const path = join(dir, file);
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as CatalogFile<T> | T[];
  const entries = Array.isArray(parsed) ? parsed : parsed.entries;
  if (!Array.isArray(entries)) throw new Error(`${path}: expected an "entries" array`);
  return entries;
}

const CPU_PREFIX = /^(intel|amd|xeon|ryzen|processor|cpu)+/;

/** Builds the indexed catalogs from entry lists (used by tests with hand-made fakes too). */
export function makeCatalogs(
  cpus: CpuCatalogEntry[],
  gpus: GpuCatalogEntry[],
  chassisList: ChassisCatalogEntry[],
): Catalogs {
  const cpuMap = new Map<string, CpuCatalogEntry>();
  const cpuNum = new Map<string, CpuCatalogEntry | null>();
  for (const c of cpus) {
    cpuMap.set(modelKey(c.model), c);
    if (c.family === 'Xeon Scalable') {
      const num = /\d{4}[a-z+]*$/i.exec(c.model)?.[0]?.toLowerCase();
      if (num) cpuNum.set(num, cpuNum.has(num) ? null : c);
    }
  }
  const gpuMap = new Map<string, GpuCatalogEntry>();
  for (const g of gpus) gpuMap.set(modelKey(g.model), g);
  const chassisMap = new Map<string, ChassisCatalogEntry[]>();
  const addChassis = (key: string, e: ChassisCatalogEntry): void => {
    const list = chassisMap.get(key);
    if (!list) chassisMap.set(key, [e]);
    else if (!list.includes(e)) list.push(e);
  };
  for (const e of chassisList) {
    addChassis(chassisKey(e.model), e);
    for (const a of e.aliases) addChassis(chassisKey(a), e);
  }
  return {
    cpus,
    gpus,
    chassisList,
    cpu(model) {
      const k = modelKey(model);
      return cpuMap.get(k) ?? cpuMap.get(k.replace(CPU_PREFIX, '')) ?? null;
    },
    cpuByNumber(num) {
      return cpuNum.get(num.toLowerCase()) ?? null;
    },
    gpu(model) {
      const k = modelKey(model);
      return (
        gpuMap.get(k) ??
        gpuMap.get(k.replace(/^(nvidia|tesla|geforce|amd|radeon|quadro)+/, '')) ??
        null
      );
    },
    chassis(model, vendor) {
      const k = chassisKey(model);
      let list = chassisMap.get(k);
      if (!list) {
        // Gen8 "p"/"e" variants and Supermicro names without the SYS-/AS- prefix.
        const alt = k.replace(/^(dl\d{3})[pe](gen8)$/, '$1$2').replace(/^(sys|as)(?=\d)/, '');
        list = chassisMap.get(alt) ?? chassisMap.get(`sys${alt}`) ?? chassisMap.get(`as${alt}`);
      }
      if (!list || list.length === 0) return null;
      if (vendor) {
        const v = vendor.toLowerCase();
        return list.find((e) => e.vendor.toLowerCase() === v) ?? null;
      }
      return list[0] ?? null;
    },
  };
}

let memo: Catalogs | null = null;

/** Directory holding cpus.json, gpus.json and chassis.json. */
export function catalogDir(): string {
  return join(findProjectRoot(__dirname, existsSync), 'data', 'catalog');
}

/** Loads and indexes the catalogs once per process (sync: called at start, before serving). */
export function loadCatalogs(dir: string = catalogDir()): Catalogs {
  if (memo && dir === catalogDir()) return memo;
  const catalogs = makeCatalogs(
    readEntries<CpuCatalogEntry>(dir, 'cpus.json'),
    readEntries<GpuCatalogEntry>(dir, 'gpus.json'),
    readEntries<ChassisCatalogEntry>(dir, 'chassis.json'),
  );
  if (dir === catalogDir()) memo = catalogs;
  return catalogs;
}
