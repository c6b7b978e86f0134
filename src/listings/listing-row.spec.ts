import 'reflect-metadata';
import { getMetadataArgsStorage } from 'typeorm';
import { ListingEntity } from './listing.entity';
import {
  LISTING_EXTRA_COLUMNS,
  LISTING_SELECT,
  LISTING_VIEW_COLUMNS,
  LISTING_VIEW_SELECT,
  OBSERVATION_SELECT,
  toListingEntity,
  toListingView,
  toObservationEntity,
} from './listing-row';
import { PriceObservationEntity } from './price-observation.entity';

/** Column name -> entity property, from the TypeORM decorators (the source of truth). */
function entityColumns(target: object): Map<string, string> {
  return new Map(
    getMetadataArgsStorage()
      .columns.filter((c) => c.target === target)
      .map((c) => [c.options.name ?? c.propertyName, c.propertyName]),
  );
}

/** A row whose every value is distinct, to see where each column lands. */
function rowOf(columns: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c, `value of ${c}`]));
}

describe('listing row mappers', () => {
  const listing = entityColumns(ListingEntity);

  it('cover every column of the listing entity, each once', () => {
    const mapped = [...LISTING_VIEW_COLUMNS, ...LISTING_EXTRA_COLUMNS];
    expect(new Set(mapped).size).toBe(mapped.length);
    expect([...mapped].sort()).toEqual([...listing.keys()].sort());
  });

  it('put each column in the entity property TypeORM maps it to', () => {
    const all = [...LISTING_VIEW_COLUMNS, ...LISTING_EXTRA_COLUMNS];
    const entity = toListingEntity(rowOf(all)) as unknown as Record<string, unknown>;
    for (const c of all) expect([c, entity[listing.get(c)!]]).toEqual([c, `value of ${c}`]);
    expect(Object.keys(entity).sort()).toEqual([...listing.values()].sort());
  });

  it('leave the large columns out of the view', () => {
    const view = toListingView(rowOf(LISTING_VIEW_COLUMNS)) as unknown as Record<string, unknown>;
    expect(Object.keys(view)).toHaveLength(LISTING_VIEW_COLUMNS.length);
    for (const c of LISTING_EXTRA_COLUMNS) expect(view).not.toHaveProperty(listing.get(c)!);
    expect(LISTING_VIEW_SELECT).not.toMatch(/description|valuation\b/);
    expect(LISTING_SELECT.split(', ')).toHaveLength(listing.size);
  });

  it('map price observations the same way', () => {
    const observation = entityColumns(PriceObservationEntity);
    const columns = OBSERVATION_SELECT.split(', ').map((c) => c.replace(/^o\./, ''));
    expect([...columns].sort()).toEqual([...observation.keys()].sort());
    const o = toObservationEntity(rowOf(columns)) as unknown as Record<string, unknown>;
    for (const c of columns) expect(o[observation.get(c)!]).toBe(`value of ${c}`);
  });
});
