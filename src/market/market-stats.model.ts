import { ArgsType, Field, Float, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('WeeklyMedian')
export class WeeklyMedianModel {
  @Field()
  weekStart!: Date;

  @Field(() => Float)
  median!: number;

  @Field(() => Int)
  n!: number;
}

@ObjectType('MarketStats', {
  description:
    'Observed prices per unit (price + shipping, per node of a lot) over a window, in one currency.',
})
export class MarketStatsModel {
  @Field(() => String, { nullable: true })
  configuration!: string | null;

  @Field(() => String, { nullable: true })
  partNumber!: string | null;

  @Field()
  currency!: string;

  @Field(() => Int)
  windowDays!: number;

  @Field()
  from!: Date;

  @Field()
  to!: Date;

  @Field(() => Int, { description: 'Observations in the window.' })
  n!: number;

  @Field(() => Float, { nullable: true })
  min!: number | null;

  @Field(() => Float, { nullable: true })
  max!: number | null;

  @Field(() => Float, { nullable: true })
  p10!: number | null;

  @Field(() => Float, { nullable: true })
  p25!: number | null;

  @Field(() => Float, { nullable: true })
  median!: number | null;

  @Field(() => Float, { nullable: true })
  p75!: number | null;

  @Field(() => Float, { nullable: true })
  p90!: number | null;

  @Field(() => [WeeklyMedianModel], { description: 'Oldest first.' })
  weekly!: WeeklyMedianModel[];

  @Field(() => Float, {
    nullable: true,
    description: 'Least-squares slope of the weekly medians, % of their mean per week.',
  })
  trendPctPerWeek!: number | null;
}

@ArgsType()
export class MarketStatsArgs {
  @Field(() => String, { nullable: true, description: 'Canonical configuration key.' })
  configuration?: string | null;

  @Field(() => String, { nullable: true })
  partNumber?: string | null;

  @Field(() => Int, { defaultValue: 90 })
  windowDays!: number;

  @Field(() => String, { nullable: true, description: 'Defaults to the base currency.' })
  currency?: string | null;

  @Field(() => Date, { nullable: true, description: 'End of the window; now by default.' })
  asOf?: Date | null;
}
