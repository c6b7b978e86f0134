import { Field, Float, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum ListingStatusGql {
  ACTIVE = 'active',
  ENDED = 'ended',
  SOLD = 'sold',
}
registerEnumType(ListingStatusGql, { name: 'ListingStatus' });

@ObjectType('Attribute', {
  description: 'A structured fact from the source (item specifics, tags).',
})
export class AttributeModel {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@ObjectType('PriceObservation', { description: 'One observed price/availability state.' })
export class PriceObservationModel {
  @Field(() => ID)
  id!: string;

  @Field()
  observedAt!: Date;

  @Field(() => String, { nullable: true })
  currency!: string | null;

  @Field(() => Float, { nullable: true })
  price!: number | null;

  @Field(() => Float, { nullable: true })
  priceMax!: number | null;

  @Field(() => Float, { nullable: true })
  shipping!: number | null;

  @Field(() => ListingStatusGql)
  status!: ListingStatusGql;

  @Field(() => Int, { nullable: true })
  quantityAvailable!: number | null;
}

@ObjectType('Listing')
export class ListingModel {
  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  sourceId!: number;

  @Field()
  externalId!: string;

  @Field()
  title!: string;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field(() => String, { nullable: true })
  condition!: string | null;

  @Field(() => String, { nullable: true })
  buyingFormat!: string | null;

  @Field()
  bestOffer!: boolean;

  @Field(() => Int, { nullable: true })
  bids!: number | null;

  @Field(() => Date, { nullable: true })
  endsAt!: Date | null;

  @Field(() => String, { nullable: true })
  seller!: string | null;

  @Field(() => String, { nullable: true })
  location!: string | null;

  @Field(() => String, { nullable: true })
  currency!: string | null;

  @Field(() => Float, { nullable: true, description: 'Lowest price shown (low end of a range).' })
  price!: number | null;

  @Field(() => Float, { nullable: true, description: 'High end of a price range.' })
  priceMax!: number | null;

  @Field(() => Float, { nullable: true, description: '0 for free shipping, null when unknown.' })
  shipping!: number | null;

  @Field(() => Int, { nullable: true })
  quantityAvailable!: number | null;

  @Field(() => ListingStatusGql)
  status!: ListingStatusGql;

  @Field(() => [AttributeModel])
  attributes!: AttributeModel[];

  @Field(() => String, { nullable: true })
  imageUrl!: string | null;

  @Field()
  firstSeenAt!: Date;

  @Field()
  lastSeenAt!: Date;

  @Field(() => Date, { nullable: true })
  endedAt!: Date | null;
}

@ObjectType('PageInfo')
export class PageInfoModel {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

@ObjectType('ListingEdge')
export class ListingEdgeModel {
  @Field()
  cursor!: string;

  @Field(() => ListingModel)
  node!: ListingModel;
}

@ObjectType('ListingConnection')
export class ListingConnectionModel {
  @Field(() => [ListingEdgeModel])
  edges!: ListingEdgeModel[];

  @Field(() => PageInfoModel)
  pageInfo!: PageInfoModel;
}
