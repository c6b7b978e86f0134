import { Module } from '@nestjs/common';
import { SourceScheduler } from './source-scheduler';
import { SourcesRepository } from './sources.repository';
import { SourcesService } from './sources.service';

@Module({
  providers: [SourcesRepository, SourcesService, SourceScheduler],
  exports: [SourcesService],
})
export class SourcesModule {}
