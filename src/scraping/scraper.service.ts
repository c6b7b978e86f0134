import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { crawl, type CrawlFailure } from '../../scrapers/fetch/crawl';
import { getScraper, isScrapableKind } from '../../scrapers/registry';
import type { ScraperSource } from '../../scrapers/types';
import { badInput } from '../common/errors';
import { rootLogger } from '../common/logger';
import { AppConfig } from '../config/app-config';
import { ListingsService } from '../listings/listings.service';
import { QueueName, type ScrapeSourcePayload } from '../queue/queues';
import { queriesOf } from '../sources/source-input';
import type { SourceEntity } from '../sources/source.entity';
import { SourcesService } from '../sources/sources.service';
import { ScrapeFetchers } from './scrape-fetchers';
import type { ScrapeRunError, ScrapeRunStatus } from './scrape-run.entity';
import { ScrapeRunsRepository } from './scrape-runs.repository';

export interface RunSummary {
  runId: number;
  sourceId: number;
  query: string;
  status: ScrapeRunStatus;
  complete: boolean;
  pages: number;
  listingsSeen: number;
  listingsNew: number;
  listingsChanged: number;
  listingsEnded: number;
  duplicates: number;
  errors: ScrapeRunError[];
  durationMs: number;
}

export interface RunOptions {
  query?: string;
  jobId?: string | null;
  signal?: AbortSignal;
}

/**
 * Runs a source: one scrape_run per query. Each parsed page is ingested at once (idempotent
 * upsert) and its membership recorded; only a complete, successful run ends missing listings.
 */
@Injectable()
export class ScraperService {
  private readonly log = rootLogger().child({ module: 'scraper' });

  constructor(
    private readonly config: AppConfig,
    private readonly sources: SourcesService,
    private readonly listings: ListingsService,
    private readonly runs: ScrapeRunsRepository,
    private readonly fetchers: ScrapeFetchers,
    @InjectQueue(QueueName.Scrape) private readonly queue: Queue<ScrapeSourcePayload>,
  ) {}

  /**
   * Closes runs a dead worker left 'running' (see ScrapeRunsRepository.failStale): older than
   * navigation timeout x page attempts and their job no longer active, or any earlier run of
   * `jobId` when that job starts again. Never throws: a sweep failure is logged.
   */
  async failStaleRuns(jobId?: string): Promise<number[]> {
    const env = this.config.env;
    const maxPageMs = env.SCRAPE_NAV_TIMEOUT_MS * env.SCRAPE_PAGE_ATTEMPTS;
    try {
      const active = await this.queue.getJobs(['active']);
      const ids = await this.runs.failStale({
        olderThan: new Date(Date.now() - maxPageMs),
        activeJobIds: active.flatMap((j) => (j?.id ? [j.id] : [])),
        // A CLI run has no job to ask about: allow it a full crawl of a large source.
        cliGraceMs: maxPageMs * 100,
        jobId,
      });
      if (ids.length) this.log.warn({ runs: ids, jobId }, 'stale scrape runs marked failed');
      return ids;
    } catch (error) {
      this.log.error({ err: String(error) }, 'could not sweep stale scrape runs');
      return [];
    }
  }

  async runSource(sourceId: number, opts: RunOptions = {}): Promise<RunSummary[]> {
    const source = await this.sources.byId(sourceId);
    if (!isScrapableKind(source.kind)) {
      throw badInput(`source ${sourceId} is of kind ${source.kind}, which is not scraped`);
    }
    const all = queriesOf(source);
    const queries = opts.query !== undefined ? [opts.query.trim()] : all;
    if (queries.length === 0) throw badInput(`source ${sourceId} has no queries`);
    const summaries: RunSummary[] = [];
    for (const query of queries) summaries.push(await this.runQuery(source, query, opts));
    return summaries;
  }

