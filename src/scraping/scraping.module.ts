import { Module } from '@nestjs/common';
import { ListingsModule } from '../listings/listings.module';
import { SourcesModule } from '../sources/sources.module';
import { ScrapeFetchers } from './scrape-fetchers';
import { ScrapeRunsRepository } from './scrape-runs.repository';
import { ScrapeRunsService } from './scrape-runs.service';
import { ScraperService } from './scraper.service';

/** Scrape runs (read side) and the scraper itself (browser launched only when a run needs it). */
@Module({
  imports: [SourcesModule, ListingsModule],
  providers: [ScrapeRunsRepository, ScrapeRunsService, ScraperService, ScrapeFetchers],
  exports: [ScrapeRunsService, ScraperService],
})
export class ScrapingModule {}
