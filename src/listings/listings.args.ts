import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ListingStatusGql } from './listing.model';

export enum ListingOrderGql {
  FIRST_SEEN = 'FIRST_SEEN',
  LAST_SEEN = 'LAST_SEEN',
  PRICE = 'PRICE',
  PRICE_DESC = 'PRICE_DESC',
  EFFECTIVE_PRICE = 'EFFECTIVE_PRICE',
  CPU_SCORE_PER_DOLLAR = 'CPU_SCORE_PER_DOLLAR',
  DOLLARS_PER_CORE = 'DOLLARS_PER_CORE',
  DOLLARS_PER_THREAD = 'DOLLARS_PER_THREAD',
  DOLLARS_PER_GB_RAM = 'DOLLARS_PER_GB_RAM',
  DOLLARS_PER_TB = 'DOLLARS_PER_TB',
  TFLOPS_PER_DOLLAR = 'TFLOPS_PER_DOLLAR',
  DOLLARS_PER_GB_VRAM = 'DOLLARS_PER_GB_VRAM',
  TCO = 'TCO',
  BREAK_EVEN_MONTHS = 'BREAK_EVEN_MONTHS',
  DISCOUNT_TO_MARKET = 'DISCOUNT_TO_MARKET',
}
registerEnumType(ListingOrderGql, {
  name: 'ListingOrder',
  description:
    'Metric orders put the best first (highest per-dollar figures and discounts, lowest costs); ' +
    'listings without the metric come last.',
});

@InputType('ListingFilter')
export class ListingFilterInput {
  @Field(() => [ID], { nullable: true })
  sourceIds?: string[];

  @Field(() => [ListingStatusGql], { nullable: true, description: 'Default: active only.' })
  statuses?: ListingStatusGql[];

  @Field({ nullable: true, description: 'Case-insensitive substring of the title.' })
  search?: string;

  @Field(() => Float, { nullable: true })
  priceMin?: number;

  @Field(() => Float, { nullable: true })
  priceMax?: number;

  @Field({ nullable: true })
  currency?: string;

  @Field({ nullable: true })
  seenSince?: Date;

  @Field({ nullable: true, description: 'server, gpu, cpu, ram, drive, psu, part, other.' })
  kind?: string;

  @Field({ nullable: true, description: 'Chassis model, e.g. "R740xd" (case-insensitive).' })
  chassis?: string;

  @Field({ nullable: true })
  vendor?: string;

  @Field({ nullable: true, description: 'e.g. "Gold 6148", "E5-2680 v4".' })
  cpuModel?: string;

  @Field({ nullable: true, description: 'e.g. "Xeon Scalable", "EPYC".' })
  cpuFamily?: string;

  @Field(() => Int, { nullable: true })
  minCores?: number;

  @Field(() => Int, { nullable: true })
  minThreads?: number;

  @Field(() => Int, { nullable: true })
  minRamGb?: number;

  @Field(() => Float, { nullable: true })
  minStorageGb?: number;

  @Field({ nullable: true })
  gpuModel?: string;

  @Field(() => Int, { nullable: true })
  minGpuCount?: number;

  @Field(() => Int, { nullable: true })
  minGpuMemoryGb?: number;

  @Field({ nullable: true, description: '"1U", "2U", "tower"...' })
  formFactor?: string;

  @Field({ nullable: true, description: "Case-insensitive substring of the seller's location." })
  sellerLocation?: string;
}

@ArgsType()
export class ListingsArgs {
  @Field(() => Int, { defaultValue: 20 })
  first!: number;

  @Field(() => String, { nullable: true })
  after?: string | null;

  @Field(() => ListingFilterInput, { nullable: true })
  filter?: ListingFilterInput | null;

  @Field(() => ListingOrderGql, { defaultValue: ListingOrderGql.FIRST_SEEN })
  orderBy!: ListingOrderGql;
}

@ArgsType()
export class ListingArgs {
  @Field(() => ID)
  id!: string;
}
