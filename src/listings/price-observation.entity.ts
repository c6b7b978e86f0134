import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One observed price/availability state of a listing. Append-only (a trigger refuses UPDATE). */
@Entity('price_observation')
export class PriceObservationEntity {
  @PrimaryGeneratedColumn('identity', { generatedIdentity: 'ALWAYS', type: 'bigint' })
  id!: number;

  @Column('bigint', { name: 'listing_id' })
  listingId!: number;

  @Column('timestamptz', { name: 'observed_at' })
  observedAt!: Date;

  @Column('char', { length: 3, nullable: true })
  currency!: string | null;

  @Column('numeric', { precision: 14, scale: 2, nullable: true })
  price!: number | null;

  @Column('numeric', { name: 'price_max', precision: 14, scale: 2, nullable: true })
  priceMax!: number | null;

  @Column('numeric', { precision: 14, scale: 2, nullable: true })
  shipping!: number | null;

  @Column('text')
  status!: string;

  @Column('integer', { name: 'quantity_available', nullable: true })
  quantityAvailable!: number | null;

  @Column('bigint', { name: 'run_id', nullable: true })
  runId!: number | null;
}
