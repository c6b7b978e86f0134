import { Module } from '@nestjs/common';
import { IngestProcessor } from './listings/ingest.processor';
import { ListingsModule } from './listings/listings.module';

/** Queue processors: loaded only when APP_ROLE is worker or all. */
@Module({
  imports: [ListingsModule],
  providers: [IngestProcessor],
})
export class WorkerModule {}
