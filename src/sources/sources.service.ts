import { Injectable } from '@nestjs/common';
import { DomainError, notFound } from '../common/errors';
import type { ScrapeSourcePayload } from '../queue/queues';
import {
  createSourceSchema,
  parseSourceInput,
  queriesOf,
  updateSourceSchema,
  validateSourceRow,
} from './source-input';
import { SourceScheduler } from './source-scheduler';
import { SourceEntity, SourceKind } from './source.entity';
import { SourcesRepository } from './sources.repository';

type SourceRow = Omit<SourceEntity, 'id' | 'createdAt' | 'updatedAt'>;

const DEFAULTS: Omit<SourceRow, 'name' | 'kind'> = {
  baseUrl: null,
  queries: [],
  scheduleCron: null,
  scheduleEveryMs: null,
  rateLimitPerMinute: 30,
  maxConcurrency: 1,
  pageLimit: 5,
  config: {},
  enabled: true,
};

/** Sources are rows; every change keeps the source's BullMQ job scheduler in step. */
@Injectable()
export class SourcesService {
  constructor(
    private readonly sources: SourcesRepository,
    private readonly scheduler: SourceScheduler,
  ) {}

  ensure(name: string, kind: SourceKind): Promise<SourceEntity> {
    return this.sources.ensure(name, kind);
  }

  async byId(id: number): Promise<SourceEntity> {
    const s = await this.sources.findById(id);
    if (!s) throw notFound('Source', id);
    return s;
  }

  byName(name: string): Promise<SourceEntity | null> {
    return this.sources.findByName(name);
  }

  list(): Promise<SourceEntity[]> {
    return this.sources.findAll();
  }

  byIds(ids: readonly number[]): Promise<SourceEntity[]> {
    return this.sources.findByIds(ids);
  }

  async create(input: unknown): Promise<SourceEntity> {
    const fields = parseSourceInput(createSourceSchema, input);
    const row: SourceRow = { ...DEFAULTS, ...stripUndefined(fields) } as SourceRow;
    validateSourceRow(row);
    if (await this.sources.findByName(row.name)) {
      throw new DomainError('CONFLICT', `a source named "${row.name}" exists`, 'SOURCE_NAME_TAKEN');
    }
    const saved = await this.sources.save(row);
    await this.scheduler.sync(saved);
    return saved;
  }

  async update(id: number, input: unknown): Promise<SourceEntity> {
    const fields = parseSourceInput(updateSourceSchema, input);
    const current = await this.byId(id);
    const next = { ...current, ...stripUndefined(fields) };
    // Setting one kind of schedule replaces the other.
    if (fields.scheduleCron) next.scheduleEveryMs = null;
    if (fields.scheduleEveryMs) next.scheduleCron = null;
    validateSourceRow(next);
    if (next.name !== current.name) {
      const other = await this.sources.findByName(next.name);
      if (other && other.id !== id) {
        throw new DomainError(
          'CONFLICT',
          `a source named "${next.name}" exists`,
          'SOURCE_NAME_TAKEN',
        );
      }
    }
    const saved = await this.sources.save(next);
    await this.scheduler.sync(saved);
    return saved;
  }

  setEnabled(id: number, enabled: boolean): Promise<SourceEntity> {
    return this.update(id, { enabled });
  }

  /** Deletes a source that has no listings; otherwise disable it (its history stays). */
  async remove(id: number): Promise<SourceEntity> {
    const source = await this.byId(id);
    if (await this.sources.hasListings(id)) {
      throw new DomainError(
        'CONFLICT',
        `source ${id} has listings; disable it instead of deleting it`,
        'SOURCE_HAS_LISTINGS',
      );
    }
    await this.scheduler.remove(id);
    await this.sources.delete(id);
    return source;
  }

  /** Queues one run now (all queries, or one); returns the job id. */
  async runNow(
    id: number,
    trigger: ScrapeSourcePayload['trigger'],
    query?: string,
  ): Promise<string | null> {
    const source = await this.byId(id);
    if (source.kind === 'manual') {
      throw new DomainError(
        'BAD_USER_INPUT',
        'manual sources are imported, not scraped',
        'BAD_USER_INPUT',
      );
    }
    if (query !== undefined && !queriesOf(source).includes(query.trim())) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `source ${id} has no query "${query}"`,
        'BAD_USER_INPUT',
      );
    }
    return this.scheduler.enqueueNow(id, trigger, query);
  }

  /** At worker start: schedulers for exactly the enabled sources. */
  async reconcileSchedules(): Promise<{ scheduled: number; removed: number }> {
    return this.scheduler.reconcile(await this.sources.findAll());
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
