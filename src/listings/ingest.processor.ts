import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { rootLogger } from '../common/logger';
import { IngestBatchPayload, IngestResult, QueueName } from '../queue/queues';
import { ListingsService } from './listings.service';

/** Upserts a batch of raw listings. Idempotent: a redelivered job changes nothing. */
@Processor(QueueName.Ingest, { concurrency: 2 })
export class IngestProcessor extends WorkerHost {
  private readonly log = rootLogger().child({ queue: QueueName.Ingest });

  constructor(private readonly listings: ListingsService) {
    super();
  }

  async process(job: Job<IngestBatchPayload>): Promise<IngestResult & { rejected: number }> {
    const started = Date.now();
    const result = await this.listings.ingest(job.data);
    const { changedListingIds, ...counts } = result;
    this.log.info(
      {
        jobId: job.id,
        sourceId: job.data.sourceId,
        runId: job.data.runId,
        ms: Date.now() - started,
        ...counts,
      },
      'ingest batch done',
    );
    return { ...result, changedListingIds: changedListingIds.slice(0, 10_000) };
  }
}
