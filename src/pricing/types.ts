/**
 * Shared contract of the pricing domain: what the normalizer produces from a listing, what the
 * catalogs hold, and what valuation computes. Pure data, no Nest.
 */

/** What the normalizer classifies a listing as (listing.kind). */
export const LISTING_KINDS = [
  'server',
  'gpu',
  'cpu',
  'ram',
  'drive',
  'psu',
  'part',
  'other',
] as const;
export type ListingKind = (typeof LISTING_KINDS)[number];

/** Where a field came from: the matched text and its [start, end) offsets in the title. */
export interface Span {
  field: string;
  text: string;
  start: number;
  end: number;
  /** 'title' or the attribute key (item specifics, Shopify tag) the value came from. */
  from: string;
}

export interface DriveSpec {
  count: number;
  capacityGb: number;
  /** hdd | ssd | nvme, null when the title does not say. */
  media: 'hdd' | 'ssd' | 'nvme' | null;
  /** sas | sata | nvme | null */
  bus: 'sas' | 'sata' | 'nvme' | null;
  formFactor: '2.5' | '3.5' | 'm.2' | 'u.2' | null;
}

export interface NormalizedSpecs {
  kind: ListingKind;
  /** Vendor name: Dell, HPE, Supermicro, Lenovo, Cisco, Gigabyte, Inspur, ... */
  vendor: string | null;
  /** Model in vendor style without vendor words: "R740xd", "DL380 Gen10". Servers only. */
  chassis: string | null;
  /** "1U" | "2U" | "4U" | "tower" ... */
  formFactor: string | null;
  /** Drive bays as sold: e.g. { count: 12, size: 'LFF' }. */
  driveBays: { count: number; size: 'LFF' | 'SFF' | 'E1.S' | null } | null;
  /** Vendor-style CPU model: "Gold 6148", "E5-2680 v4", "EPYC 7763". */
  cpuModel: string | null;
  cpuCount: number | null;
  ramGb: number | null;
  ramModuleGb: number | null;
  ramModuleCount: number | null;
  /** "DDR4-2666" style when stated. */
  ramType: string | null;
  drives: DriveSpec[];
  driveCount: number | null;
  /** Capacity per drive (decimal GB) when all drives are alike. */
  driveCapacityGb: number | null;
  /** Total storage in decimal GB. */
  storageGb: number | null;
  gpuModel: string | null;
  gpuCount: number | null;
  gpuMemoryGb: number | null;
  psuWatts: number | null;
  psuCount: number | null;
  /** NIC speeds in Gb/s, e.g. [10, 25]. */
  nicSpeedsGbps: number[];
  /** Condition hints: 'for-parts', 'untested', 'no-ram', 'barebones', 'no-drives', 'no-cpu', 'refurbished', 'new'. */
  hints: string[];
  /** Items in the lot ("Lot of 10"); 1 when not stated. */
  lotQuantity: number;
  /** Manufacturer part numbers seen (Dell 0J4Y7V, HPE 865414-B21, Samsung M393A4K40CB2-CTD). */
  partNumbers: string[];
  /** Canonical configuration key for market baselines, e.g. "server|r740xd|2x gold 6148|256". */
  configKey: string | null;
  /** 0..1 overall confidence. */
  confidence: number;
  spans: Span[];
  /** Tokens that looked like a model but were not recognized: { field: 'cpuModel', token: 'E5-9999' }. */
  unrecognized: Array<{ field: string; token: string }>;
  /** Why a field is null when the title had something but it could not be used. */
  reasons: Record<string, string>;
}

export interface NormalizeInput {
  title: string;
  /** Structured fields from the source (item specifics, Shopify tags/options), any language. */
  attributes?: Record<string, string> | null;
  description?: string | null;
}

/** One figure with where it came from. */
export interface Provenance {
  source: string;
  note?: string;
}

export interface CpuCatalogEntry {
  /** Vendor-style model: "Gold 6148", "E5-2680 v4", "EPYC 7763". */
  model: string;
  vendor: 'Intel' | 'AMD' | 'Ampere' | 'Other';
  /** Family for filters: "Xeon Scalable", "Xeon E5", "EPYC", ... */
  family: string;
  cores: number | null;
  threads: number | null;
  baseGhz: number | null;
  tdpW: number | null;
  /** PassMark CPU Mark scale (Geekbench 6 converted by a calibration when PassMark is missing). */
  score: number | null;
  maxSockets: number | null;
  provenance: Provenance[];
}

export interface GpuCatalogEntry {
  /** Label-style model: "A100", "RTX 3090", "Quadro RTX 8000". */
  model: string;
  vendor: 'NVIDIA' | 'AMD' | 'Intel';
  /** Memory variants seen in the catalog, in GB. */
  memoryGb: number[];
  fp32Tflops: number | null;
  fp16Tflops: number | null;
  /** Dense tensor FP16 TFLOPS where known (datacenter parts). */
  tensorFp16Tflops: number | null;
  tdpW: number | null;
  releaseYear: number | null;
  provenance: Provenance[];
}

export interface ChassisCatalogEntry {
  /** Dell, HPE, Supermicro, Lenovo, Cisco, Gigabyte, Inspur, ... */
  vendor: string;
  /** Label-style model: "R740xd", "DL380 Gen10", "SR650". */
  model: string;
  /** Alternative spellings matched in titles: "DL380G10", "DL380 G10". */
  aliases: string[];
  rackUnits: number | null;
  sockets: number;
  dimmSlots: number;
  maxRamGb: number;
  ramType: string | null;
  /** Supported CPU families, e.g. ["Xeon Scalable"]. */
  cpuFamilies: string[];
  driveBays: Array<{ count: number; size: 'LFF' | 'SFF' | 'E1.S' | 'NVMe' }>;
  gpuSlots: number;
  idleW: number;
  typicalW: number;
  psuW: number[];
  releaseYear: number | null;
  provenance: Provenance[];
}
