import { Module } from '@nestjs/common';
import { SourcesModule } from '../sources/sources.module';
import { ScrapingModule } from './scraping.module';
import { SourcesResolver } from './scraping.resolver';

/** GraphQL for sources and their runs (api role). */
@Module({
  imports: [SourcesModule, ScrapingModule],
  providers: [SourcesResolver],
})
export class ScrapingApiModule {}
