import { Module } from '@nestjs/common';
import { ListingsRepository } from './listings.repository';
import { ListingConnectionResolver, ListingsResolver } from './listings.resolver';
import { ListingsService } from './listings.service';

@Module({
  providers: [ListingsRepository, ListingsService, ListingsResolver, ListingConnectionResolver],
  exports: [ListingsService],
})
export class ListingsModule {}
