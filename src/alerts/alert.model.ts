import { Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { ALERT_METRICS, type AlertMetric } from './alert-rule.schema';
import { GraphQLJSON } from './json.scalar';

export enum AlertRuleTypeGql {
  LISTING_WATCH = 'listing_watch',
  SAVED_SEARCH = 'saved_search',
  MARKET_LOW = 'market_low',
  FLEET_NEED = 'fleet_need',
  BACK_IN_STOCK = 'back_in_stock',
}
registerEnumType(AlertRuleTypeGql, { name: 'AlertRuleType' });

export enum AlertDeliveryGql {
  IMMEDIATE = 'immediate',
  HOURLY = 'hourly',
  DAILY = 'daily',
}
registerEnumType(AlertDeliveryGql, { name: 'AlertDelivery' });

export enum AlertRearmGql {
  AFTER_HOURS = 'after_hours',
  FURTHER_DROP = 'further_drop',
}
registerEnumType(AlertRearmGql, {
  name: 'AlertRearm',
  description: 'When a rule may fire again for a listing after the cooldown.',
});

export enum AlertEventStatusGql {
  PENDING = 'pending',
  QUEUED = 'queued',
  SENT = 'sent',
  FAILED = 'failed',
  SKIPPED = 'skipped',
}
registerEnumType(AlertEventStatusGql, { name: 'AlertEventStatus' });

export enum WatchBasisGql {
  WATCH_START = 'watch_start',
  LAST_ALERT = 'last_alert',
}
registerEnumType(WatchBasisGql, {
  name: 'WatchBasis',
  description: 'What a listing watch measures a drop from.',
  valuesMap: {
    WATCH_START: { description: 'The price when the watch started (default).' },
    LAST_ALERT: { description: 'The price of the last alert.' },
  },
});

export enum MetricOpGql {
  GTE = 'gte',
  LTE = 'lte',
}
registerEnumType(MetricOpGql, { name: 'MetricOp' });

export enum MarketLowModeGql {
  WINDOW = 'window',
  ALL_TIME = 'all_time',
  WITHIN_PCT = 'within_pct',
}
registerEnumType(MarketLowModeGql, {
  name: 'MarketLowMode',
  valuesMap: {
    WINDOW: { description: 'Lowest price in the last `days`.' },
    ALL_TIME: { description: 'Lowest price ever observed.' },
    WITHIN_PCT: { description: 'Within `withinPct` % of the lowest in `days`.' },
  },
});

export enum FleetNeedTriggerGql {
  SATISFIABLE = 'satisfiable',
  CHEAPER = 'cheaper',
}
registerEnumType(FleetNeedTriggerGql, {
  name: 'FleetNeedTrigger',
  valuesMap: {
    SATISFIABLE: { description: 'The need becomes satisfiable within its budget.' },
    CHEAPER: { description: 'The cheapest plan gets at least `cheaperPct` % cheaper.' },
  },
});

/** Saved-search metrics: CPU_SCORE_PER_DOLLAR -> cpuScorePerDollar (the stored name). */
export const AlertMetricGql = Object.fromEntries(
  Object.keys(ALERT_METRICS).map((m) => [m.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase(), m]),
) as Record<string, AlertMetric>;
registerEnumType(AlertMetricGql, { name: 'AlertMetric' });

@InputType('AlertSearchFilterInput', { description: 'A listings filter for a saved search.' })
export class AlertSearchFilterInput {
  @Field({ nullable: true, description: 'server, gpu, cpu, ram, drive, psu, part, other.' })
  kind?: string;
  @Field({ nullable: true }) vendor?: string;
  @Field({ nullable: true }) chassis?: string;
  @Field({ nullable: true }) cpuModel?: string;
  @Field({ nullable: true }) gpuModel?: string;
  @Field(() => Int, { nullable: true }) minRamGb?: number;
  @Field(() => Int, { nullable: true }) minCores?: number;
  @Field(() => Int, { nullable: true }) minGpuCount?: number;
  @Field(() => Float, { nullable: true }) priceMin?: number;
  @Field(() => Float, { nullable: true }) priceMax?: number;
  @Field({ nullable: true }) currency?: string;
  @Field({ nullable: true }) search?: string;
  @Field(() => [ID], { nullable: true }) sourceIds?: string[];
}

@InputType('ListingWatchInput')
export class ListingWatchInput {
  @Field(() => ID) listingId!: string;
  @Field(() => Float, { nullable: true }) targetPrice?: number;
  @Field(() => Float, { nullable: true, description: 'Fire on a drop of at least this %.' })
  dropPct?: number;
  @Field(() => Float, { nullable: true, description: 'Fire on a drop of at least this amount.' })
  dropAmount?: number;
  @Field(() => WatchBasisGql, { nullable: true }) basis?: WatchBasisGql;
}

@InputType('SavedSearchInput')
export class SavedSearchInput {
  @Field(() => AlertSearchFilterInput) filter!: AlertSearchFilterInput;
  @Field(() => Float, { nullable: true }) targetPrice?: number;
  @Field(() => AlertMetricGql, { nullable: true }) metric?: AlertMetric;
  @Field(() => MetricOpGql, { nullable: true }) metricOp?: MetricOpGql;
  @Field(() => Float, { nullable: true }) metricValue?: number;
}

@InputType('MarketLowInput')
export class MarketLowInput {
  @Field({ nullable: true }) configKey?: string;
  @Field({ nullable: true }) partNumber?: string;
  @Field(() => MarketLowModeGql) mode!: MarketLowModeGql;
  @Field(() => Int, { nullable: true }) days?: number;
  @Field(() => Float, { nullable: true }) withinPct?: number;
  @Field(() => Int, { nullable: true }) minObservations?: number;
}

@InputType('FleetNeedAlertInput')
export class FleetNeedAlertInput {
  @Field(() => ID) needId!: string;
  @Field(() => FleetNeedTriggerGql) trigger!: FleetNeedTriggerGql;
  @Field(() => Float, { nullable: true }) cheaperPct?: number;
}

@InputType('BackInStockInput')
export class BackInStockInput {
  @Field(() => ID, { nullable: true }) listingId?: string;
  @Field({ nullable: true }) partNumber?: string;
}

@InputType('AlertRuleInput')
export class AlertRuleInput {
  @Field() name!: string;
  @Field(() => AlertRuleTypeGql) type!: AlertRuleTypeGql;
  @Field(() => [String]) recipients!: string[];
  @Field(() => Float, { nullable: true, description: 'Default 24.' }) cooldownHours?: number;
  @Field(() => AlertRearmGql, { nullable: true }) rearm?: AlertRearmGql;
  @Field(() => AlertDeliveryGql, { nullable: true }) delivery?: AlertDeliveryGql;
  @Field({ nullable: true }) enabled?: boolean;
  @Field(() => ListingWatchInput, { nullable: true }) listingWatch?: ListingWatchInput;
  @Field(() => SavedSearchInput, { nullable: true }) savedSearch?: SavedSearchInput;
  @Field(() => MarketLowInput, { nullable: true }) marketLow?: MarketLowInput;
  @Field(() => FleetNeedAlertInput, { nullable: true }) fleetNeed?: FleetNeedAlertInput;
  @Field(() => BackInStockInput, { nullable: true }) backInStock?: BackInStockInput;
}

@ObjectType('AlertRecipient')
export class AlertRecipientModel {
  @Field() email!: string;
  @Field() unsubscribed!: boolean;
}

@ObjectType('AlertRule')
export class AlertRuleModel {
  @Field(() => ID) id!: string;
  @Field() name!: string;
  @Field(() => AlertRuleTypeGql) type!: AlertRuleTypeGql;
  @Field(() => GraphQLJSON, { description: 'The validated definition.' }) definition!: unknown;
  @Field(() => [AlertRecipientModel]) recipients!: AlertRecipientModel[];
  @Field(() => Float) cooldownHours!: number;
  @Field(() => AlertRearmGql) rearm!: AlertRearmGql;
  @Field(() => AlertDeliveryGql) delivery!: AlertDeliveryGql;
  @Field() enabled!: boolean;
  @Field(() => Float, {
    nullable: true,
    description: 'Listing watch: the price when the watch started.',
  })
  baselinePrice!: number | null;
  @Field(() => String, { nullable: true, description: 'Why the rule cannot fire yet, if so.' })
  note!: string | null;
  @Field() createdAt!: Date;
}

@ObjectType('AlertEvent')
export class AlertEventModel {
  @Field(() => ID) id!: string;
  @Field(() => ID) ruleId!: string;
  @Field(() => ID) listingId!: string;
  @Field() triggerLevel!: string;
  @Field() kind!: string;
  @Field(() => Float, { nullable: true }) price!: number | null;
  @Field(() => Float, { nullable: true }) previousPrice!: number | null;
  @Field(() => Float, { nullable: true }) referencePrice!: number | null;
  @Field(() => String, { nullable: true }) currency!: string | null;
  @Field(() => AlertEventStatusGql) status!: AlertEventStatusGql;
  @Field() createdAt!: Date;
  @Field(() => Date, { nullable: true }) sentAt!: Date | null;
}
