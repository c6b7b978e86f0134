import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type ScrapeRunStatus = 'running' | 'succeeded' | 'partial' | 'failed' | 'blocked';

export interface ScrapeRunError {
  at: string;
  url?: string;
  kind: string;
  message: string;
  /** Path of the saved page HTML kept for debugging, when there was a page. */
  savedPage?: string;
}

@Entity('scrape_run')
export class ScrapeRunEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS', type: 'bigint' })
  id!: number;

  @Column('integer', { name: 'source_id' })
  sourceId!: number;

  @Column('text', { nullable: true })
  query!: string | null;

  @Column('text', { name: 'job_id', nullable: true })
  jobId!: string | null;

  @Column('text', { default: 'running' })
  status!: ScrapeRunStatus;

  @Column('boolean', { default: false })
  complete!: boolean;

  @Column('integer', { default: 0 })
  pages!: number;

  @Column('integer', { name: 'listings_seen', default: 0 })
  listingsSeen!: number;

  @Column('integer', { name: 'listings_new', default: 0 })
  listingsNew!: number;

  @Column('integer', { name: 'listings_changed', default: 0 })
  listingsChanged!: number;

  @Column('integer', { name: 'listings_ended', default: 0 })
  listingsEnded!: number;

  @Column('integer', { name: 'error_count', default: 0 })
  errorCount!: number;

  @Column('jsonb', { default: () => `'[]'::jsonb` })
  errors!: ScrapeRunError[];

  @Column('timestamptz', { name: 'started_at', default: () => 'now()' })
  startedAt!: Date;

  @Column('timestamptz', { name: 'finished_at', nullable: true })
  finishedAt!: Date | null;

  @Column('integer', { name: 'duration_ms', nullable: true })
  durationMs!: number | null;
}
