import { Field, Float, InputType, Int, ObjectType } from '@nestjs/graphql';

@ObjectType('ValuationSettings', {
  description:
    'Assumptions of the valuation model (money in moneyCurrency). Edit with updateValuationSettings.',
})
export class ValuationSettingsModel {
  @Field(() => Int, { description: 'Revision of the stored settings (0: defaults, never saved).' })
  revision!: number;

  @Field(() => Int, {
    description: 'listing.valuation_version of rows valued with these settings.',
  })
  valuationVersion!: number;

  @Field(() => Int, { description: 'Version of the normalizer + catalogs + valuation code.' })
  pricingVersion!: number;

  @Field(() => Date, { nullable: true })
  updatedAt!: Date | null;

  @Field(() => String, { nullable: true })
  updatedBy!: string | null;

  @Field()
  moneyCurrency!: string;

  @Field(() => Float)
  energyPricePerKwh!: number;

  @Field(() => Float)
  pue!: number;

  @Field(() => Int)
  horizonMonths!: number;

  @Field(() => Float)
  colocationPerRackUnitMonth!: number;

  @Field(() => Float)
  sparesReservePct!: number;

  @Field(() => Float)
  operationsPerServerMonth!: number;

  @Field(() => Int)
  minMarketObservations!: number;

  @Field({ description: 'Every setting (parts prices, cloud options, FX table...) as JSON.' })
  json!: string;
}

@InputType('ValuationSettingsInput', {
  description:
    'Settings to change; unset fields keep their value. `json` takes any setting as a partial ' +
    'JSON object (nested objects merge), e.g. {"partsPrices":{"ramPerGb":{"DDR4":1.5}}}.',
})
export class ValuationSettingsInput {
  @Field({ nullable: true })
  json?: string;

  @Field(() => Float, { nullable: true })
  energyPricePerKwh?: number;

  @Field(() => Float, { nullable: true })
  pue?: number;

  @Field(() => Int, { nullable: true })
  horizonMonths?: number;

  @Field(() => Float, { nullable: true })
  colocationPerRackUnitMonth?: number;

  @Field(() => Float, { nullable: true })
  sparesReservePct?: number;

  @Field(() => Float, { nullable: true })
  operationsPerServerMonth?: number;

  @Field(() => Int, { nullable: true })
  minMarketObservations?: number;
}
