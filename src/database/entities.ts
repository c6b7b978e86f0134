import { ListingEntity } from '../listings/listing.entity';
import { PriceObservationEntity } from '../listings/price-observation.entity';
import { ScrapeRunEntity } from '../scraping/scrape-run.entity';
import { SourceEntity } from '../sources/source.entity';

/** Every entity, listed explicitly (see migrations/index.ts for why). */
export const entities = [SourceEntity, ScrapeRunEntity, ListingEntity, PriceObservationEntity];