  private async runQuery(
    source: SourceEntity,
    query: string,
    opts: RunOptions,
  ): Promise<RunSummary> {
    const scraper = getScraper(source.kind);
    const run = await this.runs.start(source.id, query, opts.jobId ?? null);
    const started = Date.now();
    const seenIds = new Set<string>();
    const progress = { pages: 0, listingsSeen: 0, listingsNew: 0, listingsChanged: 0 };
    let duplicates = 0;
    const errors: ScrapeRunError[] = [];
    const scraperSource: ScraperSource = {
      id: source.id,
      name: source.name,
      kind: source.kind,
      baseUrl: source.baseUrl,
      pageLimit: source.pageLimit,
      config: source.config,
    };
    const session = await this.fetchers.openSession(scraper.transport);
    let outcome;
    try {
      outcome = await crawl({
        scraper,
        source: scraperSource,
        query,
        session,
        limiter: this.fetchers.limiter,
        limits: { perMinute: source.rateLimitPerMinute, maxConcurrency: source.maxConcurrency },
        robots: this.fetchers.robots,
        attempts: this.config.env.SCRAPE_PAGE_ATTEMPTS,
        backoffMs: this.config.env.SCRAPE_BACKOFF_MS,
        signal: opts.signal,
        onPage: async ({ parsed }) => {
          // The same card on two pages (results shifting while we page) counts once.
          const fresh = parsed.listings.filter((l) => {
            if (seenIds.has(l.externalId)) return false;
            seenIds.add(l.externalId);
            return true;
          });
          duplicates += parsed.listings.length - fresh.length;
          if (fresh.length) {
            const r = await this.listings.ingest({
              sourceId: source.id,
              runId: run.id,
              observedAt: new Date().toISOString(),
              listings: fresh,
            });
            progress.listingsNew += r.inserted;
            progress.listingsChanged += r.changed;
            await this.runs.markSeen(
              source.id,
              query,
              run.id,
              fresh.map((l) => l.externalId),
            );
          }
          progress.pages++;
          progress.listingsSeen += fresh.length;
          await this.runs.progress(run.id, progress);
        },
      });
    } catch (error) {
      // Aborted (worker shutting down) or a database failure: the run is failed, nothing ends.
      errors.push({
        at: new Date().toISOString(),
        kind: opts.signal?.aborted ? 'aborted' : 'internal',
        message: error instanceof Error ? error.message : String(error),
      });
      await this.runs.finish(run.id, {
        status: 'failed',
        complete: false,
        listingsEnded: 0,
        errors,
        ...progress,
      });
      throw error;
    } finally {
      await session.close();
    }
    for (const f of outcome.failures) errors.push(await this.recordFailure(run.id, f));
    let listingsEnded = 0;
    if (outcome.status === 'succeeded' && outcome.complete) {
      listingsEnded = await this.runs.endMissing(
        source.id,
        query,
        run.id,
        run.startedAt,
        new Date(),
      );
    }
    const finished = await this.runs.finish(run.id, {
      status: outcome.status,
      complete: outcome.complete,
      listingsEnded,
      errors,
      ...progress,
    });
    const summary: RunSummary = {
      runId: run.id,
      sourceId: source.id,
      query,
      status: outcome.status,
      complete: outcome.complete,
      ...progress,
      listingsEnded,
      duplicates,
      errors,
      durationMs: finished.durationMs ?? Date.now() - started,
    };
    this.log.info(
      {
        runId: run.id,
        sourceId: source.id,
        query,
        status: summary.status,
        pages: summary.pages,
        seen: summary.listingsSeen,
        new: summary.listingsNew,
        ended: listingsEnded,
        errors: errors.length,
      },
      'scrape run finished',
    );
    return summary;
  }

  /** The run's error entry; the failed page's HTML is saved beside it when there was one. */
  private async recordFailure(runId: number, f: CrawlFailure): Promise<ScrapeRunError> {
    const entry: ScrapeRunError = {
      at: new Date().toISOString(),
      url: f.url,
      kind: f.kind,
      message: `${f.message} (page ${f.pageNo}, ${f.attempts} attempt${f.attempts === 1 ? '' : 's'})`,
    };
    if (f.body !== null && f.body !== '') {
      const dir = path.resolve(this.config.env.SCRAPE_FAILED_PAGES_DIR);
      const file = path.join(dir, `${runId}-${f.pageNo}.html`);
      try {
        await mkdir(dir, { recursive: true });
        await writeFile(file, f.body);
        entry.savedPage = file;
      } catch (error) {
        this.log.warn({ runId, file, err: String(error) }, 'could not save failed page');
      }
    }
    return entry;
  }
}
