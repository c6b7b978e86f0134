import { Args, ID, Int, Mutation, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { RequireRole } from '../auth/roles.decorator';
import { badInput } from '../common/errors';
import {
  CreateSourceInput,
  ScrapeRunModel,
  SourceModel,
  UpdateSourceInput,
  toSourceModel,
} from '../sources/source.model';
import { SourcesService } from '../sources/sources.service';
import type { ScrapeRunEntity } from './scrape-run.entity';
import { ScrapeRunsService } from './scrape-runs.service';
import { parseId } from '../common/ids';

const toRunModel = (r: ScrapeRunEntity): ScrapeRunModel => ({
  ...r,
  id: String(r.id),
  sourceId: String(r.sourceId),
  errors: r.errors.map((e) => ({ ...e, url: e.url ?? null, savedPage: e.savedPage ?? null })),
});

function idOf(id: string, what = 'source'): number {
  return parseId(id, what);
}

/** GraphQL input -> service input: configJson becomes config; nulls clear nullable fields. */
function toFields(input: CreateSourceInput | UpdateSourceInput): Record<string, unknown> {
  const { configJson, ...rest } = input;
  const fields: Record<string, unknown> = { ...rest };
  if (configJson !== undefined && configJson !== null) {
    try {
      fields.config = JSON.parse(configJson) as unknown;
    } catch {
      throw badInput('configJson: not valid JSON');
    }
  }
  for (const k of [
    'name',
    'queries',
    'rateLimitPerMinute',
    'maxConcurrency',
    'pageLimit',
    'enabled',
  ]) {
    if (fields[k] === null) delete fields[k];
  }
  return fields;
}

@Resolver(() => SourceModel)
export class SourcesResolver {
  constructor(
    private readonly service: SourcesService,
    private readonly runs: ScrapeRunsService,
  ) {}

  @Query(() => [SourceModel])
  async sources(): Promise<SourceModel[]> {
    return (await this.service.list()).map(toSourceModel);
  }

  @Query(() => SourceModel)
  async source(@Args('id', { type: () => ID }) id: string): Promise<SourceModel> {
    return toSourceModel(await this.service.byId(idOf(id)));
  }

  @ResolveField(() => ScrapeRunModel, { nullable: true, description: 'Latest succeeded run.' })
  async lastSuccess(@Parent() source: SourceModel): Promise<ScrapeRunModel | null> {
    const id = Number(source.id);
    const run = (await this.runs.lastSuccess([id])).get(id);
    return run ? toRunModel(run) : null;
  }

  @ResolveField(() => ScrapeRunModel, { nullable: true, description: 'Latest run, any status.' })
  async lastRun(@Parent() source: SourceModel): Promise<ScrapeRunModel | null> {
    const [run] = await this.runs.list(Number(source.id), 1);
    return run ? toRunModel(run) : null;
  }

  @RequireRole('ops')
  @Mutation(() => SourceModel)
  async createSource(@Args('input') input: CreateSourceInput): Promise<SourceModel> {
    return toSourceModel(await this.service.create(toFields(input)));
  }

  @RequireRole('ops')
  @Mutation(() => SourceModel)
  async updateSource(
    @Args('id', { type: () => ID }) id: string,
    @Args('input') input: UpdateSourceInput,
  ): Promise<SourceModel> {
    return toSourceModel(await this.service.update(idOf(id), toFields(input)));
  }

  @RequireRole('ops')
  @Mutation(() => SourceModel, { description: 'Deletes a source without listings.' })
  async deleteSource(@Args('id', { type: () => ID }) id: string): Promise<SourceModel> {
    return toSourceModel(await this.service.remove(idOf(id)));
  }

  @RequireRole('ops')
  @Mutation(() => ID, { nullable: true, description: 'Queues a run now; returns the job id.' })
  runSourceNow(
    @Args('id', { type: () => ID }) id: string,
    @Args('query', { type: () => String, nullable: true }) query?: string | null,
  ): Promise<string | null> {
    return this.service.runNow(idOf(id), 'api', query ?? undefined);
  }

  @Query(() => [ScrapeRunModel], { description: 'Latest runs first.' })
  async scrapeRuns(
    @Args('sourceId', { type: () => ID, nullable: true }) sourceId?: string | null,
    @Args('first', { type: () => Int, defaultValue: 20 }) first = 20,
  ): Promise<ScrapeRunModel[]> {
    const id = sourceId ? idOf(sourceId) : null;
    return (await this.runs.list(id, first)).map(toRunModel);
  }
}
