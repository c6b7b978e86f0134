import { Args, Context, Info, Int, Parent, Query, ResolveField, Resolver } from '@nestjs/graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { badInput } from '../common/errors';
import { parseId, parseIds } from '../common/ids';
import { LISTING_KINDS, type ListingKind } from '../pricing/types';
import type { GqlContext } from '../graphql/loaders';
import { ListingFilter } from './listing-query';
import { listingColumnsForConnection } from './listing-projection';
import { toListingModel, toObservationModel } from './listing.mapper';
import {
  ListingConnectionModel,
  ListingModel,
  MarketBaselineModel,
  ListingStatusGql,
  PriceObservationModel,
} from './listing.model';
import { ListingArgs, ListingFilterInput, ListingsArgs } from './listings.args';
import { ListingsService } from './listings.service';

/** The connection carries its filter (not a GraphQL field) so totalCount runs only when asked. */
type ConnectionWithFilter = ListingConnectionModel & { filter: ListingFilter };

@Resolver(() => ListingConnectionModel)
export class ListingConnectionResolver {
  constructor(private readonly listings: ListingsService) {}

  @ResolveField(() => Int, { description: 'Listings matching the filter (all pages).' })
  totalCount(@Parent() connection: ConnectionWithFilter): Promise<number> {
    return this.listings.count(connection.filter);
  }
}

@Resolver(() => ListingModel)
export class ListingsResolver {
  constructor(private readonly service: ListingsService) {}

  @Query(() => ListingConnectionModel, { description: 'Search listings, Relay-style pages.' })
  async listings(
    @Args() args: ListingsArgs,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ConnectionWithFilter> {
    const filter = toFilter(args.filter);
    const page = await this.service.page(
      filter,
      args.orderBy,
      args.first,
      args.after,
      listingColumnsForConnection(info),
    );
    const last = page.nodes.length - 1;
    // Cursors are getters: encoded only when the query selects them.
    return {
      filter,
      edges: page.nodes.map((n, i) => ({
        node: toListingModel(n),
        get cursor() {
          return page.cursor(i);
        },
      })),
      pageInfo: {
        hasNextPage: page.hasNextPage,
        get endCursor() {
          return last >= 0 ? page.cursor(last) : null;
        },
      },
    };
  }

  @Query(() => ListingModel)
  async listing(@Args() args: ListingArgs): Promise<ListingModel> {
    return toListingModel(await this.service.byId(parseId(args.id, 'listing')));
  }

  @ResolveField(() => [PriceObservationModel], { description: 'Newest first.' })
  async priceHistory(
    @Parent() listing: ListingModel,
    @Context() ctx: GqlContext,
    @Args('last', { type: () => Int, defaultValue: 100 }) last: number,
  ): Promise<PriceObservationModel[]> {
    if (last < 1 || last > 1000) throw badInput('last must be between 1 and 1000');
    const rows = await ctx.loaders.priceHistory(last).load(Number(listing.id));
    return rows.map(toObservationModel);
  }

  @ResolveField(() => MarketBaselineModel, {
    nullable: true,
    description: 'Fair price of listings with the same configuration key (null without a key).',
  })
  async marketBaseline(
    @Parent() listing: ListingModel,
    @Context() ctx: GqlContext,
  ): Promise<MarketBaselineModel | null> {
    const key = listing.specs?.configKey;
    if (!key) return null;
    const b = await ctx.loaders.marketBaseline.load(key);
    return b ? { ...b, discountToMarket: listing.metrics.discountToMarket } : null;
  }
}

function toFilter(input: ListingFilterInput | null | undefined): ListingFilter {
  return {
    sourceIds: parseIds(input?.sourceIds, 'source', 'filter.sourceIds'),
    statuses: input?.statuses?.length ? input.statuses : [ListingStatusGql.ACTIVE],
    search: input?.search?.trim() || undefined,
    priceMin: input?.priceMin,
    priceMax: input?.priceMax,
    currency: input?.currency?.toUpperCase(),
    seenSince: input?.seenSince,
    kind: listingKind(input?.kind),
    chassis: text(input?.chassis),
    vendor: text(input?.vendor),
    cpuModel: text(input?.cpuModel),
    cpuFamily: text(input?.cpuFamily),
    gpuModel: text(input?.gpuModel),
    formFactor: text(input?.formFactor),
    minCores: bound(input?.minCores, 'minCores'),
    minThreads: bound(input?.minThreads, 'minThreads'),
    minRamGb: bound(input?.minRamGb, 'minRamGb'),
    minStorageGb: bound(input?.minStorageGb, 'minStorageGb'),
    minGpuCount: bound(input?.minGpuCount, 'minGpuCount'),
    minGpuMemoryGb: bound(input?.minGpuMemoryGb, 'minGpuMemoryGb'),
    sellerLocation: text(input?.sellerLocation),
  };
}

function text(v: string | null | undefined): string | undefined {
  const t = v?.trim();
  if (t && t.length > 200) throw badInput('filter: text values are limited to 200 characters');
  return t || undefined;
}

/** A kind filter must name a kind listings are classified as: "memory" would silently match none. */
function listingKind(v: string | null | undefined): ListingKind | undefined {
  const k = text(v)?.toLowerCase();
  if (k === undefined) return undefined;
  if (!(LISTING_KINDS as readonly string[]).includes(k)) {
    throw badInput(`filter.kind: '${v}' is not a listing kind (${LISTING_KINDS.join(', ')})`, {
      kinds: LISTING_KINDS,
    });
  }
  return k as ListingKind;
}

function bound(v: number | null | undefined, name: string): number | undefined {
  if (v === null || v === undefined) return undefined;
  if (!Number.isFinite(v) || v < 0 || v > 1e12) throw badInput(`${name}: must be >= 0`);
  return v;
}
