import { Injectable } from '@nestjs/common';
import { notFound } from '../common/errors';
import { SourceEntity, SourceKind } from './source.entity';
import { SourcesRepository } from './sources.repository';

@Injectable()
export class SourcesService {
  constructor(private readonly sources: SourcesRepository) {}

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
}
