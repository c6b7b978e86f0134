import { Column, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';

export type ListingStatus = 'active' | 'ended' | 'sold';

/** Current state of one listing. History lives in price_observation. */
@Entity('listing')
@Unique('listing_source_external_uq', ['sourceId', 'externalId'])
export class ListingEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS', type: 'bigint' })
  id!: number;

  @Column('integer', { name: 'source_id' })
  sourceId!: number;

  @Column('text', { name: 'external_id' })
  externalId!: string;

  @Column('text', { nullable: true })
  url!: string | null;

  @Column('text')
  title!: string;

  @Column('text', { nullable: true })
  condition!: string | null;

  @Column('text', { name: 'buying_format', nullable: true })
  buyingFormat!: string | null;

  @Column('boolean', { name: 'best_offer', default: false })
  bestOffer!: boolean;

  @Column('integer', { nullable: true })
  bids!: number | null;

  @Column('timestamptz', { name: 'ends_at', nullable: true })
  endsAt!: Date | null;

  @Column('text', { nullable: true })
  seller!: string | null;

  @Column('text', { nullable: true })
  location!: string | null;

  @Column('char', { length: 3, nullable: true })
  currency!: string | null;

  @Column('numeric', { precision: 14, scale: 2, nullable: true })
  price!: number | null;

  @Column('numeric', { name: 'price_max', precision: 14, scale: 2, nullable: true })
  priceMax!: number | null;

  @Column('numeric', { precision: 14, scale: 2, nullable: true })
  shipping!: number | null;

  @Column('integer', { name: 'quantity_available', nullable: true })
  quantityAvailable!: number | null;

  @Column('text', { default: 'active' })
  status!: ListingStatus;

  @Column('jsonb', { default: () => `'{}'::jsonb` })
  attributes!: Record<string, string>;

  @Column('text', { nullable: true })
  description!: string | null;

  @Column('text', { name: 'image_url', nullable: true })
  imageUrl!: string | null;

  @Column('timestamptz', { name: 'first_seen_at' })
  firstSeenAt!: Date;

  @Column('timestamptz', { name: 'last_seen_at' })
  lastSeenAt!: Date;

  @Column('timestamptz', { name: 'last_changed_at' })
  lastChangedAt!: Date;

  @Column('timestamptz', { name: 'ended_at', nullable: true })
  endedAt!: Date | null;

  @Column('bigint', { name: 'last_run_id', nullable: true })
  lastRunId!: number | null;
}
