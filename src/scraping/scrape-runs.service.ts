import { Injectable } from '@nestjs/common';
import { badInput } from '../common/errors';
import { ScrapeRunEntity } from './scrape-run.entity';
import { ScrapeRunsRepository } from './scrape-runs.repository';

@Injectable()
export class ScrapeRunsService {
  constructor(private readonly runs: ScrapeRunsRepository) {}

  list(sourceId: number | null, first: number): Promise<ScrapeRunEntity[]> {
    if (!Number.isInteger(first) || first < 1 || first > 200) {
      throw badInput('first must be between 1 and 200');
    }
    return this.runs.list(sourceId, first);
  }

  /** The latest succeeded run per source. */
  async lastSuccess(sourceIds: readonly number[]): Promise<Map<number, ScrapeRunEntity>> {
    const rows = await this.runs.lastSuccess(sourceIds);
    return new Map(rows.map((r) => [r.sourceId, r]));
  }
}
