import { Module } from '@nestjs/common';
import { PricingModule } from '../pricing/pricing.module';
import { ListingsRepository } from './listings.repository';
import { ListingConnectionResolver, ListingsResolver } from './listings.resolver';
import { ListingsService } from './listings.service';

@Module({
  imports: [PricingModule],
  providers: [ListingsRepository, ListingsService, ListingsResolver, ListingConnectionResolver],
  exports: [ListingsService],
})
export class ListingsModule {}
