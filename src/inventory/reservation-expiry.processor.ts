import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { rootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { JobName, QueueName } from '../queue/queues';
import { InventoryService } from './inventory.service';

export const EXPIRE_RESERVATIONS_SCHEDULER = 'expire-reservations';

/**
 * The reservation sweeper on the maintenance queue: a job scheduler (one per deployment,
 * upserted at worker start) runs expire-reservations every RESERVATION_SWEEP_SECONDS; each run
 * releases held reservations past their expiry and re-evaluates low-stock alerts. Safe to run
 * concurrently or twice: every reservation ends at most once (guarded on status).
 */
@Processor(QueueName.Maintenance, { concurrency: 1 })
export class ReservationExpiryProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly log = rootLogger().child({ queue: QueueName.Maintenance });

  constructor(
    private readonly inventory: InventoryService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.queue.upsertJobScheduler(
      EXPIRE_RESERVATIONS_SCHEDULER,
      { every: this.config.env.RESERVATION_SWEEP_SECONDS * 1000 },
      {
        name: JobName.ExpireReservations,
        data: {},
        opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 100 } },
      },
    );
  }

  async process(job: Job): Promise<unknown> {
    if (job.name !== JobName.ExpireReservations) {
      this.log.warn({ jobId: job.id, name: job.name }, 'unknown maintenance job ignored');
      return null;
    }
    const started = Date.now();
    const r = await this.inventory.expireDue();
    this.log.info({ jobId: job.id, ...r, ms: Date.now() - started }, 'reservation sweep done');
    return r;
  }
}
