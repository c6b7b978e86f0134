import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Job } from 'bullmq';
import { rootLogger } from '../common/logger';
import { QueueName, type ScrapeSourcePayload } from '../queue/queues';
import { SourcesService } from '../sources/sources.service';
import { ScraperService, type RunSummary } from './scraper.service';

const RETRYABLE_KINDS = new Set(['blocked', 'navigation-timeout', 'fetch']);

/** Runs scrape-source jobs. A blocked or failed-but-retryable run throws, so BullMQ backs off. */
@Processor(QueueName.Scrape, { concurrency: 2 })
export class ScrapeProcessor extends WorkerHost {
  private readonly log = rootLogger().child({ queue: QueueName.Scrape });

  constructor(private readonly scraper: ScraperService) {
    super();
  }

  async process(job: Job<ScrapeSourcePayload>): Promise<RunSummary[]> {
    // A run of an earlier attempt of this job is dead (a job runs once at a time): close it.
    if (job.id) await this.scraper.failStaleRuns(job.id);
    const summaries = await this.scraper.runSource(job.data.sourceId, {
      query: job.data.query,
      jobId: job.id ?? null,
    });
    const retry = summaries.filter(
      (s) =>
        s.status === 'blocked' ||
        (s.status === 'failed' && s.errors.some((e) => RETRYABLE_KINDS.has(e.kind))),
    );
    if (retry.length) {
      this.log.warn({ jobId: job.id, runs: retry.map((s) => s.runId) }, 'scrape will be retried');
      throw new Error(
        `scrape of source ${job.data.sourceId} ${retry.map((s) => `"${s.query}" ${s.status}`).join(', ')}`,
      );
    }
    return summaries.map((s) => ({ ...s, errors: s.errors.slice(0, 20) }));
  }

  /** A job whose worker stopped renewing its lock: the run it left 'running' is closed. */
  @OnWorkerEvent('stalled')
  async onStalled(jobId: string): Promise<void> {
    this.log.warn({ jobId }, 'scrape job stalled');
    await this.scraper.failStaleRuns(jobId);
  }
}

/** At worker start: stale runs are closed and job schedulers made to match the sources. */
@Injectable()
export class ScheduleReconciler implements OnApplicationBootstrap {
  private readonly log = rootLogger().child({ module: 'schedule-reconciler' });

  constructor(
    private readonly sources: SourcesService,
    private readonly scraper: ScraperService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Runs a killed worker left 'running' are closed first (never throws).
    await this.scraper.failStaleRuns();
    try {
      await this.sources.reconcileSchedules();
    } catch (error) {
      this.log.error({ err: String(error) }, 'could not reconcile source schedules');
    }
  }
}
