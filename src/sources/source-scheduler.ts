import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { rootLogger } from '../common/logger';
import { JobName, QueueName, type ScrapeSourcePayload } from '../queue/queues';
import type { SourceEntity } from './source.entity';

const PREFIX = 'source:';

export const schedulerIdOf = (sourceId: number): string => `${PREFIX}${sourceId}`;

/** Job options of every scrape job: retried with backoff; a retry is a new, idempotent run. */
export const scrapeJobOptions = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 30_000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600 },
} as const;

/** One BullMQ job scheduler per enabled, scheduled source; nothing for the others. */
@Injectable()
export class SourceScheduler {
  private readonly log = rootLogger().child({ module: 'source-scheduler' });

  constructor(@InjectQueue(QueueName.Scrape) private readonly queue: Queue) {}

  async sync(source: SourceEntity): Promise<'scheduled' | 'unscheduled'> {
    const id = schedulerIdOf(source.id);
    const repeat = source.scheduleCron
      ? { pattern: source.scheduleCron }
      : source.scheduleEveryMs
        ? { every: source.scheduleEveryMs }
        : null;
    if (!source.enabled || source.kind === 'manual' || repeat === null) {
      await this.queue.removeJobScheduler(id);
      return 'unscheduled';
    }
    const data: ScrapeSourcePayload = { sourceId: source.id, trigger: 'schedule' };
    await this.queue.upsertJobScheduler(id, repeat, {
      name: JobName.ScrapeSource,
      data,
      opts: scrapeJobOptions,
    });
    return 'scheduled';
  }

  async remove(sourceId: number): Promise<void> {
    await this.queue.removeJobScheduler(schedulerIdOf(sourceId));
  }

  /** Makes Redis match the table: schedulers for every enabled source, none for the rest. */
  async reconcile(sources: SourceEntity[]): Promise<{ scheduled: number; removed: number }> {
    const wanted = new Set<string>();
    let scheduled = 0;
    for (const s of sources) {
      if ((await this.sync(s)) === 'scheduled') {
        wanted.add(schedulerIdOf(s.id));
        scheduled++;
      }
    }
    let removed = 0;
    for (const existing of await this.queue.getJobSchedulers(0, -1)) {
      const key = existing.key;
      if (key.startsWith(PREFIX) && !wanted.has(key)) {
        await this.queue.removeJobScheduler(key);
        removed++;
      }
    }
    this.log.info({ scheduled, removed }, 'source schedules reconciled');
    return { scheduled, removed };
  }

  list(): Promise<Array<{ key: string; next?: number | null }>> {
    return this.queue.getJobSchedulers(0, -1);
  }

  async enqueueNow(sourceId: number, trigger: ScrapeSourcePayload['trigger'], query?: string) {
    const data: ScrapeSourcePayload = { sourceId, trigger, ...(query ? { query } : {}) };
    const job = await this.queue.add(JobName.ScrapeSource, data, scrapeJobOptions);
    return job.id ?? null;
  }
}
