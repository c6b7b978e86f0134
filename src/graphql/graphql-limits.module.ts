import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module';
import { ListingSourceResolver } from './listing-source.resolver';
import { RateLimiter } from './rate-limiter';

/** Providers the GraphQL module's factory and the listing relations need. */
@Module({
  imports: [SourcesModule],
  providers: [RateLimiter, ListingSourceResolver],
  exports: [RateLimiter, SourcesModule],
})
export class GraphqlLimitsModule {}
