import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { rootLogger } from '../common/logger';
import { ListingsService } from '../listings/listings.service';
import {
  JobName,
  QueueName,
  RecomputeValuationsPayload,
  RefreshMarketPayload,
} from '../queue/queues';
import { PricingService } from './pricing.service';
import { RECOMPUTE_BATCH } from './version';

export interface RecomputeResult {
  updated: number;
  scanned: number;
  passes: number;
  lastId: number;
}

/** Passes over the table: a later pass catches rows a stale process wrote behind the first. */
const MAX_PASSES = 3;

/**
 * Re-normalizes and re-values every listing not valued with the current valuation version, in
 * id-ordered batches. The checkpoint (afterId) is saved in the job data after each batch, so a
 * killed worker's retry resumes where it stopped; only stale rows are read, so a restart from the
 * beginning would also be correct, just slower.
 */
@Processor(QueueName.Valuation, { concurrency: 1 })
export class RecomputeProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly log = rootLogger().child({ queue: QueueName.Valuation });

  constructor(
    private readonly listings: ListingsService,
    private readonly pricing: PricingService,
  ) {
    super();
  }

  /** Worker startup: enqueue the recompute when rows were valued by another version. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.pricing.reload();
      if (await this.listings.hasStale()) {
        await this.pricing.enqueueRecompute(`startup: rows older than v${this.pricing.version}`);
        this.log.info({ version: this.pricing.version }, 'stale valuations: recompute enqueued');
      }
    } catch (e) {
      this.log.error({ reason: (e as Error).message }, 'stale valuation check failed');
    }
  }

  async process(
    job: Job<RecomputeValuationsPayload | RefreshMarketPayload>,
  ): Promise<RecomputeResult | { keys: number; listings: number } | null> {
    if (job.name === JobName.RefreshMarket) return this.refreshMarket(job);
    if (job.name !== JobName.RecomputeValuations) {
      this.log.warn({ jobId: job.id, name: job.name }, 'unknown valuation job ignored');
      return null;
    }
    return this.recompute(job as Job<RecomputeValuationsPayload>);
  }

  /** The debounced market job: drains the configuration keys ingest marked dirty. */
  private async refreshMarket(job: Job): Promise<{ keys: number; listings: number }> {
    const started = Date.now();
    const r = await this.pricing.refreshDirtyMarket();
    if (r.keys) {
      this.log.info(
        { jobId: job.id, ms: Date.now() - started, ...r },
        'market baselines refreshed',
      );
    }
    return r;
  }

  private async recompute(job: Job<RecomputeValuationsPayload>): Promise<RecomputeResult> {
    await this.pricing.reload();
    const batchSize = Math.min(
      Math.max(Math.trunc(job.data.batchSize ?? RECOMPUTE_BATCH), 1),
      10_000,
    );
    const started = Date.now();
    const parts = await this.pricing.partsMedians(true);
    let afterId = Math.max(Math.trunc(job.data.afterId ?? 0), 0);
    const total = { updated: 0, scanned: 0, passes: 1, lastId: afterId };
    for (;;) {
      const r = await this.listings.recomputeBatch(afterId, batchSize, parts);
      if (r.scanned === 0) {
        // End of the table: another pass only when rows behind us went stale meanwhile.
        if (total.passes >= MAX_PASSES || (await this.listings.countStale()) === 0) break;
        total.passes++;
        afterId = 0;
        await job.updateData({ ...job.data, afterId });
        continue;
      }
      afterId = r.lastId;
      total.updated += r.updated;
      total.scanned += r.scanned;
      total.lastId = afterId;
      await job.updateData({ ...job.data, afterId });
      await job.updateProgress({ afterId, scanned: total.scanned, updated: total.updated });
    }
    this.log.info(
      { jobId: job.id, reason: job.data.reason, ms: Date.now() - started, ...total },
      'valuations recomputed',
    );
    return total;
  }
}
