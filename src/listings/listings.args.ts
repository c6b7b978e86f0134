import { ArgsType, Field, Float, ID, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { ListingStatusGql } from './listing.model';

export enum ListingOrderGql {
  FIRST_SEEN = 'FIRST_SEEN',
  LAST_SEEN = 'LAST_SEEN',
  PRICE = 'PRICE',
  PRICE_DESC = 'PRICE_DESC',
}
registerEnumType(ListingOrderGql, { name: 'ListingOrder' });

@InputType('ListingFilter')
export class ListingFilterInput {
  @Field(() => [Int], { nullable: true })
  sourceIds?: number[];

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
