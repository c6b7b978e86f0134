import { Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { ListingModel } from '../listings/listing.model';
import { SourceModel, toSourceModel } from '../sources/source.model';
import type { GqlContext } from './loaders';

/** Listing.source, batched per request (one statement for a whole page). */
@Resolver(() => ListingModel)
export class ListingSourceResolver {
  @ResolveField(() => SourceModel, { nullable: true, description: 'Where the listing was found.' })
  async source(
    @Parent() listing: ListingModel,
    @Context() ctx: GqlContext,
  ): Promise<SourceModel | null> {
    const s = await ctx.loaders.source.load(Number(listing.sourceId));
    return s ? toSourceModel(s) : null;
  }
}
