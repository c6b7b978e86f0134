import { Args, ID, Mutation, Query, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal, RequireRole } from '../auth/roles.decorator';
import type { Principal } from '../auth/roles';
import { toFleetNeedModel, toFleetNeedPlanModel } from './fleet-need.mapper';
import {
  FleetNeedInputGql,
  FleetNeedModel,
  FleetNeedPatchGql,
  FleetNeedPlanModel,
} from './fleet-need.model';
import { FleetNeedsService } from './fleet-needs.service';
import { parseId } from '../common/ids';

@Resolver(() => FleetNeedModel)
export class FleetNeedsResolver {
  constructor(private readonly service: FleetNeedsService) {}

  @Query(() => [FleetNeedModel], { description: 'Fleet needs, oldest first.' })
  async fleetNeeds(): Promise<FleetNeedModel[]> {
    return (await this.service.list()).map(toFleetNeedModel);
  }

  @Query(() => FleetNeedModel)
  async fleetNeed(@Args('id', { type: () => ID }) id: string): Promise<FleetNeedModel> {
    return toFleetNeedModel(await this.service.get(needId(id)));
  }

  @Query(() => FleetNeedPlanModel, {
    description: 'The cheapest purchase plans for a need, best first, or why none exists.',
  })
  async planFleetNeed(@Args('id', { type: () => ID }) id: string): Promise<FleetNeedPlanModel> {
    return toFleetNeedPlanModel(await this.service.plan(needId(id)));
  }

  @RequireRole('procurement')
  @Mutation(() => FleetNeedModel)
  async createFleetNeed(
    @Args('input') input: FleetNeedInputGql,
    @CurrentPrincipal() principal: Principal | null,
  ): Promise<FleetNeedModel> {
    return toFleetNeedModel(await this.service.create({ ...input }, principal?.keyId ?? null));
  }

  @RequireRole('procurement')
  @Mutation(() => FleetNeedModel)
  async updateFleetNeed(
    @Args('id', { type: () => ID }) id: string,
    @Args('patch') patch: FleetNeedPatchGql,
  ): Promise<FleetNeedModel> {
    return toFleetNeedModel(await this.service.update(needId(id), { ...patch }));
  }

  @RequireRole('procurement')
  @Mutation(() => FleetNeedModel, { description: 'Deletes a need and returns what it was.' })
  async deleteFleetNeed(@Args('id', { type: () => ID }) id: string): Promise<FleetNeedModel> {
    return toFleetNeedModel(await this.service.delete(needId(id)));
  }
}

function needId(id: string): number {
  return parseId(id, 'fleet need');
}
