import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { rowsOf } from '../common/sql';
import { ScrapeRunEntity, ScrapeRunError, ScrapeRunStatus } from './scrape-run.entity';

export interface RunProgress {
  pages: number;
  listingsSeen: number;
  listingsNew: number;
  listingsChanged: number;
}

/*
 * A complete, successful run of a query ends the active listings of that query that it did not
 * see: their membership row points at an older run, and no run of the source has seen them since
 * this one started (another query may have). One statement; each ending appends an observation.
 */
const END_MISSING_SQL = `
WITH ended AS (
  UPDATE listing l
  SET status = 'ended', ended_at = $4, last_changed_at = now()
  FROM listing_seen s
  WHERE s.source_id = $1 AND s.query = $2 AND s.last_run_id < $3
    AND l.id = s.listing_id AND l.status = 'active' AND l.last_seen_at < $5
  RETURNING l.id, l.currency, l.price, l.price_max, l.shipping, l.quantity_available
),
observed AS (
  INSERT INTO price_observation (listing_id, observed_at, currency, price, price_max, shipping,
    status, quantity_available, run_id)
  SELECT e.id, $4, e.currency, e.price, e.price_max, e.shipping, 'ended', e.quantity_available, $3
  FROM ended e
  RETURNING listing_id
)
SELECT (SELECT count(*) FROM ended)::int AS ended, (SELECT count(*) FROM observed)::int AS obs`;

@Injectable()
export class ScrapeRunsRepository {
  constructor(
    @InjectRepository(ScrapeRunEntity) private readonly repo: Repository<ScrapeRunEntity>,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async start(sourceId: number, query: string, jobId: string | null): Promise<ScrapeRunEntity> {
    const [row]: Array<{ id: number }> = await this.db.query(
      `INSERT INTO scrape_run (source_id, query, job_id) VALUES ($1, $2, $3) RETURNING id`,
      [sourceId, query, jobId],
    );
    return this.repo.findOneByOrFail({ id: row!.id });
  }

  async progress(runId: number, p: RunProgress): Promise<void> {
    await this.db.query(
      `UPDATE scrape_run SET pages = $2, listings_seen = $3, listings_new = $4,
         listings_changed = $5 WHERE id = $1`,
      [runId, p.pages, p.listingsSeen, p.listingsNew, p.listingsChanged],
    );
  }

  async finish(
    runId: number,
    fields: {
      status: ScrapeRunStatus;
      complete: boolean;
      listingsEnded: number;
      errors: ScrapeRunError[];
    } & RunProgress,
  ): Promise<ScrapeRunEntity> {
    await this.db.query(
      `UPDATE scrape_run SET status = $2, complete = $3, pages = $4, listings_seen = $5,
         listings_new = $6, listings_changed = $7, listings_ended = $8, error_count = $9,
         errors = $10::jsonb, finished_at = now(),
         duration_ms = LEAST(2147483647, (extract(epoch FROM now() - started_at) * 1000)::bigint)
       WHERE id = $1`,
      [
        runId,
        fields.status,
        fields.complete,
        fields.pages,
        fields.listingsSeen,
        fields.listingsNew,
        fields.listingsChanged,
        fields.listingsEnded,
        fields.errors.length,
        JSON.stringify(fields.errors),
      ],
    );
    return this.repo.findOneByOrFail({ id: runId });
  }

  /** Records that a query's run saw these listings (by external id), set-based. */
  async markSeen(
    sourceId: number,
    query: string,
    runId: number,
    externalIds: readonly string[],
  ): Promise<number> {
    if (externalIds.length === 0) return 0;
    const rows = rowsOf<{ listing_id: number }>(
      await this.db.query(
        `INSERT INTO listing_seen (source_id, query, listing_id, last_run_id, last_seen_at)
         SELECT l.source_id, $2, l.id, $3, now()
         FROM listing l WHERE l.source_id = $1 AND l.external_id = ANY($4::text[])
         ON CONFLICT (source_id, query, listing_id) DO UPDATE
           SET last_run_id = GREATEST(listing_seen.last_run_id, EXCLUDED.last_run_id),
               last_seen_at = EXCLUDED.last_seen_at
         RETURNING listing_id`,
        [sourceId, query, runId, externalIds],
      ),
    );
    return rows.length;
  }

  async endMissing(
    sourceId: number,
    query: string,
    runId: number,
    runStartedAt: Date,
    endedAt: Date,
  ): Promise<number> {
    const [row] = rowsOf<{ ended: number }>(
      await this.db.query(END_MISSING_SQL, [
        sourceId,
        query,
        runId,
        endedAt.toISOString(),
        runStartedAt.toISOString(),
      ]),
    );
    return row?.ended ?? 0;
  }

  /**
   * Runs left 'running' by a killed worker are closed as failed ('worker stopped') so they never
   * look alive: those started before `olderThan` whose job is not in `activeJobIds` (a run with
   * no job, from the CLI, gets `cliGraceMs` more), or every running run of `jobId` (BullMQ runs a
   * job once at a time, so an earlier attempt's run is dead). Ends nothing. Returns the run ids.
   */
  async failStale(opts: {
    olderThan: Date;
    activeJobIds: readonly string[];
    cliGraceMs: number;
    jobId?: string;
  }): Promise<number[]> {
    const rows = rowsOf<{ id: number }>(
      await this.db.query(
        `UPDATE scrape_run SET status = 'failed', complete = false, finished_at = now(),
           errors = errors || jsonb_build_array(jsonb_build_object('at', now(),
             'kind', 'interrupted', 'message', 'worker stopped')),
           error_count = error_count + 1,
           duration_ms = LEAST(2147483647, (extract(epoch FROM now() - started_at) * 1000)::bigint)
         WHERE status = 'running' AND (
           job_id = $4
           OR (job_id IS NOT NULL AND started_at < $1 AND NOT job_id = ANY($2::text[]))
           OR (job_id IS NULL AND started_at < $1::timestamptz - make_interval(secs => $3 / 1000.0))
         )
         RETURNING id`,
        [opts.olderThan.toISOString(), opts.activeJobIds, opts.cliGraceMs, opts.jobId ?? null],
      ),
    );
    return rows.map((r) => r.id).sort((x, y) => x - y);
  }

  list(sourceId: number | null, first: number): Promise<ScrapeRunEntity[]> {
    const qb = this.repo.createQueryBuilder('r').orderBy('r.id', 'DESC').take(first);
    if (sourceId !== null) qb.where('r.source_id = :sourceId', { sourceId });
    return qb.getMany();
  }

  lastSuccess(sourceIds: readonly number[]): Promise<ScrapeRunEntity[]> {
    return this.repo
      .createQueryBuilder('r')
      .distinctOn(['r.source_id'])
      .where('r.source_id = ANY(:ids)', { ids: sourceIds })
      .andWhere(`r.status = 'succeeded'`)
      .orderBy('r.source_id')
      .addOrderBy('r.id', 'DESC')
      .getMany();
  }
}
