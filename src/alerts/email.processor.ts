import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { rootLogger } from '../common/logger';
import { JobName, JobPayloads, QueueName } from '../queue/queues';
import { AlertsService } from './alerts.service';

/** Sends one outbox email per job; SMTP failures throw so BullMQ retries with backoff. */
@Processor(QueueName.Email, { concurrency: 8 })
export class EmailProcessor extends WorkerHost {
  private readonly log = rootLogger().child({ queue: QueueName.Email });

  constructor(private readonly alerts: AlertsService) {
    super();
  }

  async process(job: Job<JobPayloads[typeof JobName.SendEmail]>): Promise<string> {
    const attempts = job.opts.attempts ?? 1;
    const result = await this.alerts.deliver(job.data.emailId, job.attemptsMade + 1 >= attempts);
    this.log.info({ jobId: job.id, emailId: job.data.emailId, result }, 'email job done');
    return result;
  }
}
