import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SourceEntity, SourceKind } from './source.entity';

@Injectable()
export class SourcesRepository {
  constructor(@InjectRepository(SourceEntity) private readonly repo: Repository<SourceEntity>) {}

  findById(id: number): Promise<SourceEntity | null> {
    return this.repo.findOneBy({ id });
  }

  findByName(name: string): Promise<SourceEntity | null> {
    return this.repo.findOneBy({ name });
  }

  findByIds(ids: readonly number[]): Promise<SourceEntity[]> {
    return this.repo.createQueryBuilder('s').where('s.id = ANY(:ids)', { ids }).getMany();
  }

  findAll(): Promise<SourceEntity[]> {
    return this.repo.find({ order: { id: 'ASC' } });
  }

  /** Idempotent: concurrent callers get the same row. */
  async ensure(name: string, kind: SourceKind): Promise<SourceEntity> {
    await this.repo.createQueryBuilder().insert().values({ name, kind }).orIgnore().execute();
    return this.repo.findOneByOrFail({ name });
  }

  save(entity: Partial<SourceEntity>): Promise<SourceEntity> {
    return this.repo.save(entity);
  }

  async hasListings(id: number): Promise<boolean> {
    const rows: unknown[] = await this.repo.query(
      `SELECT 1 FROM listing WHERE source_id = $1 LIMIT 1`,
      [id],
    );
    return rows.length > 0;
  }

  async delete(id: number): Promise<void> {
    await this.repo.delete({ id });
  }
}
