import { Args, Query, Resolver } from '@nestjs/graphql';
import { MarketStatsArgs, MarketStatsModel } from './market-stats.model';
import { MarketService } from './market.service';

@Resolver(() => MarketStatsModel)
export class MarketResolver {
  constructor(private readonly market: MarketService) {}

  @Query(() => MarketStatsModel, {
    description: 'Price percentiles and weekly trend for a configuration or a part number.',
  })
  marketStats(@Args() args: MarketStatsArgs): Promise<MarketStatsModel> {
    return this.market.stats(args);
  }
}
