import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export const SOURCE_KINDS = ['ebay-search', 'ebay-item', 'shopify', 'css', 'manual'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

@Entity('source')
export class SourceEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS' })
  id!: number;

  @Column('text', { unique: true })
  name!: string;

  @Column('text')
  kind!: SourceKind;

  @Column('text', { name: 'base_url', nullable: true })
  baseUrl!: string | null;

  @Column('jsonb', { default: () => `'[]'::jsonb` })
  queries!: string[];

  @Column('text', { name: 'schedule_cron', nullable: true })
  scheduleCron!: string | null;

  @Column('integer', { name: 'schedule_every_ms', nullable: true })
  scheduleEveryMs!: number | null;

  @Column('integer', { name: 'rate_limit_per_minute', default: 30 })
  rateLimitPerMinute!: number;

  @Column('integer', { name: 'max_concurrency', default: 1 })
  maxConcurrency!: number;

  @Column('integer', { name: 'page_limit', default: 5 })
  pageLimit!: number;

  @Column('jsonb', { default: () => `'{}'::jsonb` })
  config!: Record<string, unknown>;

  @Column('boolean', { default: true })
  enabled!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
