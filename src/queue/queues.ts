import type { RawListing } from '../listings/raw-listing';

/**
 * Every queue, job name and payload in one place. A producer and its processor cannot disagree
 * on a payload shape without the compiler noticing.
 */
export const QueueName = {
  Ingest: 'ingest',
  Scrape: 'scrape',
  Valuation: 'valuation',
  Alerts: 'alerts',
  Email: 'email',
  Maintenance: 'maintenance',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export const JobName = {
  IngestBatch: 'ingest-batch',
  ScrapeSource: 'scrape-source',
  RecomputeValuations: 'recompute-valuations',
  RefreshMarket: 'refresh-market',
  EvaluateAlerts: 'evaluate-alerts',
  SendEmail: 'send-email',
  SendDigest: 'send-digest',
  SendStockAlerts: 'send-stock-alerts',
  ExpireReservations: 'expire-reservations',
} as const;
export type JobName = (typeof JobName)[keyof typeof JobName];

export interface IngestBatchPayload {
  sourceId: number;
  /** The scrape run this batch belongs to, if any. */
  runId?: number | null;
  /** When the listings were seen (ISO). Out-of-order batches never overwrite newer state. */
  observedAt: string;
  listings: RawListing[];
}

export interface IngestResult {
  received: number;
  inserted: number;
  changed: number;
  unchanged: number;
  observations: number;
  changedListingIds: number[];
}

export interface ScrapeSourcePayload {
  sourceId: number;
  /** One query of the source; all queries when absent. */
  query?: string;
  /** Why it runs: schedule, cli, api, demo. */
  trigger: 'schedule' | 'cli' | 'api' | 'demo';
}

export interface RecomputeValuationsPayload {
  reason: string;
  /** Resume after this listing id (the job records progress as it goes). */
  afterId?: number;
  batchSize?: number;
}

/** Rebuild the market baselines of the configuration keys ingest marked dirty. */
export interface RefreshMarketPayload {
  reason: string;
}

export interface EvaluateAlertsPayload {
  listingIds: number[];
  runId?: number | null;
}

export interface JobPayloads {
  [JobName.IngestBatch]: IngestBatchPayload;
  [JobName.ScrapeSource]: ScrapeSourcePayload;
  [JobName.RecomputeValuations]: RecomputeValuationsPayload;
  [JobName.RefreshMarket]: RefreshMarketPayload;
  [JobName.EvaluateAlerts]: EvaluateAlertsPayload;
  [JobName.SendEmail]: { emailId: number };
  [JobName.SendDigest]: { recipient?: string; mode: 'hourly' | 'daily' };
  [JobName.SendStockAlerts]: Record<string, never>;
  [JobName.ExpireReservations]: Record<string, never>;
}

/** Default retry policy: exponential backoff; jobs are idempotent so redelivery is safe. */
export const defaultJobOptions = {
  attempts: 5,
  backoff: { type: 'exponential', delay: 2000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;
