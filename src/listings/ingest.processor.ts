import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, Queue } from 'bullmq';
import { rootLogger } from '../common/logger';
import { IngestBatchPayload, IngestResult, JobName, QueueName } from '../queue/queues';
import { ListingsService } from './listings.service';

/** Upserts a batch of raw listings. Idempotent: a redelivered job changes nothing. */
@Processor(QueueName.Ingest, { concurrency: 2 })
export class IngestProcessor extends WorkerHost {
  private readonly log = rootLogger().child({ queue: QueueName.Ingest });

  constructor(
    private readonly listings: ListingsService,
    @InjectQueue(QueueName.Alerts) private readonly alerts: Queue,
  ) {
    super();
  }

  async process(job: Job<IngestBatchPayload>): Promise<IngestResult & { rejected: number }> {
    const started = Date.now();
    const result = await this.listings.ingest(job.data);
    const { changedListingIds, ...counts } = result;
    // Alerts: evaluate the rules over what changed (idempotent; the job id dedups redelivery).
    for (let i = 0; i < changedListingIds.length; i += 10_000) {
      await this.alerts.add(
        JobName.EvaluateAlerts,
        { listingIds: changedListingIds.slice(i, i + 10_000), runId: job.data.runId ?? null },
        { jobId: `alerts-${job.id}-${i}` },
      );
    }
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
