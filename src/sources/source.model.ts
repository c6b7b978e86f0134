import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import type { SourceEntity } from './source.entity';

@ObjectType('ScrapeRunError')
export class ScrapeRunErrorModel {
  @Field()
  at!: string;

  @Field(() => String, { nullable: true })
  url!: string | null;

  @Field({ description: 'blocked, parse, fetch, navigation-timeout, config, robots, internal' })
  kind!: string;

  @Field()
  message!: string;

  @Field(() => String, { nullable: true, description: 'Saved HTML of the failed page.' })
  savedPage!: string | null;
}

@ObjectType('ScrapeRun')
export class ScrapeRunModel {
  @Field(() => ID)
  id!: string;

  @Field(() => ID)
  sourceId!: string;

  @Field(() => String, { nullable: true })
  query!: string | null;

  @Field({ description: 'running, succeeded, partial, failed or blocked' })
  status!: string;

  @Field({ description: 'The run reached the last results page (only then are listings ended).' })
  complete!: boolean;

  @Field(() => Int)
  pages!: number;

  @Field(() => Int)
  listingsSeen!: number;

  @Field(() => Int)
  listingsNew!: number;

  @Field(() => Int)
  listingsChanged!: number;

  @Field(() => Int)
  listingsEnded!: number;

  @Field(() => Int)
  errorCount!: number;

  @Field(() => [ScrapeRunErrorModel])
  errors!: ScrapeRunErrorModel[];

  @Field()
  startedAt!: Date;

  @Field(() => Date, { nullable: true })
  finishedAt!: Date | null;

  @Field(() => Int, { nullable: true })
  durationMs!: number | null;
}

@ObjectType('Source')
export class SourceModel {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field({ description: 'ebay-search, ebay-item, shopify, css or manual' })
  kind!: string;

  @Field(() => String, { nullable: true })
  baseUrl!: string | null;

  @Field(() => [String])
  queries!: string[];

  @Field(() => String, { nullable: true })
  scheduleCron!: string | null;

  @Field(() => Int, { nullable: true })
  scheduleEveryMs!: number | null;

  @Field(() => Int)
  rateLimitPerMinute!: number;

  @Field(() => Int)
  maxConcurrency!: number;

  @Field(() => Int)
  pageLimit!: number;

  @Field({ description: 'Kind-specific settings as JSON (CSS selectors...).' })
  configJson!: string;

  @Field()
  enabled!: boolean;

  @Field()
  createdAt!: Date;

  @Field()
  updatedAt!: Date;
}

@InputType('CreateSourceInput')
export class CreateSourceInput {
  @Field()
  name!: string;

  @Field()
  kind!: string;

  @Field(() => String, { nullable: true })
  baseUrl?: string | null;

  @Field(() => [String], { nullable: true })
  queries?: string[];

  @Field(() => String, { nullable: true })
  scheduleCron?: string | null;

  @Field(() => Int, { nullable: true })
  scheduleEveryMs?: number | null;

  @Field(() => Int, { nullable: true })
  rateLimitPerMinute?: number;

  @Field(() => Int, { nullable: true })
  maxConcurrency?: number;

  @Field(() => Int, { nullable: true })
  pageLimit?: number;

  @Field(() => String, { nullable: true, description: 'Kind-specific settings as a JSON object.' })
  configJson?: string;

  @Field({ nullable: true })
  enabled?: boolean;
}

@InputType('UpdateSourceInput')
export class UpdateSourceInput {
  @Field({ nullable: true })
  name?: string;

  @Field(() => String, { nullable: true })
  baseUrl?: string | null;

  @Field(() => [String], { nullable: true })
  queries?: string[];

  @Field(() => String, { nullable: true })
  scheduleCron?: string | null;

  @Field(() => Int, { nullable: true })
  scheduleEveryMs?: number | null;

  @Field(() => Int, { nullable: true })
  rateLimitPerMinute?: number;

  @Field(() => Int, { nullable: true })
  maxConcurrency?: number;

  @Field(() => Int, { nullable: true })
  pageLimit?: number;

  @Field(() => String, { nullable: true })
  configJson?: string;

  @Field({ nullable: true })
  enabled?: boolean;
}

export const toSourceModel = (s: SourceEntity): SourceModel => ({
  id: String(s.id),
  name: s.name,
  kind: s.kind,
  baseUrl: s.baseUrl,
  queries: s.queries,
  scheduleCron: s.scheduleCron,
  scheduleEveryMs: s.scheduleEveryMs,
  rateLimitPerMinute: s.rateLimitPerMinute,
  maxConcurrency: s.maxConcurrency,
  pageLimit: s.pageLimit,
  configJson: JSON.stringify(s.config),
  enabled: s.enabled,
  createdAt: s.createdAt,
  updatedAt: s.updatedAt,
});
