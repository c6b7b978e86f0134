import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { OnApplicationBootstrap } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { rootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { EvaluateAlertsPayload, JobName, JobPayloads, QueueName } from '../queue/queues';
import { AlertsService } from './alerts.service';

type AlertsJob =
  | Job<EvaluateAlertsPayload, unknown, typeof JobName.EvaluateAlerts>
  | Job<JobPayloads[typeof JobName.SendDigest], unknown, typeof JobName.SendDigest>
  | Job<JobPayloads[typeof JobName.SendStockAlerts], unknown, typeof JobName.SendStockAlerts>;

/** How often open low-stock alerts are turned into emails. */
const STOCK_ALERTS_EVERY_MS = 5 * 60_000;

/** evaluate-alerts after each ingest; hourly/daily digest and low-stock email schedulers. */
@Processor(QueueName.Alerts, { concurrency: 2 })
export class AlertsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly log = rootLogger().child({ queue: QueueName.Alerts });

  constructor(
    private readonly alerts: AlertsService,
    private readonly config: AppConfig,
    @InjectQueue(QueueName.Alerts) private readonly queue: Queue,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const mode of ['hourly', 'daily'] as const) {
      await this.queue.upsertJobScheduler(
        `alerts-digest-${mode}`,
        {
          pattern:
            mode === 'hourly'
              ? this.config.env.ALERTS_HOURLY_CRON
              : this.config.env.ALERTS_DAILY_CRON,
          tz: 'UTC',
        },
        { name: JobName.SendDigest, data: { mode } },
      );
    }
    await this.queue.upsertJobScheduler(
      'alerts-low-stock',
      { every: STOCK_ALERTS_EVERY_MS },
      { name: JobName.SendStockAlerts, data: {} },
    );
  }

  async process(job: AlertsJob): Promise<unknown> {
    const started = Date.now();
    if (job.name === JobName.EvaluateAlerts) {
      const data = job.data;
      const r = await this.alerts.evaluate(data.listingIds ?? []);
      this.log.info(
        {
          jobId: job.id,
          listings: data.listingIds?.length ?? 0,
          events: r.events,
          emails: r.outboxIds.length,
          ms: Date.now() - started,
        },
        'alerts evaluated',
      );
      return { events: r.events, digestEvents: r.digestEvents, emails: r.outboxIds.length };
    }
    if (job.name === JobName.SendDigest) {
      const data = job.data;
      const ids = await this.alerts.runDigest(data.mode === 'daily' ? 'daily' : 'hourly');
      this.log.info({ jobId: job.id, mode: data.mode, emails: ids.length }, 'digest built');
      return { emails: ids.length };
    }
    if (job.name === JobName.SendStockAlerts) {
      const ids = await this.alerts.sendStockAlerts();
      this.log.info({ jobId: job.id, emails: ids.length }, 'low-stock emails queued');
      return { emails: ids.length };
    }
    this.log.warn({ name: (job as Job).name }, 'unknown alerts job ignored');
    return null;
  }
}
