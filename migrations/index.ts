import { Foundation1795000000000 } from './1795000000000-Foundation';
import { ListingSpecs1795000100000 } from './1795000100000-ListingSpecs';
import { ApiKeys1795000200000 } from './1795000200000-ApiKeys';

/**
 * Every migration, in order. Listed explicitly (not globbed) so the same list works from
 * compiled JavaScript, from Jest and from the TypeORM CLI. Add new migrations here.
 */
export const migrations = [
  Foundation1795000000000,
  ListingSpecs1795000100000,
  ApiKeys1795000200000,
];
