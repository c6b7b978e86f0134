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

@ObjectType('SpecSpan', { description: 'Where a spec came from: the matched text and offsets.' })
export class SpecSpanModel {
  @Field()
  field!: string;

  @Field()
  text!: string;

  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  end!: number;

  @Field({ description: "'title' or the attribute key the value came from." })
  from!: string;
}

@ObjectType('UnrecognizedToken')
export class UnrecognizedTokenModel {
  @Field()
  field!: string;

  @Field()
  token!: string;
}

@ObjectType('ListingSpecs', {
  description: 'Normalized from the title, attributes and description.',
})
export class ListingSpecsModel {
  @Field()
  kind!: string;

  @Field(() => String, { nullable: true })
  vendor!: string | null;

  @Field(() => String, { nullable: true })
  chassis!: string | null;

  @Field(() => String, { nullable: true })
  formFactor!: string | null;

  @Field(() => String, { nullable: true })
  cpuModel!: string | null;

  @Field(() => String, { nullable: true })
  cpuFamily!: string | null;

  @Field(() => Int, { nullable: true })
  cpuCount!: number | null;

  @Field(() => Int, { nullable: true, description: 'All sockets together (from the CPU catalog).' })
  cores!: number | null;

  @Field(() => Int, { nullable: true })
  threads!: number | null;

  @Field(() => Float, { nullable: true })
  ramGb!: number | null;

  @Field(() => String, { nullable: true })
  ramType!: string | null;

  @Field(() => Float, { nullable: true })
  storageGb!: number | null;

  @Field(() => Int, { nullable: true })
  driveCount!: number | null;

  @Field(() => Float, { nullable: true })
  driveCapacityGb!: number | null;

  @Field(() => String, { nullable: true })
  gpuModel!: string | null;

  @Field(() => Int, { nullable: true })
  gpuCount!: number | null;

  @Field(() => Float, { nullable: true })
  gpuMemoryGb!: number | null;

  @Field(() => Int)
  lotQuantity!: number;

  @Field(() => [String])
  partNumbers!: string[];

  @Field(() => String, { nullable: true })
  configKey!: string | null;

  @Field(() => [String])
  hints!: string[];

  @Field(() => Float)
  confidence!: number;

  @Field(() => [SpecSpanModel])
  spans!: SpecSpanModel[];

  @Field(() => [UnrecognizedTokenModel])
  unrecognized!: UnrecognizedTokenModel[];
}

@ObjectType('MetricReason', { description: 'Why a metric is null.' })
export class MetricReasonModel {
  @Field()
  metric!: string;

  @Field()
  reason!: string;
}

@ObjectType('ListingMetrics', {
  description: 'Valuation in the base currency, per item of a lot. Null metrics have a reason.',
})
export class ListingMetricsModel {
  @Field(() => Float, { nullable: true })
  effectivePrice!: number | null;

  @Field(() => Float, { nullable: true })
  cpuScore!: number | null;

  @Field(() => Float, { nullable: true })
  cpuScorePerDollar!: number | null;

  @Field(() => Float, { nullable: true })
  dollarsPerCore!: number | null;

  @Field(() => Float, { nullable: true })
  dollarsPerThread!: number | null;

  @Field(() => Float, { nullable: true })
  dollarsPerGbRam!: number | null;

  @Field(() => Float, { nullable: true })
  dollarsPerTb!: number | null;

  @Field(() => Float, { nullable: true })
  gpuFp32Tflops!: number | null;

  @Field(() => Float, { nullable: true })
  gpuFp16Tflops!: number | null;

  @Field(() => Float, { nullable: true })
  tflopsPerDollar!: number | null;

  @Field(() => Float, { nullable: true })
  dollarsPerGbVram!: number | null;

  @Field(() => Float, { nullable: true })
  estimatedWatts!: number | null;

  @Field(() => Float, { nullable: true })
  annualEnergyCost!: number | null;

  @Field(() => Float, { nullable: true, description: 'Total cost of ownership over the horizon.' })
  tco!: number | null;

  @Field(() => Float, { nullable: true })
  breakEvenMonths!: number | null;

  @Field(() => Float, { nullable: true, description: 'Percent under the market median.' })
  discountToMarket!: number | null;

  @Field(() => Int)
  valuationVersion!: number;

  @Field(() => Date, { nullable: true })
  valuedAt!: Date | null;

  @Field(() => [MetricReasonModel])
  reasons!: MetricReasonModel[];
}

@ObjectType('MarketBaseline', { description: 'Fair price of the same configuration key.' })
export class MarketBaselineModel {
  @Field()
  configKey!: string;

  @Field(() => Int)
  n!: number;

  @Field(() => Float, { nullable: true })
  median!: number | null;

  @Field(() => Float, { nullable: true })
  p10!: number | null;

  @Field(() => Float, { nullable: true })
  p90!: number | null;

  @Field(() => Int)
  windowDays!: number;

  @Field()
  computedAt!: Date;

  @Field(() => Float, { nullable: true })
  discountToMarket!: number | null;
}

@ObjectType('Listing')
export class ListingModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  sourceId!: string;

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

  @Field(() => ListingSpecsModel, { nullable: true, description: 'Null until first valued.' })
  specs!: ListingSpecsModel | null;

  @Field(() => ListingMetricsModel)
  metrics!: ListingMetricsModel;
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
