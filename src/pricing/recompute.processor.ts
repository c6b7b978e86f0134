import { Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { rootLogger } from '../common/logger';
import { ListingsService, RecomputeResult } from '../listings/listings.service';
import {
  JobName,
  QueueName,
  RecomputeValuationsPayload,
  RefreshMarketPayload,
} from '../queue/queues';
import { PricingService } from './pricing.service';
import { RECOMPUTE_BATCH } from './version';

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
    const started = Date.now();
    const total = await this.listings.recomputeStale({
      afterId: job.data.afterId ?? 0,
      batchSize: job.data.batchSize ?? RECOMPUTE_BATCH,
      checkpoint: async (afterId, progress) => {
        await job.updateData({ ...job.data, afterId });
        if (progress) await job.updateProgress({ afterId, ...progress });
      },
    });
    this.log.info(
      { jobId: job.id, reason: job.data.reason, ms: Date.now() - started, ...total },
      'valuations recomputed',
    );
    return total;
  }
}
