import { Module } from '@nestjs/common';
import { AlertsProcessor } from './alerts/alerts.processor';
import { AlertsModule } from './alerts/alerts.module';
import { EmailProcessor } from './alerts/email.processor';
import { InventoryModule } from './inventory/inventory.module';
import { ReservationExpiryProcessor } from './inventory/reservation-expiry.processor';
import { IngestProcessor } from './listings/ingest.processor';
import { ListingsModule } from './listings/listings.module';
import { PricingModule } from './pricing/pricing.module';
import { RecomputeProcessor } from './pricing/recompute.processor';
import { DemoService } from './scraping/demo.service';
import { ScheduleReconciler, ScrapeProcessor } from './scraping/scrape.processor';
import { ScrapingModule } from './scraping/scraping.module';
import { SourcesModule } from './sources/sources.module';

/** Queue processors: loaded only when APP_ROLE is worker or all. */
@Module({
  imports: [
    AlertsModule,
    InventoryModule,
    ListingsModule,
    PricingModule,
    SourcesModule,
    ScrapingModule,
  ],
  providers: [
    AlertsProcessor,
    EmailProcessor,
    IngestProcessor,
    RecomputeProcessor,
    ScrapeProcessor,
    ScheduleReconciler,
    DemoService,
    ReservationExpiryProcessor,
  ],
})
export class WorkerModule {}
